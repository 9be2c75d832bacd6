//! `GET /healthz`: 200 when the store answers, 503 when it does not — for load balancers and
//! monitoring. Why the store failed is logged under a reference, never sent.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kehu_backend::internal::internal;
use kehu_backend::AppState;
use kehu_domain::error::AppError;

pub async fn health(State(state): State<AppState>) -> Response {
    match state.db.health().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            let reference = match internal(format!("health check: the store does not answer: {e}")) {
                AppError::Internal { reference } => reference,
                _ => String::new(),
            };
            (StatusCode::SERVICE_UNAVAILABLE, format!("store unavailable (reference {reference})")).into_response()
        }
    }
}
