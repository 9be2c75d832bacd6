//! The insight routes that are not server functions because they move whole files:
//! `POST /api/import/orders` takes a CSV body of up to `IMPORT_LIMIT` (a million order
//! lines fit) and imports it as a job whose status `GET /api/import/orders/<id>` tells, and
//! `GET /api/reports/<kind>.csv` answers a report as a download. All sign the caller in from
//! the session cookie like any request, and apply their rights.

use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::account_service;
use super::accounts::{cookie_value, new_token, SESSION_COOKIE};
use super::state::AppState;
use super::{insight_service, order_service};
use crate::accounts::rules::Caller;
use crate::error::AppError;
use crate::i18n::{report_column_label, segment_label, Lang};
use crate::insight::orders::{ImportProgress, ImportStatus};
use crate::insight::types::{Cell, ReportKind, Segment};

pub const IMPORT_PATH: &str = "/api/import/orders";
pub const IMPORT_STATUS_PATH: &str = "/api/import/orders/{job}";
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

/// `POST /api/import/orders[?create_products=true]`, body: the CSV file (UTF-8). Starts the
/// import on the server and answers `202 {"job": id}` at once; the page then asks
/// `GET /api/import/orders/<id>` until the report is there.
pub async fn import_orders(State(state): State<AppState>, Query(options): Query<ImportOptions>, request: Request) -> Response {
    let caller = match caller_of(&state, request.headers()).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let bytes = match axum::body::to_bytes(request.into_body(), IMPORT_LIMIT).await {
        Ok(b) => b,
        Err(_) => return json_error(StatusCode::PAYLOAD_TOO_LARGE, &AppError::TooLarge),
    };
    let Ok(text) = String::from_utf8(bytes.into()) else {
        let e = AppError::Store("the file is not UTF-8 text: save it from the spreadsheet as \"CSV UTF-8\"".into());
        return json_error(StatusCode::BAD_REQUEST, &e);
    };
    let job = match new_token() {
        Ok(token) => token[..24].to_string(),
        Err(e) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    };
    state.imports.start(&job, &caller.user.username);
    tokio::spawn(run_import(state, caller, text, options.create_products, job.clone()));
    (StatusCode::ACCEPTED, axum::Json(serde_json::json!({ "job": job }))).into_response()
}

/// One import job, after the one before it.
async fn run_import(state: AppState, caller: Caller, text: String, create_products: bool, job: String) {
    let _turn = state.imports.one_at_a_time.lock().await;
    let jobs = state.imports.clone();
    let id = job.clone();
    let progress = move |p: ImportProgress| jobs.set(&id, ImportStatus::Running(p));
    progress(ImportProgress::default());
    let status = match order_service::import_reporting(&state, &caller, &text, create_products, &progress).await {
        Ok(report) => ImportStatus::Done(report),
        Err(e) => {
            tracing::warn!("the import of {} stopped: {e}", caller.user.username);
            ImportStatus::Failed { message: e.to_string() }
        }
    };
    state.imports.set(&job, status);
}

/// `GET /api/import/orders/<id>`: the status of an import the caller started.
pub async fn import_status(State(state): State<AppState>, Path(job): Path<String>, headers: HeaderMap) -> Response {
    let caller = match caller_of(&state, &headers).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match state.imports.status(&job, &caller.user.username) {
        Some(status) => axum::Json(status).into_response(),
        None => json_error(StatusCode::NOT_FOUND, &AppError::NotFound),
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
