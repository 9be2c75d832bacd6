//! The timeline of touchpoints, newest first, with a follow-up form on top whose entry
//! appears in place as soon as the server has it.

use leptos::prelude::*;

use super::api::add_touchpoint;
use super::types::{Touchpoint, TouchpointInput, TouchpointKind};
use crate::components::fields::{FieldMessages, TextField};
use crate::components::{ErrorBanner, T};
use crate::customers::validate::validate_touchpoint;
use crate::error::{AppError, FieldError};
use crate::format::{datetime, day, today, use_display_offset};
use crate::i18n::{touch_label, use_i18n, Msg};

/// The name a follow-up is recorded under, remembered in this browser between follow-ups.
#[cfg(feature = "hydrate")]
const AUTHOR_KEY: &str = "kehu.author";

fn remembered_author() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            return storage.get_item(AUTHOR_KEY).ok().flatten().unwrap_or_default();
        }
    }
    String::new()
}

fn remember_author(_author: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(AUTHOR_KEY, _author);
    }
}

#[component]
pub fn Timeline(customer_id: String, entries: Vec<Touchpoint>, owner: String) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let entries = RwSignal::new(entries);
    let kind = RwSignal::new(TouchpointKind::Call);
    let author = RwSignal::new(owner);
    let summary = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_step_on = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(customer_id);

    // The browser's remembered name wins over the owner once the page is interactive.
    Effect::new(move |_| {
        let name = remembered_author();
        if !name.is_empty() {
            author.set(name);
        }
    });

    let submit = Action::new(move |input: &TouchpointInput| {
        let input = input.clone();
        let id = id.get_value();
        async move {
            match add_touchpoint(id, input.clone()).await {
                Ok(entry) => {
                    remember_author(&input.author);
                    entries.update(|list| list.insert(0, entry));
                    summary.set(String::new());
                    next_step.set(String::new());
                    next_step_on.set(String::new());
                    errors.set(Vec::new());
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = TouchpointInput {
            kind: kind.get_untracked(),
            author: author.get_untracked(),
            summary: summary.get_untracked(),
            next_step: next_step.get_untracked(),
            next_step_on: next_step_on.get_untracked(),
        };
        match validate_touchpoint(&input, today(offset)) {
            Ok(_) => {
                errors.set(Vec::new());
                submit.dispatch(input);
            }
            Err(list) => errors.set(list),
        }
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();

    view! {
        <section class="card timeline" data-testid="timeline">
            <h2><T m=Msg::Timeline/></h2>
            <form class="follow-up" novalidate on:submit=on_submit data-testid="follow-up-form">
                <div class="row">
                    <label class="field">
                        <span class="field-label"><T m=Msg::FieldTouchKind/></span>
                        <select name="kind" on:change=move |ev| {
                            if let Some(k) = TouchpointKind::parse(&event_target_value(&ev)) {
                                kind.set(k)
                            }
                        }>
                            {TouchpointKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(touch_label(k))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <TextField label=Msg::FieldAuthor name="author" value=author errors=errors_signal required=true/>
                </div>
                <label class="field wide" class:invalid=move || errors.get().iter().any(|e| e.field == "summary")>
                    <span class="field-label"><T m=Msg::FieldSummary/>" *"</span>
                    <textarea name="summary" rows="2" prop:value=move || summary.get()
                        on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
                    <FieldMessages errors=errors_signal name="summary"/>
                </label>
                <div class="row">
                    <TextField label=Msg::FieldNextStep name="next_step" value=next_step errors=errors_signal/>
                    <TextField label=Msg::FieldNextStepOn name="next_step_on" value=next_step_on errors=errors_signal input_type="date"/>
                </div>
                <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                    <T m=Msg::AddFollowUp/>
                </button>
                <ErrorBanner error=failure/>
            </form>
            <Show when=move || entries.with(|e| e.is_empty())>
                <p class="muted"><T m=Msg::NoTouchpoints/></p>
            </Show>
            <ol class="events">
                <For each=move || entries.get() key=|t| t.id.clone() let:t>
                    <li class=format!("event event-{}", t.kind.as_str())>
                        <div class="event-head">
                            <span class="event-kind">{move || i18n.t(touch_label(t.kind))}</span>
                            <time datetime=t.at.to_rfc3339()>{datetime(t.at, offset)}</time>
                            <span class="muted">{t.author.clone()}</span>
                        </div>
                        <p class="event-summary">{t.summary.clone()}</p>
                        {(!t.next_step.is_empty() || t.next_step_on.is_some()).then(|| view! {
                            <p class="event-next">
                                <span class="muted"><T m=Msg::FieldNextStep/>": "</span>
                                {t.next_step.clone()}
                                {t.next_step_on.map(|d| format!(" ({})", day(d)))}
                            </p>
                        })}
                    </li>
                </For>
            </ol>
        </section>
       }
    .into_any()
}
