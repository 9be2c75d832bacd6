//! `GET /api/export/<kind>.<csv|xlsx|vcf>?q=&stage=&tag=&region=&owner=&segment=&sort=`: the
//! customers (or their contacts, deals, orders) that the caller's list shows with these
//! filters, as a download with headings in their language. CSV cells that a spreadsheet
//! would run as formulas are defused; XLSX cells are written as text, never as formulas.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::customers::export;
use kehu_backend::files::xlsx::{self, Cell};
use kehu_backend::AppState;
use kehu_domain::customers::export::{parse_export_file, ExportFormat};
use kehu_domain::customers::types::{LifecycleStage, ListQuery, ListSort};
use kehu_domain::i18n::Lang;
use kehu_domain::insight::csv::write_record;

use super::caller::{error_response, SignedIn};

pub const EXPORT_PATH: &str = "/api/export/{file}";

/// The list's filters, as its URL carries them.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Filters {
    q: String,
    stage: String,
    tag: String,
    region: String,
    owner: String,
    segment: String,
    sort: String,
}

impl Filters {
    fn query(self) -> ListQuery {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        ListQuery {
            q: self.q,
            stage: LifecycleStage::parse(&self.stage),
            tag: some(self.tag),
            region: some(self.region),
            owner: some(self.owner),
            segment: some(self.segment),
            sort: ListSort::parse(&self.sort).unwrap_or_default(),
            ..Default::default()
        }
    }
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.clone(),
        Cell::Number(n) => format!("{n}"),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

pub async fn export_file(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, Query(filters): Query<Filters>, headers: HeaderMap) -> Response {
    let Some((kind, format)) = parse_export_file(&file) else {
        return (StatusCode::NOT_FOUND, "no such export").into_response();
    };
    let lang = headers.get(header::COOKIE).and_then(|h| h.to_str().ok()).and_then(Lang::from_cookie_header).unwrap_or_default();
    let sheet = match export::export(&state, &caller, kind, &filters.query(), lang).await {
        Ok(sheet) => sheet,
        Err(e) => return error_response(&e),
    };
    let (body, content_type) = match format {
        ExportFormat::Csv => {
            // A BOM, so that Excel reads the UTF-8 as such.
            let mut text = String::from("\u{feff}");
            write_record(&mut text, &sheet.headings);
            for row in &sheet.rows {
                write_record(&mut text, &row.iter().map(cell_text).collect::<Vec<_>>());
            }
            (text.into_bytes(), "text/csv; charset=utf-8")
        }
        ExportFormat::Vcard => (export::as_vcards(&sheet).into_bytes(), "text/vcard; charset=utf-8"),
        ExportFormat::Xlsx => {
            let mut rows = vec![sheet.headings.into_iter().map(Cell::Text).collect::<Vec<_>>()];
            rows.extend(sheet.rows);
            match xlsx::write(&[(kind.as_str(), rows)]) {
                Ok(book) => (book, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                Err(e) => return error_response(&kehu_backend::internal::internal(format!("writing the export failed: {e}"))),
            }
        }
    };
    let mut response = Response::new(Body::from(body));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"kehu-{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}
