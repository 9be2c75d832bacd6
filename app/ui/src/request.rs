//! What a server function needs from the request it serves: the state, the signed-in caller
//! (resolved from the session cookie by the backend, as every route does) and a way to set
//! or clear that cookie.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use kehu_backend::accounts::client::client_of;
use kehu_backend::accounts::signin;
use kehu_backend::internal::internal;
use kehu_backend::AppState;
use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppError;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| internal("a server function ran without the server state in its context"))
}

/// The request's `Cookie` header, if any.
pub fn cookie_header() -> Option<String> {
    let parts = use_context::<Parts>()?;
    parts.headers.get(COOKIE)?.to_str().ok().map(str::to_string)
}

/// The session token the request carries, if any.
pub fn session_token() -> Option<String> {
    let state = use_context::<AppState>()?;
    signin::session_token(&state, cookie_header().as_deref())
}

/// The state and the signed-in user: how every server function that needs one begins.
pub async fn signed_in() -> Result<(AppState, Caller), AppError> {
    let state = state()?;
    let caller = signin::caller_from_cookies(&state, cookie_header().as_deref()).await?;
    Ok((state, caller))
}

/// The state and the signed-in user even if they must choose a new password first: for
/// knowing who is there and changing the password (everything else begins with
/// [`signed_in`], which refuses until the password is changed).
pub async fn signed_in_choosing_password() -> Result<(AppState, Caller), AppError> {
    let state = state()?;
    let caller = signin::caller_choosing_password(&state, cookie_header().as_deref()).await?;
    Ok((state, caller))
}

/// The client's address, for throttling sign-in attempts: the connection's, or the one a
/// trusted reverse proxy forwarded for (`Policy::trusted_proxies`).
pub async fn client_address(state: &AppState) -> String {
    use axum::extract::ConnectInfo;
    let Ok(ConnectInfo(peer)) = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>().await else {
        return "unknown".into();
    };
    let forwarded = use_context::<Parts>().and_then(|p| p.headers.get("x-forwarded-for")?.to_str().ok().map(str::to_string));
    client_of(peer.ip(), forwarded.as_deref(), &state.policy.trusted_proxies).to_string()
}

/// Sets the session cookie: HttpOnly (no script can read it), SameSite=Lax (not sent on
/// cross-site posts), Secure when the installation says it is served over HTTPS.
pub fn set_session_cookie(state: &AppState, token: &str) {
    let max_age = state.policy.session.absolute.num_seconds();
    let secure = if state.policy.secure_cookies { "; Secure" } else { "" };
    let name = state.policy.session_cookie();
    set_cookie(&format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"));
}

pub fn clear_session_cookie(state: &AppState) {
    let secure = if state.policy.secure_cookies { "; Secure" } else { "" };
    set_cookie(&format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", state.policy.session_cookie()));
}

fn set_cookie(value: &str) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        response.append_header(SET_COOKIE, value);
    }
}

/// The address this request reached the server at (`http://host:port`), for links shown back
/// to the person asking when the installation has no public address configured.
pub fn request_origin(state: &AppState) -> String {
    let host = use_context::<Parts>().and_then(|p| p.headers.get(axum::http::header::HOST)?.to_str().ok().map(str::to_string));
    kehu_backend::aftersales::surveys::origin_of(state, host.as_deref())
}
