//! The HTTP surface: server-rendered pages and server functions (the UI crate's), and every
//! plain route — the live badge stream, the order import, report downloads, the calendar
//! feed, health — behind the same guards (body limits, cross-site refusal, headers).

pub mod api;
mod backup;
mod calendar;
mod customer_import;
mod download;
mod export;
pub mod caller;
pub mod csrf;
mod guards;
mod health;
pub mod import;
mod live;
mod outbox;
mod page_session;
mod performance;
mod personal_data;
mod reports;
mod service_report;
mod service_worker;

use std::sync::OnceLock;

use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use kehu_backend::AppState;
use kehu_domain::format::DisplayOffset;
use kehu_ui::i18n::DefaultLang;
use kehu_ui::{shell, App};
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};

use crate::assets;
use crate::config::Config;

pub use guards::BODY_LIMIT;

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("kehu")
        .site_root(assets::site_root_for_pages())
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

/// The app's page routes, worked out once per process.
///
/// Working them out renders the app with every resource held back, and Leptos holds them
/// back process-wide while it does (`SuppressResourceLoad` sets a global flag): a page
/// rendering meanwhile on another thread would wait forever for its data, its answer never
/// finishing. That happened in the server tests, where each test builds its own router while
/// others render. Worked out once, before the first router exists, nothing renders meanwhile.
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, config: &Config) -> Router {
    let options = leptos_options(config);
    let routes = page_routes();
    let ctx = context(state.clone(), config);
    let transport = guards::Transport { secure_cookies: config.policy.secure_cookies, hsts: config.policy.hsts };
    let page = {
        let options = options.clone();
        move || shell(options.clone())
    };
    // Unknown paths render the app's not-found page, in order (the page is small).
    let not_found = leptos_axum::render_app_to_stream_in_order_with_context(ctx.clone(), page.clone());
    Router::new()
        .route(service_worker::PATH, get(service_worker::script))
        .route("/healthz", get(health::health).with_state(state.clone()))
        .route("/api/live/reminders", get(live::reminder_events).with_state(state.clone()))
        .route(outbox::FOLLOW_UPS_PATH, post(outbox::send_follow_up).with_state(state.clone()))
        .route(import::IMPORT_PATH, post(import::import_orders).with_state(state.clone()))
        .route(import::IMPORT_STATUS_PATH, get(import::import_status).with_state(state.clone()))
        .route(customer_import::PREVIEW_PATH, post(customer_import::preview).with_state(state.clone()))
        .route(customer_import::CHECK_PATH, post(customer_import::check).with_state(state.clone()))
        .route(customer_import::ERRORS_PATH, post(customer_import::errors).with_state(state.clone()))
        .route(customer_import::IMPORT_PATH, post(customer_import::start).with_state(state.clone()))
        .route(customer_import::STATUS_PATH, get(import::import_status).with_state(state.clone()))
        .route(backup::BACKUP_PATH, get(backup::backup_route).with_state(state.clone()))
        .route(personal_data::PERSONAL_DATA_PATH, get(personal_data::personal_data_file).with_state(state.clone()))
        .route(export::EXPORT_PATH, get(export::export_file).with_state(state.clone()))
        .route("/api/reports/{file}", get(reports::report_csv).with_state(state.clone()))
        .route(performance::BOARD_PATH, get(performance::board_file).with_state(state.clone()))
        .route("/api/service-report/{file}", get(service_report::table_csv).with_state(state.clone()))
        .route("/calendar/{file}", get(calendar::serve).with_state((state.clone(), config.default_lang)))
        .merge(api::routes(state.clone(), config.default_lang))
        .merge(
            Router::new()
                .leptos_routes_with_context(&options, routes, ctx, page)
                .layer(middleware::from_fn_with_state(state.clone(), page_session::known_before_render)),
        )
        .fallback(move |mut request: Request| {
            let not_found = not_found.clone();
            let state = state.clone();
            async move {
                match assets::serve(request.uri().path(), request.headers()) {
                    Some(file) => file,
                    None => {
                        page_session::learn(&state, &mut request).await;
                        not_found(request).await.into_response()
                    }
                }
            }
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(guards::error_statuses))
        .layer(middleware::from_fn(guards::limit_body))
        .layer(middleware::from_fn(guards::refuse_cross_site))
        .layer(middleware::from_fn(move |request, next| guards::security_headers(transport, request, next)))
        .layer(middleware::from_fn(service_worker::build_header))
        .with_state(options)
}

