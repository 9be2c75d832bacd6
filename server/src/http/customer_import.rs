//! The customer import, plain routes because each takes the whole file as its body (the page
//! sends the file the person chose again with each step, so nothing half-imported waits on
//! the server):
//! - `POST /api/import/customers/preview?sheet=` — sheets, headings, the mapping proposed;
//! - `POST /api/import/customers/check?settings=` — the dry run;
//! - `POST /api/import/customers/errors?settings=` — the refused rows as a sheet to fix;
//! - `POST /api/import/customers?settings=&file=` — the import, as a job whose status
//!   `GET /api/import/customers/<id>` tells.
//!
//! `settings` is the `ImportSettings` as JSON. Every request takes a place among the imports
//! (`ImportJobs::start`) before its body is read, so the files held in memory are bounded.

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::accounts::passwords::new_token;
use kehu_backend::customers::import;
use kehu_backend::files::xlsx::Cell;
use kehu_backend::AppState;
use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::import::ImportSettings;
use kehu_domain::error::{AppError, FieldError, Problem};
use kehu_domain::insight::orders::{ImportProgress, ImportStatus};

use super::caller::{error_response, SignedIn};
use super::download::{attachment, csv, reader_lang, workbook, CSV, XLSX};
use super::import::IMPORT_LIMIT;

pub const PREVIEW_PATH: &str = "/api/import/customers/preview";
pub const CHECK_PATH: &str = "/api/import/customers/check";
pub const ERRORS_PATH: &str = "/api/import/customers/errors";
pub const IMPORT_PATH: &str = "/api/import/customers";
pub const STATUS_PATH: &str = "/api/import/customers/{job}";

#[derive(serde::Deserialize)]
pub struct Options {
    #[serde(default)]
    sheet: String,
    #[serde(default)]
    settings: String,
    #[serde(default)]
    file: String,
}

impl Options {
    fn settings(&self) -> Result<ImportSettings, AppError> {
        serde_json::from_str(&self.settings).map_err(|_| AppError::Invalid(vec![FieldError::new("settings", Problem::UnknownChoice)]))
    }
}

/// The settings, a place among the imports, then the body (see `take_file`).
async fn settings_and_file(state: &AppState, caller: &Caller, options: &Options, request: Request) -> Result<(ImportSettings, String, axum::body::Bytes), Response> {
    let settings = options.settings().map_err(|e| error_response(&e))?;
    let (job, bytes) = take_file(state, caller, request).await?;
    Ok((settings, job, bytes))
}

/// A place among the imports, then the body; the place is given back with `end` unless the
/// work goes on as a job.
async fn take_file(state: &AppState, caller: &Caller, request: Request) -> Result<(String, axum::body::Bytes), Response> {
    let job = new_token().map_err(|e| error_response(&e))?[..24].to_string();
    state.imports.start(&job, &caller.user.username).map_err(|e| error_response(&e))?;
    match axum::body::to_bytes(request.into_body(), IMPORT_LIMIT).await {
        Ok(bytes) => Ok((job, bytes)),
        Err(_) => {
            state.imports.end(&job);
            Err(error_response(&AppError::TooLarge))
        }
    }
}

pub async fn preview(State(state): State<AppState>, SignedIn(caller): SignedIn, Query(options): Query<Options>, request: Request) -> Response {
    let (job, bytes) = match take_file(&state, &caller, request).await {
        Ok(taken) => taken,
        Err(response) => return response,
    };
    let answer = import::preview(&state, &bytes, &options.sheet).await;
    state.imports.end(&job);
    match answer {
        Ok(preview) => axum::Json(preview).into_response(),
        Err(e) => error_response(&e),
    }
}

pub async fn check(State(state): State<AppState>, SignedIn(caller): SignedIn, Query(options): Query<Options>, request: Request) -> Response {
    let (settings, job, bytes) = match settings_and_file(&state, &caller, &options, request).await {
        Ok(taken) => taken,
        Err(response) => return response,
    };
    let answer = import::dry_run(&state, &caller, &bytes, &settings).await;
    state.imports.end(&job);
    match answer {
        Ok(dry_run) => axum::Json(dry_run).into_response(),
        Err(e) => error_response(&e),
    }
}

/// The refused rows with a reason column, in the reader's language, as the kind of file
/// that came in (XLSX stays XLSX; CSV comes back as UTF-8 CSV with a BOM, which Excel reads).
pub async fn errors(State(state): State<AppState>, SignedIn(caller): SignedIn, Query(options): Query<Options>, headers: HeaderMap, request: Request) -> Response {
    let lang = reader_lang(&headers);
    let (settings, job, bytes) = match settings_and_file(&state, &caller, &options, request).await {
        Ok(taken) => taken,
        Err(response) => return response,
    };
    let answer = import::error_rows(&state, &caller, &bytes, &settings, lang).await;
    state.imports.end(&job);
    let rows = match answer {
        Ok(rows) => rows,
        Err(e) => return error_response(&e),
    };
    if bytes.starts_with(b"PK\x03\x04") {
        let cells: Vec<Vec<Cell>> = rows.into_iter().map(|r| r.into_iter().map(Cell::Text).collect()).collect();
        match workbook("errors", cells) {
            Ok(book) => attachment(book, XLSX, "kehu-import-errors.xlsx"),
            Err(e) => error_response(&e),
        }
    } else {
        attachment(csv(rows), CSV, "kehu-import-errors.csv")
    }
}

/// Starts the import as a job: `202 {"job": id}` once the file is in; the page then asks
/// `GET /api/import/customers/<id>` (the same jobs as the order import) until it is done.
pub async fn start(State(state): State<AppState>, SignedIn(caller): SignedIn, Query(options): Query<Options>, request: Request) -> Response {
    let (settings, job, bytes) = match settings_and_file(&state, &caller, &options, request).await {
        Ok(taken) => taken,
        Err(response) => return response,
    };
    state.imports.keep_saved(state.db.clone(), job.clone());
    tokio::spawn(run(state, caller, bytes, settings, options.file, job.clone()));
    (StatusCode::ACCEPTED, axum::Json(serde_json::json!({ "job": job }))).into_response()
}

async fn run(state: AppState, caller: Caller, bytes: axum::body::Bytes, settings: ImportSettings, file: String, job: String) {
    let _turn = state.imports.one_at_a_time.lock().await;
    let jobs = state.imports.clone();
    let id = job.clone();
    let progress = move |p: ImportProgress| jobs.set(&id, ImportStatus::Running(p));
    progress(ImportProgress::default());
    let status = match import::run(&state, &caller, &bytes, &settings, &file, &progress).await {
        Ok(summary) => ImportStatus::CustomersDone(summary),
        Err(e) => {
            tracing::warn!("the customer import of {} stopped: {e}", caller.user.username);
            ImportStatus::Failed { error: e }
        }
    };
    state.imports.set(&job, status);
}
