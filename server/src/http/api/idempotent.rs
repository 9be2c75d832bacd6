//! A create that honours `Idempotency-Key`: the first request with a key runs and its answer
//! is kept; a retry with the same key and body gets the same answer (marked
//! `Idempotent-Replayed: true`) and creates nothing. See `kehu_backend::platform::idempotency`.

use std::future::Future;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use kehu_backend::accounts::passwords::token_key;
use kehu_backend::platform::idempotency::{answered, claim, release, valid_key, Claim};
use kehu_domain::error::AppError;

use super::auth::ApiCaller;
use super::problem::{plain, problem};
use super::ApiState;

/// Why a create gave no record.
pub enum Created {
    /// The body is not what the route takes (said to the client as it is).
    BadBody(String),
    Error(AppError),
}

/// A response that names where the created record lives.
pub trait WithLocation {
    fn with_location(self, path: String) -> Response;
}

impl WithLocation for Response {
    fn with_location(mut self, path: String) -> Response {
        if let Ok(v) = HeaderValue::from_str(&path) {
            self.headers_mut().insert(LOCATION, v);
        }
        self
    }
}

/// Answers kept are at most this large (a created record, or what a bulk call made); a
/// larger one is passed on but not kept, so a retry would run again.
const KEPT_BODY_LIMIT: usize = 1024 * 1024;

fn answer(result: Result<Response, Created>, caller: &ApiCaller) -> Response {
    match result {
        Ok(response) => response,
        Err(Created::BadBody(detail)) => plain(StatusCode::BAD_REQUEST, detail),
        Err(Created::Error(e)) => problem(&e, caller.lang),
    }
}

/// Runs `work` (the create) once per key: see the module's text. `route` and `body` make the
/// request's fingerprint, so the same key with another request is refused.
pub async fn idempotent(
    api: &ApiState,
    caller: &ApiCaller,
    headers: &HeaderMap,
    route: &str,
    body: &Bytes,
    work: impl Future<Output = Result<Response, Created>>,
) -> Response {
    let Some(key) = headers.get("idempotency-key").map(|v| v.to_str().unwrap_or("").to_string()) else {
        return answer(work.await, caller);
    };
    if !valid_key(&key) {
        return plain(StatusCode::BAD_REQUEST, "Idempotency-Key must be 1–255 visible ASCII characters");
    }
    let mut fingerprint = route.as_bytes().to_vec();
    fingerprint.push(b'\n');
    fingerprint.extend_from_slice(body);
    let fingerprint = token_key(&String::from_utf8_lossy(&fingerprint));
    let token = caller.grant.token_id.clone();
    match claim(&api.state, &token, &key, &fingerprint).await {
        Err(e) => problem(&e, caller.lang),
        Ok(Claim::Mismatch) => plain(StatusCode::UNPROCESSABLE_ENTITY, "this Idempotency-Key was already used for a different request"),
        Ok(Claim::Running) => {
            let mut response = plain(StatusCode::CONFLICT, "a request with this Idempotency-Key is still running; retry in a moment");
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Ok(Claim::Replay { status, body, location }) => replay(status, body, location),
        Ok(Claim::Run) => {
            let response = answer(work.await, caller);
            keep(api, &token, &key, response).await
        }
    }
}

/// Keeps the answer for retries (a server error lets the key go, so a retry runs again).
async fn keep(api: &ApiState, token: &str, key: &str, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() {
        if let Err(e) = release(&api.state, token, key).await {
            tracing::warn!("letting an idempotency key go failed: {e}");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if bytes.len() > KEPT_BODY_LIMIT {
        tracing::warn!("an idempotent answer of {} bytes is too large to keep (a retry would run again)", bytes.len());
        if let Err(e) = release(&api.state, token, key).await {
            tracing::warn!("letting an idempotency key go failed: {e}");
        }
        return Response::from_parts(parts, Body::from(bytes));
    }
    let location = parts.headers.get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Err(e) = answered(&api.state, token, key, status.as_u16(), &String::from_utf8_lossy(&bytes), location).await {
        tracing::warn!("keeping the answer of an idempotent request failed (a retry would run again): {e}");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: u16, body: String, location: Option<String>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let kind = if status.is_success() { "application/json" } else { "application/problem+json" };
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    if let Some(v) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(LOCATION, v);
    }
    response
}
