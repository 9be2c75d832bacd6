//! `GET /api/backup`: the whole store as SurrealQL, for `kehu backup --server` while the
//! server runs. Exists only when the server was started with KEHU_BACKUP_TOKEN, and answers
//! only to `Authorization: Bearer <that token>` (compared in constant time).

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::store::backup;
use kehu_backend::AppState;

pub const BACKUP_PATH: &str = "/api/backup";

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn backup_route(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.policy.backup_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    if !same(given.as_bytes(), token.as_bytes()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match backup::backup_text(&state.db).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, "application/sql; charset=utf-8")], bytes).into_response(),
        Err(e) => {
            tracing::error!("{e}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
