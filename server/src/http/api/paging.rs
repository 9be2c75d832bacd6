//! Pages of a list: `limit`, an opaque `cursor` from the previous page's `next_cursor`, and
//! `?fields=` to return only some fields of each item. The fields a list may name are the
//! properties of its item's schema, so the document and the check cannot drift apart.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use kehu_domain::customers::types::MAX_PAGE_SIZE;
use kehu_domain::error::AppError;
use kehu_domain::problem::{FieldError, Problem};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, ToSchema};

use super::problem::plain;

/// The page parameters of a request; a query that does not parse is answered 400.
pub struct Paging(pub PageParams);

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        Query::<PageParams>::from_request_parts(parts, state)
            .await
            .map(|Query(p)| Paging(p))
            .map_err(|_| plain(StatusCode::BAD_REQUEST, "the query parameters are not understood (limit is a number 1–100)"))
    }
}

/// A list's page as its own schema: `data` (items of `$item`, only the fields asked for),
/// `total` and `next_cursor`, made from a `Paged`.
macro_rules! page_of {
    ($name:ident, $item:ty, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            /// The page's items (only the `fields` asked for, when given).
            #[schema(value_type = Vec<$item>)]
            pub data: Vec<serde_json::Value>,
            /// How many the whole list holds.
            pub total: u64,
            /// Give as `cursor` for the next page; absent on the last.
            pub next_cursor: Option<String>,
        }

        impl From<$crate::http::api::paging::Paged> for $name {
            fn from(p: $crate::http::api::paging::Paged) -> Self {
                $name { data: p.data, total: p.total, next_cursor: p.next_cursor }
            }
        }
    };
}
pub(crate) use page_of;

/// Items on a page when `limit` is not given.
const DEFAULT_LIMIT: u32 = 50;

/// A page of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 1–100 (50 when not given).
    pub limit: Option<u32>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Comma-separated fields to return of each item, e.g. `id,status`.
    pub fields: Option<String>,
}

/// A page cut out of a list: its items as JSON (only the fields asked for), how many the
/// whole list holds, and the cursor of the next page (none on the last).
pub struct Paged {
    pub data: Vec<Value>,
    pub total: u64,
    pub next_cursor: Option<String>,
}

fn invalid(field: &str, problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, problem)])
}

/// `limit` checked: 1–100, `default` when absent.
pub fn limit(raw: Option<u32>, default: u32) -> Result<u32, AppError> {
    let limit = raw.unwrap_or(default);
    if limit == 0 || limit > MAX_PAGE_SIZE {
        return Err(invalid("limit", Problem::OutOfRange { min: 1, max: i64::from(MAX_PAGE_SIZE) }));
    }
    Ok(limit)
}

/// The number a cursor carries after its one-letter kind (`p3`: page 3, `o50`: from the
/// 50th item), at least `min`; none for no cursor. Opaque to clients, so it may become a key.
pub fn cursor(raw: Option<&str>, kind: char, min: u32) -> Result<Option<u32>, AppError> {
    match raw {
        None | Some("") => Ok(None),
        Some(c) => c
            .strip_prefix(kind)
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|n| *n >= min)
            .map(Some)
            .ok_or_else(|| invalid("cursor", Problem::UnknownChoice)),
    }
}

/// The property names of an item's schema: what `?fields=` may name.
pub fn names_of<T: ToSchema>() -> Vec<String> {
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object.properties.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// `?fields=` checked against `allowed`; none when absent or empty (every field).
pub fn fields(raw: Option<&str>, allowed: &[String]) -> Result<Option<Vec<String>>, AppError> {
    match raw.map(str::trim).filter(|f| !f.is_empty()) {
        None => Ok(None),
        Some(list) => {
            let names: Vec<String> = list.split(',').map(|f| f.trim().to_string()).collect();
            if names.iter().any(|n| !allowed.contains(n)) {
                return Err(invalid("fields", Problem::UnknownChoice));
            }
            Ok(Some(names))
        }
    }
}

/// An item as JSON with only `fields` (all when none).
pub fn only<T: Serialize>(item: &T, fields: &Option<Vec<String>>) -> Value {
    match (serde_json::to_value(item).unwrap_or_default(), fields) {
        (Value::Object(map), Some(fields)) => Value::Object(map.into_iter().filter(|(k, _)| fields.contains(k)).collect()),
        (value, _) => value,
    }
}

impl PageParams {
    /// The page these parameters ask for out of `items` (already in the list's order), each
    /// shown as the API shows it (`show`).
    pub fn cut<S, A: Serialize + ToSchema>(&self, items: &[S], show: impl Fn(&S) -> A) -> Result<Paged, AppError> {
        let limit = limit(self.limit, DEFAULT_LIMIT)? as usize;
        let offset = cursor(self.cursor.as_deref(), 'o', 1)?.unwrap_or(0) as usize;
        let fields = fields(self.fields.as_deref(), &names_of::<A>())?;
        let data = items.iter().skip(offset).take(limit).map(|item| only(&show(item), &fields)).collect();
        let next = offset + limit;
        Ok(Paged { data, total: items.len() as u64, next_cursor: (next < items.len()).then(|| format!("o{next}")) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, ToSchema)]
    struct Item {
        id: u32,
        name: String,
    }

    fn items(n: u32) -> Vec<u32> {
        (0..n).collect()
    }

    fn show(n: &u32) -> Item {
        Item { id: *n, name: format!("item {n}") }
    }

    #[test]
    fn pages_follow_each_other_to_the_last_which_has_no_cursor() {
        let all = items(5);
        let first = PageParams { limit: Some(2), ..Default::default() }.cut(&all, show).unwrap();
        assert_eq!(first.total, 5);
        assert_eq!(first.data.iter().map(|v| v["id"].as_u64().unwrap()).collect::<Vec<_>>(), vec![0, 1]);
        let second = PageParams { limit: Some(2), cursor: first.next_cursor, ..Default::default() }.cut(&all, show).unwrap();
        assert_eq!(second.data.iter().map(|v| v["id"].as_u64().unwrap()).collect::<Vec<_>>(), vec![2, 3]);
        let last = PageParams { limit: Some(2), cursor: second.next_cursor, ..Default::default() }.cut(&all, show).unwrap();
        assert_eq!(last.data.len(), 1);
        assert_eq!(last.next_cursor, None);
    }

    #[test]
    fn fields_are_those_of_the_items_schema() {
        let page = PageParams { fields: Some("name".into()), ..Default::default() }.cut(&items(1), show).unwrap();
        assert_eq!(page.data[0], serde_json::json!({ "name": "item 0" }));
        let refused = PageParams { fields: Some("name,secret".into()), ..Default::default() }.cut(&items(1), show);
        assert!(matches!(refused, Err(AppError::Invalid(e)) if e[0].field == "fields"));
    }

    #[test]
    fn a_bad_limit_or_cursor_is_refused_by_name() {
        for (params, field) in [
            (PageParams { limit: Some(0), ..Default::default() }, "limit"),
            (PageParams { limit: Some(101), ..Default::default() }, "limit"),
            (PageParams { cursor: Some("p2".into()), ..Default::default() }, "cursor"),
            (PageParams { cursor: Some("o0".into()), ..Default::default() }, "cursor"),
            (PageParams { cursor: Some("o-1".into()), ..Default::default() }, "cursor"),
        ] {
            assert!(matches!(params.cut(&items(3), show), Err(AppError::Invalid(e)) if e[0].field == field), "{field}");
        }
    }
}
