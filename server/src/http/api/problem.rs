//! Errors as RFC 9457 problem details (`application/problem+json`), in the caller's language
//! (`Accept-Language`), with each field's problem beside its name — what the pages show,
//! made readable for a program and the person debugging it.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, ETAG, IF_MATCH, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use kehu_domain::error::AppError;
use kehu_domain::i18n::{error_text, problem_text, Lang};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::caller::{set_retry_after, status_of};

/// A failed request (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemDetails {
    /// A URI naming the kind of problem (`about:blank` plus `title` for plain HTTP ones).
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What went wrong, in the caller's language.
    pub detail: String,
    /// The problem of each field, for input that breaks a rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// The record's version now, when the request named an older one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// Customers the new one looks like; send again with `confirm_not_duplicate` to save.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
    /// What the deal still needs for the stage asked for (`amount`, `needs_analysis`,
    /// `quote`, `signed_contract`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// For a server error: the reference to quote to the administrator (the log has more).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    /// The problem's code, e.g. `required`, `too_long`, `invalid_email`.
    pub code: String,
    pub message: String,
}

/// The language asked for: the first of `Accept-Language` Kehu speaks, else `default`.
pub fn lang_of(headers: &HeaderMap, default: Lang) -> Lang {
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(|part| Lang::parse(part.split(';').next().unwrap_or(""))))
        .unwrap_or(default)
}

fn code_of(problem: &kehu_domain::problem::Problem) -> String {
    serde_json::to_value(problem)
        .ok()
        .and_then(|v| v.get("problem").and_then(|p| p.as_str()).map(str::to_string))
        .unwrap_or_else(|| "invalid".into())
}

/// The problem details of `error`.
pub fn details(error: &AppError, lang: Lang) -> (StatusCode, ProblemDetails) {
    let mut status = status_of(error);
    let mut details = ProblemDetails {
        kind: "about:blank".into(),
        title: String::new(),
        status: 0,
        detail: error_text(error, lang),
        errors: Vec::new(),
        current_version: None,
        duplicates: Vec::new(),
        missing: Vec::new(),
        reference: None,
    };
    match error {
        AppError::Invalid(fields) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            details.errors = fields
                .iter()
                .map(|f| FieldProblem { field: f.field.clone(), code: code_of(&f.problem), message: problem_text(&f.problem, lang) })
                .collect();
        }
        AppError::Conflict(now) => details.current_version = Some(now.version),
        AppError::PossibleDuplicates(hits) => details.duplicates = hits.iter().filter_map(|h| h.id.clone()).collect(),
        AppError::Internal { reference } => details.reference = Some(reference.clone()),
        AppError::StageBlocked { missing } => details.missing = missing.iter().map(|r| r.as_str().to_string()).collect(),
        _ => {}
    }
    details.status = status.as_u16();
    details.title = status.canonical_reason().unwrap_or("Error").to_string();
    (status, details)
}

/// `error` as a problem-details response (with `Retry-After`, `WWW-Authenticate` or the
/// current `ETag` where they belong).
pub fn problem(error: &AppError, lang: Lang) -> Response {
    let (status, body) = details(error, lang);
    let mut response = Response::new(Body::from(serde_json::to_vec(&body).unwrap_or_default()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    set_retry_after(headers, error);
    match error {
        AppError::Unauthorized => {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"kehu\""));
        }
        AppError::Conflict(now) => return tagged(response, now.version),
        _ => {}
    }
    response
}

/// A plain HTTP problem (a missing header, a body that is not JSON): `status` with `detail`.
pub fn plain(status: StatusCode, detail: impl Into<String>) -> Response {
    let body = ProblemDetails {
        kind: "about:blank".into(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.into(),
        errors: Vec::new(),
        current_version: None,
        duplicates: Vec::new(),
        missing: Vec::new(),
        reference: None,
    };
    let mut response = Response::new(Body::from(serde_json::to_vec(&body).unwrap_or_default()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

/// The request's JSON body as `T`, or a 400 saying it is not `what` ("a deal move") and why.
pub fn json_body<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Response> {
    serde_json::from_slice(body).map_err(|e| plain(StatusCode::BAD_REQUEST, format!("the body is not {what}: {e}")))
}

/// `response` with a record's version as its `ETag`.
pub fn tagged(mut response: Response, version: i64) -> Response {
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// The version the request's `If-Match` names, if it names one.
pub fn if_match(headers: &HeaderMap) -> Option<i64> {
    headers.get(IF_MATCH).and_then(|v| v.to_str().ok()).and_then(if_match_version)
}

/// A record's version as a strong entity tag.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version an `If-Match` names (`"7"`, `W/"7"` or `7`); `None` for anything else.
pub fn if_match_version(value: &str) -> Option<i64> {
    let v = value.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    v.trim_matches('"').parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehu_domain::problem::{FieldError, Problem};

    #[test]
    fn field_problems_carry_code_and_message_in_the_language_asked() {
        let error = AppError::Invalid(vec![FieldError::new("name", Problem::Required), FieldError::new("email", Problem::TooLong { max: 254 })]);
        let (status, body) = details(&error, Lang::En);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body.errors[0].code, "required");
        assert_eq!(body.errors[1].code, "too_long");
        assert_eq!(body.errors[1].message, "At most 254 characters.");
        let (_, zh) = details(&error, Lang::Zh);
        assert_ne!(zh.errors[1].message, body.errors[1].message);
    }

    #[test]
    fn the_language_follows_accept_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(lang_of(&headers, Lang::Zh), Lang::Zh);
        headers.insert("accept-language", HeaderValue::from_static("fr-FR, en-US;q=0.8, zh;q=0.5"));
        assert_eq!(lang_of(&headers, Lang::Zh), Lang::En);
    }

    #[test]
    fn if_match_reads_strong_weak_and_bare_versions() {
        assert_eq!(if_match_version("\"7\""), Some(7));
        assert_eq!(if_match_version("W/\"12\""), Some(12));
        assert_eq!(if_match_version("3"), Some(3));
        assert_eq!(if_match_version("*"), None);
        assert_eq!(etag(5), "\"5\"");
    }
}
