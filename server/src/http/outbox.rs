//! `POST /api/outbox/follow-ups`: where the phone's outbox (public/outbox.js) sends a
//! follow-up written offline, once the connection is back. The body is a
//! `KeyedFollowUp`; its key makes a second send answer with the follow-up already logged.
//! The answer's status tells the outbox what to do: 201 sent (the body is the logged
//! follow-up), 401 wait for a sign-in, 429/5xx try again later, any other 4xx keep it and
//! show the person why (the body is the `AppError`, shown in their language).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kehu_backend::customers::contacts;
use kehu_backend::AppState;
use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::error::{AppError, FieldError, Problem};

use super::caller::{error_response, SignedIn};

pub const FOLLOW_UPS_PATH: &str = "/api/outbox/follow-ups";

pub async fn send_follow_up(State(state): State<AppState>, SignedIn(caller): SignedIn, body: axum::body::Bytes) -> Response {
    let Ok(sent) = serde_json::from_slice::<KeyedFollowUp>(&body) else {
        return error_response(&AppError::Invalid(vec![FieldError::new("follow_up", Problem::UnknownChoice)]));
    };
    match contacts::log_keyed(&state, &caller, &sent).await {
        Ok(logged) => (StatusCode::CREATED, axum::Json(logged)).into_response(),
        Err(e) => error_response(&e),
    }
}
