//! Who calls the API, checked in one place: the bearer token turned into its user (acting
//! via the API), the token's scope checked against the request's method — reading needs
//! `read`, anything else `write` — and the language answers are given in.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::Method;
use axum::response::Response;
use kehu_backend::platform::tokens::{grant, Grant};
use kehu_domain::error::AppError;
use kehu_domain::i18n::Lang;
use kehu_domain::platform::tokens::{allows, TokenScope};

use super::problem::{lang_of, problem};
use super::ApiState;

/// An API request's caller, its token's grant, and the language to answer in.
pub struct ApiCaller {
    pub grant: Grant,
    pub lang: Lang,
}

/// The scope a request of `method` needs.
pub fn scope_for(method: &Method) -> TokenScope {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        TokenScope::Read
    } else {
        TokenScope::Write
    }
}

impl FromRequestParts<ApiState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, api: &ApiState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers, api.default_lang);
        let secret = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        let grant = grant(&api.state, secret).await.map_err(|e| problem(&e, lang))?;
        if !allows(&grant.scopes, scope_for(&parts.method)) {
            return Err(problem(&AppError::Forbidden, lang));
        }
        Ok(ApiCaller { grant, lang })
    }
}
