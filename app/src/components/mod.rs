//! Small pieces every page uses.

pub mod fields;
pub mod header;

use leptos::prelude::*;

use crate::error::AppError;
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
