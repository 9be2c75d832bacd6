//! `GET /api/personal-data/<customer>[?contact=<id>]`: everything Kehu holds about one
//! person, as a JSON download, for an admin answering their request.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use kehu_backend::customers::personal_data;
use kehu_backend::AppState;

use super::caller::{error_response, SignedIn};
use super::download::attachment;

pub const PERSONAL_DATA_PATH: &str = "/api/personal-data/{customer}";

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Which {
    contact: String,
}

pub async fn personal_data_file(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(customer): Path<String>, Query(which): Query<Which>) -> Response {
    match personal_data::export(&state, &caller, &customer, Some(&which.contact)).await {
        Ok(value) => attachment(serde_json::to_vec_pretty(&value).unwrap_or_default(), "application/json; charset=utf-8", "kehu-personal-data.json"),
        Err(e) => error_response(&e),
    }
}
