//! `GET /healthz`: 200 when the store answers and the read models are loaded, 503 while a
//! fresh start still loads them ("loading": a load balancer sends people to another replica
//! meanwhile) or when the store does not answer — for load balancers and monitoring. Why the
//! store failed is logged under a reference, never sent.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kehu_backend::internal::internal;
use kehu_backend::AppState;
use kehu_domain::error::AppError;

pub async fn health(State(state): State<AppState>) -> Response {
    if !state.warmup.is_loaded() {
        return (StatusCode::SERVICE_UNAVAILABLE, "loading").into_response();
    }
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
