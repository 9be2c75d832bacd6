//! The bar at the top of every page: brand, navigation, language.

use leptos::prelude::*;

use super::T;
use crate::i18n::{use_i18n, Lang, Msg};

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <a class="brand" href="/customers">
                <span class="brand-mark" aria-hidden="true">"客"</span>
                <span class="brand-name"><T m=Msg::AppName/></span>
            </a>
            <nav class="nav">
                <a href="/customers"><T m=Msg::NavCustomers/></a>
            </nav>
            <div class="topbar-actions">
                <a class="button primary" href="/customers/new" data-testid="new-customer"><T m=Msg::NewCustomer/></a>
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
            </div>
        </header>
    }
}
