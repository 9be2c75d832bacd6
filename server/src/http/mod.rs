//! The HTTP surface: server-rendered pages and server functions (the UI crate's), and every
//! plain route — the live badge stream, the order import, report downloads, the calendar
//! feed, health — behind the same guards (body limits, cross-site refusal, headers).

mod calendar;
pub mod caller;
pub mod csrf;
mod health;
pub mod import;
mod live;
mod reports;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use kehu_backend::AppState;
use kehu_domain::error::AppError;
use kehu_domain::format::DisplayOffset;
use kehu_ui::i18n::DefaultLang;
use kehu_ui::{shell, App};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

use crate::assets;
use crate::config::Config;

/// The largest request body accepted. Forms are a few KB; the limit keeps a pasted 10 MB
/// blob (or a hostile client) from being read into memory. Imports get their own route.
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("kehu")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .site_addr(config.listen)
        .env(if cfg!(debug_assertions) { Env::DEV } else { Env::PROD })
        .build()
}

/// What every page render and server function can reach through context.
fn context(state: AppState, config: &Config) -> impl Fn() + Clone + Send + Sync + 'static {
    let lang = DefaultLang(config.default_lang);
    let offset: DisplayOffset = config.utc_offset;
    move || {
        provide_context(state.clone());
        provide_context(lang);
        provide_context(offset);
    }
}

pub fn router(state: AppState, config: &Config) -> Router {
    let options = leptos_options(config);
    let routes = generate_route_list(App);
    let ctx = context(state.clone(), config);
    let page = {
        let options = options.clone();
        move || shell(options.clone())
    };
    // Unknown paths render the app's not-found page, in order (the page is small).
    let not_found = leptos_axum::render_app_to_stream_in_order_with_context(ctx.clone(), page.clone());
    Router::new()
        .route("/healthz", get(health::health).with_state(state.clone()))
        .route("/api/live/reminders", get(live::reminder_events).with_state(state.clone()))
        .route(import::IMPORT_PATH, post(import::import_orders).with_state(state.clone()))
        .route(import::IMPORT_STATUS_PATH, get(import::import_status).with_state(state.clone()))
        .route("/api/reports/{file}", get(reports::report_csv).with_state(state.clone()))
        .route("/calendar/{file}", get(calendar::serve).with_state((state, config.default_lang)))
        .leptos_routes_with_context(&options, routes, ctx, page)
        .fallback(move |request: Request| {
            let not_found = not_found.clone();
            async move {
                match assets::serve(request.uri().path(), request.headers()) {
                    Some(file) => file,
                    None => not_found(request).await.into_response(),
                }
            }
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(refuse_oversized))
        .layer(middleware::from_fn(refuse_cross_site))
        .layer(middleware::from_fn(security_headers))
        .with_state(options)
}

/// Headers every response carries. The Content-Security-Policy of pages is set by the
/// shell itself, because it names that page's script nonce.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

/// CSRF protection for every state-changing request: a browser always says where a request
/// comes from (Origin, or Sec-Fetch-Site); one from another site is refused before it runs.
/// Requests that say nothing are not from a browser, so carry no victim's cookie.
async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS);
    if !safe && !csrf::same_origin(request.headers()) {
        return caller::error_response(&AppError::Forbidden);
    }
    next.run(request).await
}

/// Refuses a body announced as larger than the limit before reading it, and says so in the
/// server-function error format, so the page can tell the person what happened.
async fn refuse_oversized(request: Request, next: Next) -> Response {
    use axum::body::HttpBody;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    // The header for requests off the wire; the body's own size for in-process callers.
    let known = declared.unwrap_or_else(|| request.body().size_hint().lower());
    // Order imports carry whole files; that route reads at most its own, larger limit.
    let limit = if request.uri().path() == import::IMPORT_PATH { import::IMPORT_LIMIT } else { BODY_LIMIT };
    if known > limit as u64 {
        return caller::error_response(&AppError::TooLarge);
    }
    next.run(request).await
}
