//! `GET /api/reports/<kind>.csv`: a report as a download, over what the caller may see, with
//! headings in their language.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::insight::reports;
use kehu_backend::AppState;
use kehu_domain::i18n::{report_column_label, segment_label, Lang};
use kehu_domain::insight::types::{Cell, ReportKind, Segment};

use super::caller::SignedIn;

/// `GET /api/reports/<kind>.csv`: the report the caller would see, as a CSV download.
pub async fn report_csv(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(kind) = file.strip_suffix(".csv").and_then(ReportKind::parse) else {
        return (StatusCode::NOT_FOUND, "no such report").into_response();
    };
    let lang = headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(Lang::from_cookie_header)
        .unwrap_or_default();
    let mut report = reports::report(&state, &caller, kind);
    // Segments by their names in the viewer's language, as on the page.
    for cell in report.rows.iter_mut().flatten().filter(|_| kind == ReportKind::ChurnRisk) {
        if let Cell::Text(text) = cell {
            if let Some(segment) = Segment::parse(text) {
                *text = segment_label(segment).text(lang).to_string();
            }
        }
    }
    let text = reports::report_csv(&report, |c| report_column_label(c).text(lang).to_string());
    let mut response = Response::new(Body::from(text));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"kehu-{}.csv\"", kind.as_str());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
