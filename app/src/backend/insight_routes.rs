//! The two insight routes that are not server functions because they move whole files:
//! `POST /api/import/orders` takes a CSV body of up to `IMPORT_LIMIT` (a million order
//! lines fit), and `GET /api/reports/<kind>.csv` answers a report as a download. Both sign
//! the caller in from the session cookie like any request, and apply their rights.

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::account_service;
use super::accounts::{cookie_value, SESSION_COOKIE};
use super::state::AppState;
use super::{insight_service, order_service};
use crate::accounts::rules::Caller;
use crate::error::AppError;
use crate::i18n::{report_column_label, segment_label, Lang};
use crate::insight::types::{Cell, ReportKind, Segment};

pub const IMPORT_PATH: &str = "/api/import/orders";
/// The largest import body: a million order lines of ordinary length are about 60 MB.
pub const IMPORT_LIMIT: usize = 256 * 1024 * 1024;

fn json_error(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn caller_of(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let token = headers.get(header::COOKIE).and_then(|h| h.to_str().ok()).and_then(|h| cookie_value(h, SESSION_COOKIE)).map(str::to_string);
    let Some(token) = token else { return Err(json_error(StatusCode::UNAUTHORIZED, &AppError::Unauthorized)) };
    account_service::resolve(state, &token).await.map_err(|e| json_error(StatusCode::UNAUTHORIZED, &e))
}

#[derive(serde::Deserialize)]
pub struct ImportOptions {
    #[serde(default)]
    create_products: bool,
}

/// `POST /api/import/orders[?create_products=true]`, body: the CSV file (UTF-8). Answers
/// the import report as JSON.
pub async fn import_orders(State(state): State<AppState>, Query(options): Query<ImportOptions>, request: Request) -> Response {
    let caller = match caller_of(&state, request.headers()).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let bytes = match axum::body::to_bytes(request.into_body(), IMPORT_LIMIT).await {
        Ok(b) => b,
        Err(_) => return json_error(StatusCode::PAYLOAD_TOO_LARGE, &AppError::TooLarge),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        let e = AppError::Store("the file is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\"".into());
        return json_error(StatusCode::BAD_REQUEST, &e);
    };
    match order_service::import(&state, &caller, text, options.create_products).await {
        Ok(report) => axum::Json(report).into_response(),
        Err(e) => json_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// `GET /api/reports/<kind>.csv`: the report the caller would see, as a CSV download.
pub async fn report_csv(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let caller = match caller_of(&state, &headers).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let Some(kind) = file.strip_suffix(".csv").and_then(ReportKind::parse) else {
        return (StatusCode::NOT_FOUND, "no such report").into_response();
    };
    let lang = headers
        .get(header::COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(Lang::from_cookie_header)
        .unwrap_or_default();
    let mut report = insight_service::report(&state, &caller, kind);
    // Segments by their names in the viewer's language, as on the page.
    for cell in report.rows.iter_mut().flatten().filter(|_| kind == ReportKind::ChurnRisk) {
        if let Cell::Text(text) = cell {
            if let Some(segment) = Segment::parse(text) {
                *text = segment_label(segment).text(lang).to_string();
            }
        }
    }
    let text = insight_service::report_csv(&report, |c| report_column_label(c).text(lang).to_string());
    let mut response = Response::new(Body::from(text));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    let disposition = format!("attachment; filename=\"kehu-{}.csv\"", kind.as_str());
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
