//! `GET /api/reports/<kind>.csv`: a report as a download, over what the caller may see, with
//! headings in their language.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::insight::reports;
use kehu_backend::AppState;
use kehu_domain::i18n::{report_column_label, segment_label};
use kehu_domain::insight::types::{Cell, ReportKind, Segment};

use super::caller::SignedIn;
use super::download::{attachment, reader_lang, CSV};

/// `GET /api/reports/<kind>.csv`: the report the caller would see, as a CSV download.
pub async fn report_csv(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(kind) = file.strip_suffix(".csv").and_then(ReportKind::parse) else {
        return (StatusCode::NOT_FOUND, "no such report").into_response();
    };
    let lang = reader_lang(&headers);
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
    attachment(text.into_bytes(), CSV, &format!("kehu-{}.csv", kind.as_str()))
}
