//! 我的: on a phone, everything the header holds on a wide screen — every place this user may
//! open, the outbox, notifications, password and API tokens, the language, signing out —
//! as a list of rows large enough for a thumb.

use leptos::prelude::*;

use crate::components::lang_switch::LangSwitch;
use crate::components::places::places;
use crate::components::sign_out::use_sign_out;
use crate::components::T;
use crate::i18n::{role_label, use_i18n, Msg};
use crate::session::{use_session, PASSWORD_PAGE};

#[component]
pub fn MePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = use_sign_out();
    move || {
        session.user().map(|me| {
            let username = me.user.username.clone();
            let role = me.user.role;
            view! {
                <section class="page me">
                    <div class="card me-head">
                        <span class="brand-mark" aria-hidden="true">{me.user.display_name.chars().next().map(String::from).unwrap_or_default()}</span>
                        <div>
                            <h1 data-testid="me-name">{me.user.display_name.clone()}</h1>
                            <p class="muted small">{me.user.username.clone()}" · "{move || i18n.t(role_label(role))}</p>
                        </div>
                    </div>
                    <nav class="card me-list" aria-label=move || i18n.t(Msg::TabMe)>
                        {places(&me)
                            .into_iter()
                            .map(|p| view! { <a href=p.href data-testid=format!("me-{}", p.testid)><T m=p.label/></a> })
                            .collect_view()}
                    </nav>
                    <nav class="card me-list">
                        <a href="/notifications" data-testid="me-notifications"><T m=Msg::Notifications/></a>
                        <a href="/outbox" data-testid="me-outbox"><T m=Msg::OutboxTitle/></a>
                        <a href=PASSWORD_PAGE data-testid="me-password"><T m=Msg::ChangePassword/></a>
                        <a href="/account/tokens" data-testid="me-tokens"><T m=Msg::ApiTokens/></a>
                    </nav>
                    <div class="card me-row">
                        <span><T m=Msg::Language/></span>
                        <LangSwitch/>
                    </div>
                    <button type="button" class="button danger me-sign-out" data-testid="me-sign-out" on:click=move |_| { sign_out.dispatch(username.clone()); }>
                        <T m=Msg::SignOut/>
                    </button>
                </section>
            }
        })
    }
}
