//! The order import, a plain route because it moves a whole file: `POST /api/import/orders`
//! takes a CSV (UTF-8 or GBK) or XLSX body of up to `IMPORT_LIMIT` (a million order lines fit) and imports it as a
//! job whose status `GET /api/import/orders/<id>` tells. The caller signs in from the session
//! cookie like any request; the import applies their rights.

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kehu_backend::accounts::passwords::new_token;
use kehu_backend::files::table::as_csv_text;
use kehu_backend::insight::import;
use kehu_backend::AppState;
use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::insight::orders::{ImportProgress, ImportStatus};

use super::caller::{error_response, SignedIn};

pub const IMPORT_PATH: &str = "/api/import/orders";
pub const IMPORT_STATUS_PATH: &str = "/api/import/orders/{job}";
/// The largest import body: a million order lines of ordinary length are about 60 MB.
pub const IMPORT_LIMIT: usize = 256 * 1024 * 1024;

#[derive(serde::Deserialize)]
pub struct ImportOptions {
    #[serde(default)]
    create_products: bool,
}

/// `POST /api/import/orders[?create_products=true]`, body: the CSV file (UTF-8). Starts the
/// import on the server and answers `202 {"job": id}` at once; the page then asks
/// `GET /api/import/orders/<id>` until the report is there.
pub async fn import_orders(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Query(options): Query<ImportOptions>,
    request: Request,
) -> Response {
    if let Err(e) = import::may_import(&caller, options.create_products) {
        return error_response(&e);
    }
    let job = match new_token() {
        Ok(token) => token[..24].to_string(),
        Err(e) => return error_response(&e),
    };
    // The job's place is taken before the file is read: how many files are held in memory at
    // once is bounded (see `ImportJobs::start`).
    if let Err(e) = state.imports.start(&job, &caller.user.username) {
        return error_response(&e);
    }
    let refused = |error: AppError| {
        state.imports.set(&job, ImportStatus::Failed { error: error.clone() });
        error_response(&error)
    };
    let bytes = match axum::body::to_bytes(request.into_body(), IMPORT_LIMIT).await {
        Ok(b) => b,
        Err(_) => return refused(AppError::TooLarge),
    };
    // CSV in UTF-8 or GBK (as Chinese Excel saves it), or the workbook itself.
    let text = match as_csv_text(&bytes) {
        Ok(text) => text,
        Err(problem) => return refused(AppError::Invalid(vec![FieldError::new("file", problem)])),
    };
    state.imports.keep_saved(state.db.clone(), job.clone());
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
    let status = match import::import_reporting(&state, &caller, &text, create_products, &progress).await {
        Ok(report) => ImportStatus::Done(report),
        Err(e) => {
            tracing::warn!("the import of {} stopped: {e}", caller.user.username);
            // The page says it in the reader's language; a store's detail stays in the log.
            ImportStatus::Failed { error: e }
        }
    };
    state.imports.set(&job, status);
}

/// `GET /api/import/orders/<id>` (and `…/customers/<id>`): the status of an import the
/// caller started, on whichever replica it runs (or ran, before its server stopped).
pub async fn import_status(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(job): Path<String>) -> Response {
    match state.imports.status_anywhere(&state.db, &job, &caller.user.username).await {
        Ok(Some(status)) => axum::Json(status).into_response(),
        Ok(None) => error_response(&AppError::NotFound),
        Err(e) => error_response(&e.into()),
    }
}

