//! What the download routes share: the reader's language (their cookie, as pages read it),
//! tables written as CSV or XLSX, and the answer that makes the browser save a file.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use kehu_backend::files::xlsx::{self, Cell};
use kehu_domain::error::AppError;
use kehu_domain::i18n::Lang;
use kehu_domain::insight::csv::write_record;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const CSV: &str = "text/csv; charset=utf-8";

/// The language the reader chose (their cookie), else the default.
pub fn reader_lang(headers: &HeaderMap) -> Lang {
    headers.get(header::COOKIE).and_then(|h| h.to_str().ok()).and_then(Lang::from_cookie_header).unwrap_or_default()
}

/// Rows as CSV for a spreadsheet: a BOM, so Excel reads the UTF-8 as such, and formulas
/// defused.
pub fn csv<S: AsRef<str>>(rows: impl IntoIterator<Item = Vec<S>>) -> Vec<u8> {
    let mut text = String::from("\u{feff}");
    for row in rows {
        write_record(&mut text, &row);
    }
    text.into_bytes()
}

/// Rows as a one-sheet workbook; a failure is logged with a reference the person can quote.
pub fn workbook(sheet: &str, rows: Vec<Vec<Cell>>) -> Result<Vec<u8>, AppError> {
    xlsx::write(&[(sheet, rows)]).map_err(|e| kehu_backend::internal::internal(format!("writing the {sheet} workbook failed: {e}")))
}

/// An answer the browser saves as `name`.
pub fn attachment(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
