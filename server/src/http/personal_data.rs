//! `GET /api/personal-data/<customer>[?contact=<id>]`: everything Kehu holds about one
//! person, as a JSON download, for an admin answering their request.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use kehu_backend::customers::personal_data;
use kehu_backend::AppState;

use super::caller::{error_response, SignedIn};

pub const PERSONAL_DATA_PATH: &str = "/api/personal-data/{customer}";

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Which {
    contact: String,
}

pub async fn personal_data_file(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(customer): Path<String>, Query(which): Query<Which>) -> Response {
    match personal_data::export(&state, &caller, &customer, Some(&which.contact)).await {
        Ok(value) => {
            let body = serde_json::to_vec_pretty(&value).unwrap_or_default();
            let mut response = body.into_response();
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"kehu-personal-data.json\""));
            response
        }
        Err(e) => error_response(&e),
    }
}
