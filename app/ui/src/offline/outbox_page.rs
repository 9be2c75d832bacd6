//! `/outbox`: the follow-ups written on this device that the server has not taken yet —
//! waiting for the connection, or refused with the reason (the customer was reassigned
//! meanwhile, say) — to send now, retry or discard. Reads only the browser's outbox, so it
//! opens offline too.

use leptos::prelude::*;

use super::outbox::{self, OutboxItem};
use crate::components::T;
use crate::format::{datetime, use_display_offset};
use crate::i18n::{error_text, touch_label, use_i18n, Lang, Msg};
use crate::session::use_session;
use kehu_domain::error::AppError;

/// Why the server refused a follow-up from the outbox, in the reader's language: a customer
/// the writer may no longer change is said plainly (it was reassigned or went back to the
/// pool while the phone was offline).
pub fn refusal_text(error: &AppError, lang: Lang) -> String {
    match error {
        AppError::NotFound | AppError::Forbidden => Msg::OutboxGone.text(lang).to_string(),
        other => error_text(other, lang),
    }
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let user = StoredValue::new(use_session().user_now().map(|m| m.user.username).unwrap_or_default());
    let items = RwSignal::new(Vec::<OutboxItem>::new());
    let load = move || leptos::task::spawn_local(async move { items.set(outbox::items(&user.get_value()).await) });
    Effect::new(move |_| load());
    outbox::on_change(move |_| load());

    let discard = move |key: String| {
        let sure = web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::OutboxDiscardConfirm)).ok()).unwrap_or(false);
        if sure {
            leptos::task::spawn_local(async move { outbox::discard(&key).await });
        }
    };
    view! {
        <section class="page outbox">
            <h1><T m=Msg::OutboxTitle/></h1>
            <p class="muted"><T m=Msg::OutboxIntro/></p>
            <Show when=move || items.with(|i| i.iter().any(|i| !i.refused()))>
                <button type="button" class="button primary" data-testid="outbox-send" on:click=move |_| leptos::task::spawn_local(outbox::send_now())>
                    <T m=Msg::OutboxSendNow/>
                </button>
            </Show>
            <Show when=move || items.with(|i| i.is_empty())>
                <p class="muted" data-testid="outbox-empty"><T m=Msg::OutboxEmpty/></p>
            </Show>
            <ul class="outbox-list" data-testid="outbox-list">
                <For each=move || items.get() key=|item| (item.key.clone(), item.state.clone()) let:item>
                    {
                        let f = item.follow_up.clone();
                        let (key_retry, key_discard) = (item.key.clone(), item.key.clone());
                        let refused = item.refused();
                        let reason = item.error.clone();
                        view! {
                            <li class="card outbox-item" class:refused=refused data-testid="outbox-item">
                                <div class="event-head">
                                    <a href=format!("/customers/{}", f.customer_id)>{if f.customer_name.is_empty() { f.customer_id.clone() } else { f.customer_name.clone() }}</a>
                                    <span class="event-kind">{move || i18n.t(touch_label(f.input.kind))}</span>
                                    <time datetime=f.written_at.to_rfc3339()>{datetime(f.written_at, offset)}</time>
                                </div>
                                <p class="event-summary">{f.input.summary.clone()}</p>
                                {match reason {
                                    Some(e) => view! { <p class="field-error" data-testid="outbox-reason">{move || refusal_text(&e, i18n.lang())}</p> }.into_any(),
                                    None => view! { <p class="muted">{move || i18n.t(if refused { Msg::OutboxRefused } else { Msg::OutboxWaiting })}</p> }.into_any(),
                                }}
                                <div class="actions">
                                    {refused.then(|| view! {
                                        <button type="button" class="button" on:click=move |_| {
                                            let key = key_retry.clone();
                                            leptos::task::spawn_local(async move { outbox::retry(&key).await });
                                        }><T m=Msg::OutboxRetry/></button>
                                    })}
                                    <button type="button" class="button quiet" data-testid="outbox-discard" on:click=move |_| discard(key_discard.clone())>
                                        <T m=Msg::OutboxDiscard/>
                                    </button>
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}
