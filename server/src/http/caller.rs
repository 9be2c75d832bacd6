//! The signed-in caller of a plain HTTP route, from the session cookie — resolved by the
//! backend exactly as for server functions (`accounts::signin::caller_from_cookies`) — and
//! how a route answers with an `AppError`.

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::header::{CONTENT_TYPE, COOKIE, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use kehu_backend::accounts::signin;
use kehu_backend::AppState;
use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppError;

/// A route's argument that signs the caller in, or answers 401 with the error as JSON.
pub struct SignedIn(pub Caller);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let cookies = parts.headers.get(COOKIE).and_then(|v| v.to_str().ok());
        signin::caller_from_cookies(state, cookies).await.map(SignedIn).map_err(|e| error_response(&e))
    }
}

/// The HTTP status an error answers with.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Invalid(_) | AppError::Transport(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::PossibleDuplicates(_) | AppError::Conflict(_) | AppError::OwnedElsewhere { .. } | AppError::DealChanged | AppError::TicketChanged => {
            StatusCode::CONFLICT
        }
        AppError::StageBlocked { .. } | AppError::LimitReached { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthorized | AppError::LoginFailed | AppError::SetupClosed => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::AccountDisabled => StatusCode::FORBIDDEN,
        AppError::RateLimited { .. } | AppError::Busy { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::PasswordChangeRequired => StatusCode::FORBIDDEN,
        AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Warming { .. } => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The error as JSON (the form pages read), with its status (and Retry-After when throttled).
pub fn error_response(error: &AppError) -> Response {
    let body = serde_json::to_vec(error).unwrap_or_default();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status_of(error);
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    set_retry_after(response.headers_mut(), error);
    response
}

/// `Retry-After` for an error that says when to ask again (throttled, busy, still loading).
pub fn set_retry_after(headers: &mut HeaderMap, error: &AppError) {
    if let Some(v) = error.retry_after().and_then(|secs| HeaderValue::from_str(&secs.to_string()).ok()) {
        headers.insert(RETRY_AFTER, v);
    }
}
