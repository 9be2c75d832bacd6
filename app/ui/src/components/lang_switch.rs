//! The language buttons (中文 / English), in the header and on the 我的 page.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Lang, Msg};

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="lang-switch" role="group" aria-label=move || i18n.t(Msg::Language)>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            class:active=move || i18n.lang() == lang
                            aria-pressed=move || if i18n.lang() == lang { "true" } else { "false" }
                            data-lang=lang.code()
                            on:click=move |_| i18n.set(lang)
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
