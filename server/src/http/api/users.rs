//! `GET /api/v1/users`: the company's people, as the pages name them (owners, assignees).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::ApiState;

/// A person who uses Kehu.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUser {
    /// The stable key customers name their owner by.
    pub username: String,
    pub display_name: String,
    /// `admin`, `manager`, `rep` or `service`.
    pub role: String,
    /// The team's key, if in one.
    pub team: Option<String>,
    pub active: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<ApiUser>,
}

#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = UserList)), security(("token" = ["read"])))]
pub async fn list(State(api): State<ApiState>, _caller: ApiCaller) -> Response {
    let data = api
        .state
        .users
        .all()
        .into_iter()
        .map(|u| ApiUser { role: u.role.as_str().to_string(), username: u.username, display_name: u.display_name, team: u.team, active: u.active })
        .collect();
    axum::Json(UserList { data }).into_response()
}
