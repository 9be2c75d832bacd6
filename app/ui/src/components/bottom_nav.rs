//! The phone's bottom bar: 今天, 客户, 漏斗, 提醒, 我的 within a thumb's reach. Shown only on
//! narrow screens (style/main.css); the header's full navigation serves wide ones.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::places::daily;
use super::T;
use crate::session::use_session;
use kehu_domain::accounts::types::Me;

#[component]
pub fn BottomNav() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let tabs = move |me: Option<Me>| {
        me.map(|me| {
            daily(&me)
                .into_iter()
                .map(|p| {
                    let href = p.href;
                    // A tab stays lit on the pages under it: a profile under 客户, a deal under 漏斗.
                    let current = move || {
                        let path = location.pathname.get();
                        path == href
                            || path.starts_with(&format!("{href}/"))
                            || (href == "/pipeline" && (path.starts_with("/deals/") || path.starts_with("/quotes/")))
                    };
                    view! {
                        <a href=href data-testid=p.testid class:current=current aria-current=move || current().then_some("page")>
                            <span class="tab-icon" aria-hidden="true">{icon(href)}</span>
                            <span class="tab-label"><T m=p.label/></span>
                        </a>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <Transition fallback=|| ()>
            // Awaited, as in the header (leptos#4578).
            {move || Suspend::new(async move {
                tabs(session.signed_in().await).map(|tabs| view! { <nav class="bottom-nav" data-testid="bottom-nav">{tabs}</nav> })
            })}
        </Transition>
    }
}

/// A plain line icon per place (24×24, drawn in the text colour).
fn icon(href: &str) -> impl IntoView {
    let d = match href {
        "/today" => "M7 3v3M17 3v3M4 8h16M5 5h14a1 1 0 0 1 1 1v13a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1Zm4 9 2 2 4-4",
        "/customers" => "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-6 9c0-3.3 2.7-6 6-6s6 2.7 6 6M16 3.5a4 4 0 0 1 0 7.5M18 14c2 .8 3 3 3 6",
        "/pipeline" => "M3 4h18l-7 8v6l-4 2v-8Z",
        "/tickets" => "M4 7h16v3a2 2 0 0 0 0 4v3H4v-3a2 2 0 0 0 0-4Zm6 0v10",
        "/reminders" => "M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Zm0-14v5l3 2",
        _ => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8Zm-7 9c0-3.9 3.1-7 7-7s7 3.1 7 7",
    };
    view! {
        <svg viewBox="0 0 24 24" width="22" height="22">
            <path d=d fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}
