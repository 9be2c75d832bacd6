//! `GET /api/export/<kind>.<csv|xlsx|vcf>?q=&stage=&tag=&region=&owner=&segment=&sort=`: the
//! customers (or their contacts, deals, orders) that the caller's list shows with these
//! filters, as a download with headings in their language. CSV cells that a spreadsheet
//! would run as formulas are defused; XLSX cells are written as text, never as formulas.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::customers::export;
use kehu_backend::files::xlsx::Cell;
use kehu_backend::AppState;
use kehu_domain::customers::export::{parse_export_file, ExportFormat};
use kehu_domain::customers::types::ListQuery;

use super::caller::{error_response, SignedIn};
use super::download::{attachment, csv, reader_lang, workbook, CSV, XLSX};

pub const EXPORT_PATH: &str = "/api/export/{file}";

pub async fn export_file(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, Query(params): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let Some((kind, format)) = parse_export_file(&file) else {
        return (StatusCode::NOT_FOUND, "no such export").into_response();
    };
    let lang = reader_lang(&headers);
    let sheet = match export::export(&state, &caller, kind, &ListQuery::from_params(|k| params.get(k).cloned()), lang).await {
        Ok(sheet) => sheet,
        Err(e) => return error_response(&e),
    };
    let (body, content_type, ext) = match format {
        ExportFormat::Csv => (csv(std::iter::once(sheet.headings).chain(sheet.rows.iter().map(|r| r.iter().map(Cell::as_text).collect()))), CSV, "csv"),
        ExportFormat::Vcard => (export::as_vcards(&sheet).into_bytes(), "text/vcard; charset=utf-8", "vcf"),
        ExportFormat::Xlsx => {
            let mut rows = vec![sheet.headings.into_iter().map(Cell::Text).collect::<Vec<_>>()];
            rows.extend(sheet.rows);
            match workbook(kind.as_str(), rows) {
                Ok(book) => (book, XLSX, "xlsx"),
                Err(e) => return error_response(&e),
            }
        }
    };
    attachment(body, content_type, &format!("kehu-{}.{ext}", kind.as_str()))
}
