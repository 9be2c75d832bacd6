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
pub mod session;
pub mod targets;
pub mod today;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use accounts::login_page::{LoginPage, SetupPage};
use accounts::password_page::PasswordPage;
use accounts::users_page::UsersPage;
use audit::page::AuditPage;
use components::header::Header;
use components::T;
use customers::form_page::{EditCustomerPage, NewCustomerPage};
use customers::import_page::CustomerImportPage;
use customers::list_page::CustomerListPage;
use customers::profile_page::ProfilePage;
use format::use_display_offset;
use insight::competitors_page::CompetitorsPage;
use insight::import_page::ImportPage;
use insight::overview_page::InsightPage;
use insight::products_page::ProductsPage;
use insight::reports_page::ReportsPage;
use i18n::{initial_lang, provide_i18n, use_i18n, Msg};
use notifications::page::NotificationsPage;
use pipeline::board_page::BoardPage;
use pipeline::deal_form::NewDealPage;
use pipeline::deal_page::DealPage;
use pipeline::funnel_page::FunnelPage;
use pipeline::quote_page::QuotePage;
use reminders::center_page::RemindersPage;
use reminders::settings_page::ReminderRulesPage;
use session::{provide_session, RequireLogin};

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
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/setup") view=SetupPage/>
                    <Route path=path!("/s/:token") view=crate::aftersales::survey_page::SurveyAnswerPage/>
                    <Route path=path!("/") view=|| view! { <RequireLogin><CustomerListPage/></RequireLogin> }/>
                    <Route path=path!("/customers") view=|| view! { <RequireLogin><CustomerListPage/></RequireLogin> }/>
                    <Route path=path!("/customers/new") view=|| view! { <RequireLogin><NewCustomerPage/></RequireLogin> }/>
                    <Route path=path!("/customers/import") view=|| view! { <RequireLogin><CustomerImportPage/></RequireLogin> }/>
                    <Route path=path!("/customers/:id") view=|| view! { <RequireLogin><ProfilePage/></RequireLogin> }/>
                    <Route path=path!("/customers/:id/edit") view=|| view! { <RequireLogin><EditCustomerPage/></RequireLogin> }/>
                    <Route path=path!("/pipeline") view=|| view! { <RequireLogin><BoardPage/></RequireLogin> }/>
                    <Route path=path!("/funnel") view=|| view! { <RequireLogin><FunnelPage/></RequireLogin> }/>
                    <Route path=path!("/deals/new") view=|| view! { <RequireLogin><NewDealPage/></RequireLogin> }/>
                    <Route path=path!("/deals/:id") view=|| view! { <RequireLogin><DealPage/></RequireLogin> }/>
                    <Route path=path!("/quotes/:id") view=|| view! { <RequireLogin><QuotePage/></RequireLogin> }/>
                    <Route path=path!("/account/password") view=|| view! { <RequireLogin><PasswordPage/></RequireLogin> }/>
                    <Route path=path!("/account/tokens") view=|| view! { <RequireLogin><platform::tokens_page::TokensPage/></RequireLogin> }/>
                    <Route path=path!("/admin/webhooks") view=|| view! { <RequireLogin><platform::webhooks_page::WebhooksPage/></RequireLogin> }/>
                    <Route path=path!("/admin/users") view=|| view! { <RequireLogin><UsersPage/></RequireLogin> }/>
                    <Route path=path!("/audit") view=|| view! { <RequireLogin><AuditPage/></RequireLogin> }/>
                    <Route path=path!("/reminders") view=|| view! { <RequireLogin><RemindersPage/></RequireLogin> }/>
                    <Route path=path!("/tickets") view=|| view! { <RequireLogin><crate::aftersales::queue_page::TicketQueuePage/></RequireLogin> }/>
                    <Route path=path!("/admin/reminders") view=|| view! { <RequireLogin><ReminderRulesPage/></RequireLogin> }/>
                    <Route path=path!("/service/reports") view=|| view! { <RequireLogin><crate::aftersales::reports_page::ServiceReportPage/></RequireLogin> }/>
                    <Route path=path!("/admin/service") view=|| view! { <RequireLogin><crate::aftersales::settings_page::ServiceSettingsPage/></RequireLogin> }/>
                    <Route path=path!("/insight") view=|| view! { <RequireLogin><InsightPage/></RequireLogin> }/>
                    <Route path=path!("/reports") view=|| view! { <RequireLogin><ReportsPage/></RequireLogin> }/>
                    <Route path=path!("/products") view=|| view! { <RequireLogin><ProductsPage/></RequireLogin> }/>
                    <Route path=path!("/competitors") view=|| view! { <RequireLogin><CompetitorsPage/></RequireLogin> }/>
                    <Route path=path!("/import") view=|| view! { <RequireLogin><ImportPage/></RequireLogin> }/>
                    <Route path=path!("/targets") view=|| view! { <RequireLogin><targets::targets_page::TargetsPage/></RequireLogin> }/>
                    <Route path=path!("/performance") view=|| view! { <RequireLogin><targets::performance_page::PerformancePage/></RequireLogin> }/>
                    <Route path=path!("/activity") view=|| view! { <RequireLogin><targets::activity_page::ActivityPage/></RequireLogin> }/>
                    <Route path=path!("/outbox") view=|| view! { <RequireLogin><offline::outbox_page::OutboxPage/></RequireLogin> }/>
                    <Route path=path!("/today") view=|| view! { <RequireLogin><today::today_page::TodayPage/></RequireLogin> }/>
                    <Route path=path!("/visits") view=|| view! { <RequireLogin><customers::visits_page::VisitsPage/></RequireLogin> }/>
                    <Route path=path!("/me") view=|| view! { <RequireLogin><accounts::me_page::MePage/></RequireLogin> }/>
                    <Route path=path!("/notifications") view=|| view! { <RequireLogin><NotificationsPage/></RequireLogin> }/>
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
