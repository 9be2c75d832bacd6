//! Small pieces every page uses.

pub mod bottom_nav;
pub mod fields;
pub mod header;
pub mod lang_switch;
pub mod places;
pub mod reminder_badge;
pub mod sign_out;
pub mod upload;

use leptos::prelude::*;

use kehu_domain::error::AppError;
use crate::i18n::{error_text, use_i18n, Msg};

/// A translated fixed string: `<T m=Msg::Save/>`.
#[component]
pub fn T(m: Msg) -> impl IntoView {
    let i18n = use_i18n();
    move || i18n.t(m)
}

/// A failed request, said in the reader's language.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! { <p class="banner error" role="alert">{error_text(&e, i18n.lang())}</p> }
        })
    }
}

/// Data for a secondary panel of a page that is itself loaded on the server, fetched in the
/// browser once the page is live (effects never run on the server). Both sides render the
/// "not yet" state first, so hydration always matches; a nested server-side load, by
/// contrast, can resolve in a different order in the stream than in the browser and break
/// hydration.
pub fn load_in_browser<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> ReadSignal<Option<Result<T, AppError>>>
where
    T: Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
{
    let (value, set) = signal(None);
    Effect::new(move |_| {
        let pending = fetch();
        leptos::task::spawn_local(async move { set.set(Some(pending.await)) });
    });
    value
}
