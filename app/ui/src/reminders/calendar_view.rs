//! The calendar feed panel: make, replace or revoke the secret address a phone calendar
//! subscribes to. The address is shown once, right after it is made (the store keeps only
//! its hash).

use leptos::prelude::*;

use super::api::{calendar_feed_status, new_calendar_feed, revoke_calendar_feed};
use kehu_domain::reminders::types::CalendarFeed;
use crate::components::{load_in_browser, ErrorBanner, T};
use kehu_domain::error::AppError;
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Msg};

/// The page's own origin, so the address can be pasted into a calendar app as it is.
fn absolute(path: &str) -> String {
    #[cfg(feature = "hydrate")]
    if let Some(origin) = web_sys::window().and_then(|w| w.location().origin().ok()) {
        return format!("{origin}{path}");
    }
    path.to_string()
}

#[component]
pub fn CalendarPanel() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let loaded = load_in_browser(calendar_feed_status);
    let feed = RwSignal::new(None::<CalendarFeed>);
    Effect::new(move |_| {
        if let Some(Ok(f)) = loaded.get() {
            feed.set(Some(f));
        }
    });
    let failure = RwSignal::new(None::<AppError>);
    let change = Action::new(move |revoke: &bool| {
        let revoke = *revoke;
        async move {
            let result = if revoke { revoke_calendar_feed().await } else { new_calendar_feed().await };
            match result {
                Ok(f) => {
                    feed.set(Some(f));
                    failure.set(None);
                }
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card calendar" data-testid="calendar-feed">
            <h2><T m=Msg::CalTitle/></h2>
            <p class="muted small"><T m=Msg::CalHint/></p>
            {move || match feed.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(f) => {
                    let address = f.new_path.as_deref().map(absolute);
                    view! {
                        {address.map(|a| view! {
                            <p><T m=Msg::CalCopyNow/></p>
                            <input class="feed-address" readonly data-testid="calendar-address" prop:value=a
                                on:focus=move |ev| {
                                    use wasm_bindgen::JsCast;
                                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        input.select();
                                    }
                                }/>
                        })}
                        {match (f.active, f.created_at) {
                            (true, Some(at)) => view! { <p data-testid="calendar-active">{move || i18n.t(Msg::CalActiveSince)}" "{datetime(at, offset)}</p> }.into_any(),
                            _ => view! { <p class="muted" data-testid="calendar-none"><T m=Msg::CalNone/></p> }.into_any(),
                        }}
                        <div class="row">
                            <button type="button" class="button" data-testid="calendar-new" disabled=move || change.pending().get()
                                on:click=move |_| { change.dispatch(false); }>
                                {move || i18n.t(if f.active { Msg::CalRenew } else { Msg::CalCreate })}
                            </button>
                            {f.active.then(|| view! {
                                <button type="button" class="button quiet" data-testid="calendar-revoke" disabled=move || change.pending().get()
                                    on:click=move |_| { change.dispatch(true); }>
                                    <T m=Msg::CalRevoke/>
                                </button>
                            })}
                        </div>
                    }.into_any()
                }
            }}
            <ErrorBanner error=failure/>
        </section>
    }
    .into_any()
}
