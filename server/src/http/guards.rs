//! What every request passes through: security headers, the cross-site refusal, the body
//! limit (announced or chunked), and server-function errors answered with their HTTP status.

use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::{Body, HttpBody};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use kehu_domain::error::AppError;

use super::caller::{error_response, set_retry_after, status_of};
use super::{csrf, import};

/// The largest request body accepted. Forms are a few KB; the limit keeps a pasted 10 MB
/// blob (or a hostile client) from being read into memory. Imports get their own route.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// What the headers every response carries depend on.
#[derive(Clone, Copy)]
pub struct Transport {
    pub secure_cookies: bool,
    pub hsts: bool,
}

/// Headers every response carries (and Strict-Transport-Security when configured). The
/// Content-Security-Policy of pages is set by the shell itself, because it names that page's
/// script nonce. A page served over HTTPS (as a proxy says) while cookies are not marked
/// Secure is logged once: the session cookie could then travel over plain HTTP.
pub async fn security_headers(transport: Transport, request: Request, next: Next) -> Response {
    static WARNED: AtomicBool = AtomicBool::new(false);
    let https = request.headers().get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
    if https && !transport.secure_cookies && !WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!("served over HTTPS (X-Forwarded-Proto) but secure_cookies = false: set it to true in Leptos.toml");
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if transport.hsts {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}

/// CSRF protection for every state-changing request: a browser always says where a request
/// comes from (Origin, or Sec-Fetch-Site); one from another site is refused before it runs.
/// Requests that say nothing are not from a browser, so carry no victim's cookie.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && !csrf::same_origin(request.headers()) {
        return error_response(&AppError::Forbidden);
    }
    next.run(request).await
}

/// Refuses a body larger than the limit: one announced as larger before reading it; one sent
/// in chunks (no length announced) as soon as it passes the limit while it is read — so no
/// request can make the server hold more than the limit. Said in the server-function error
/// format, so the page can tell the person what happened.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The header for requests off the wire; the body's own size for in-process callers.
    let known = declared.unwrap_or_else(|| request.body().size_hint().lower());
    // Order imports carry whole files; that route reads at most its own, larger limit.
    let import = request.uri().path() == import::IMPORT_PATH;
    let limit = if import { import::IMPORT_LIMIT } else { BODY_LIMIT };
    if known > limit as u64 {
        return error_response(&AppError::TooLarge);
    }
    let unbounded = declared.is_none() && request.body().size_hint().exact() != Some(0);
    if unbounded && !import {
        let (parts, body) = request.into_parts();
        return match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
            Err(_) => error_response(&AppError::TooLarge),
        };
    }
    next.run(request).await
}

/// Leptos answers every failed server function with 500. A proxy, a monitor or an API client
/// must tell a wrong password (401) from a crash, so an `AppError` body gets its own status
/// (`caller::status_of`: 400 for field problems and undecodable bodies, 401, 403, 404, 409,
/// 413, 429 with Retry-After); the page reads the same body as before.
pub async fn error_statuses(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are small; a page or a stream is never an error body.
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
        set_retry_after(&mut parts.headers, &error);
    }
    Response::from_parts(parts, Body::from(bytes))
}
