//! `GET /calendar/<secret>.ics`: a user's upcoming reminders for a calendar app to subscribe
//! to. The secret is the only credential (calendar apps send no cookies), so a wrong or
//! revoked one is a plain 404 that tells nothing.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::reminders::feed;
use kehu_backend::AppState;
use kehu_domain::error::AppError;
use kehu_domain::i18n::Lang;

pub async fn serve(State((state, lang)): State<(AppState, Lang)>, Path(file): Path<String>) -> Response {
    match feed::calendar_text(&state, &file, lang).await {
        Ok(text) => {
            let mut response = Response::new(Body::from(text));
            let h = response.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "no such calendar").into_response(),
        // An internal error is logged under its reference where it happened.
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "calendar unavailable, try again later").into_response(),
    }
}
