//! `GET /api/v1/me`: whom the token acts as and what it may do — the first call an
//! integration makes to check its token.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kehu_domain::platform::tokens::TokenScope;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::problem::ProblemDetails;
use super::ApiState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// `admin`, `manager`, `rep` or `service`.
    pub role: String,
    /// What the token may do: `read`, `write`, `admin`.
    pub scopes: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "tokens",
    responses((status = 200, body = Me), (status = 401, body = ProblemDetails), (status = 429, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn me(State(_): State<ApiState>, caller: ApiCaller) -> Response {
    let user = &caller.grant.caller.user;
    axum::Json(Me {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str().to_string(),
        scopes: caller.grant.scopes.iter().map(|s: &TokenScope| s.as_str().to_string()).collect(),
    })
    .into_response()
}
