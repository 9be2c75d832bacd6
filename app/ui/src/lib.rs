#![recursion_limit = "256"]
//! Kehu's pages, components and server functions. Compiled twice: with `ssr` into the
//! server (where the server functions call `kehu_backend`), with `hydrate` into the
//! browser's wasm (where they are fetch calls). Types, rules and texts come from
//! `kehu_domain`; the store never reaches this crate's browser build.

pub mod accounts;
pub mod aftersales;
pub mod audit;
pub mod components;
pub mod customers;
pub mod format;
pub mod i18n;
pub mod insight;
pub mod notifications;
pub mod offline;
pub mod pipeline;
pub mod platform;
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod request;
pub mod routes;
pub mod session;
pub mod targets;
pub mod today;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};

use components::header::Header;
use components::T;
use format::use_display_offset;
use i18n::{initial_lang, provide_i18n, use_i18n, Msg};
use session::provide_session;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    let offset = use_display_offset();
    #[cfg(feature = "ssr")]
    content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-utc-offset=offset.to_text()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                // The outbox of follow-ups written offline (public/outbox.js); before the app's
                // own script, so it is there when the app starts.
                <script src="/outbox.js" defer></script>
                <HydrationScripts options/>
                <MetaTags/>
                // The service worker's registration and the new-version prompt (public/pwa.js).
                <script src="/pwa.js" defer></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Only the app's own files and this page's nonce-marked inline scripts run; nothing may
/// frame the app. `wasm-unsafe-eval` is what lets the page compile its own wasm.
#[cfg(feature = "ssr")]
fn content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let nonce = leptos::nonce::use_nonce().map(|n| format!(" 'nonce-{}'", n.as_inner())).unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n(initial_lang());
    provide_session();
    provide_context(components::reminder_badge::LiveDueCount(RwSignal::new(0)));
    view! {
        <Stylesheet id="leptos" href="/pkg/kehu.css"/>
        <Title text=move || i18n.t(Msg::AppName)/>
        <Meta name="theme-color" content="#1f6feb"/>
        <Meta name="description" content=move || i18n.t(Msg::AppTagline)/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icon.svg" type_="image/svg+xml"/>
        <Link rel="apple-touch-icon" href="/apple-touch-icon.png"/>
        <Router>
            <Header/>
            <main class="main">
                <Routes fallback=NotFound>
                    // Each page is fetched the first time it is opened (see routes.rs).
                    <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                    <Route path=path!("/setup") view={Lazy::<routes::Setup>::new()}/>
                    <Route path=path!("/s/:token") view={Lazy::<routes::SurveyAnswer>::new()}/>
                    <Route path=path!("/") view={Lazy::<routes::Customers>::new()}/>
                    <Route path=path!("/customers") view={Lazy::<routes::Customers>::new()}/>
                    <Route path=path!("/customers/new") view={Lazy::<routes::NewCustomer>::new()}/>
                    <Route path=path!("/customers/import") view={Lazy::<routes::CustomerImport>::new()}/>
                    <Route path=path!("/customers/:id") view={Lazy::<routes::Profile>::new()}/>
                    <Route path=path!("/customers/:id/edit") view={Lazy::<routes::EditCustomer>::new()}/>
                    <Route path=path!("/pipeline") view={Lazy::<routes::Board>::new()}/>
                    <Route path=path!("/funnel") view={Lazy::<routes::Funnel>::new()}/>
                    <Route path=path!("/deals/new") view={Lazy::<routes::NewDeal>::new()}/>
                    <Route path=path!("/deals/:id") view={Lazy::<routes::Deal>::new()}/>
                    <Route path=path!("/quotes/:id") view={Lazy::<routes::Quote>::new()}/>
                    <Route path=path!("/account/password") view={Lazy::<routes::Password>::new()}/>
                    <Route path=path!("/account/tokens") view={Lazy::<routes::Tokens>::new()}/>
                    <Route path=path!("/admin/webhooks") view={Lazy::<routes::Webhooks>::new()}/>
                    <Route path=path!("/admin/users") view={Lazy::<routes::Users>::new()}/>
                    <Route path=path!("/audit") view={Lazy::<routes::Audit>::new()}/>
                    <Route path=path!("/reminders") view={Lazy::<routes::Reminders>::new()}/>
                    <Route path=path!("/tickets") view={Lazy::<routes::Tickets>::new()}/>
                    <Route path=path!("/admin/reminders") view={Lazy::<routes::ReminderRules>::new()}/>
                    <Route path=path!("/service/reports") view={Lazy::<routes::ServiceReports>::new()}/>
                    <Route path=path!("/admin/service") view={Lazy::<routes::ServiceSettings>::new()}/>
                    <Route path=path!("/insight") view={Lazy::<routes::Insight>::new()}/>
                    <Route path=path!("/reports") view={Lazy::<routes::Reports>::new()}/>
                    <Route path=path!("/products") view={Lazy::<routes::Products>::new()}/>
                    <Route path=path!("/competitors") view={Lazy::<routes::Competitors>::new()}/>
                    <Route path=path!("/import") view={Lazy::<routes::OrderImport>::new()}/>
                    <Route path=path!("/targets") view={Lazy::<routes::Targets>::new()}/>
                    <Route path=path!("/performance") view={Lazy::<routes::Performance>::new()}/>
                    <Route path=path!("/activity") view={Lazy::<routes::Activity>::new()}/>
                    <Route path=path!("/outbox") view={Lazy::<routes::Outbox>::new()}/>
                    <Route path=path!("/today") view={Lazy::<routes::Today>::new()}/>
                    <Route path=path!("/visits") view={Lazy::<routes::Visits>::new()}/>
                    <Route path=path!("/me") view={Lazy::<routes::Me>::new()}/>
                    <Route path=path!("/notifications") view={Lazy::<routes::Notifications>::new()}/>
                </Routes>
            </main>
            <components::bottom_nav::BottomNav/>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let _ = use_i18n();
    view! { <section class="page"><p class="empty"><T m=Msg::NotFoundPage/></p></section> }
}
