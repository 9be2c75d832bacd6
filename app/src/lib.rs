#![recursion_limit = "256"]
//! Kehu's shared half: domain types and rules, pages, components and server functions.
//! Compiled twice: with `ssr` into the server, with `hydrate` into the browser's wasm.
//! Server-only code (the store, services) lives in `backend`, behind `ssr`.

pub mod components;
pub mod customers;
pub mod error;
pub mod format;
pub mod i18n;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use components::header::Header;
use components::T;
use customers::form_page::{EditCustomerPage, NewCustomerPage};
use customers::list_page::CustomerListPage;
use customers::profile_page::ProfilePage;
use format::use_display_offset;
use i18n::{initial_lang, provide_i18n, use_i18n, Msg};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = initial_lang();
    let offset = use_display_offset();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-utc-offset=offset.to_text()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = provide_i18n(initial_lang());
    view! {
        <Stylesheet id="leptos" href="/pkg/kehu.css"/>
        <Title text=move || i18n.t(Msg::AppName)/>
        <Meta name="theme-color" content="#1f6feb"/>
        <Meta name="description" content=move || i18n.t(Msg::AppTagline)/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icon.svg" type_="image/svg+xml"/>
        <Router>
            <Header/>
            <main class="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=CustomerListPage/>
                    <Route path=path!("/customers") view=CustomerListPage/>
                    <Route path=path!("/customers/new") view=NewCustomerPage/>
                    <Route path=path!("/customers/:id") view=ProfilePage/>
                    <Route path=path!("/customers/:id/edit") view=EditCustomerPage/>
                </Routes>
            </main>
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
