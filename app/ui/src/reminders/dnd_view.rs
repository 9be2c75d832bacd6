//! Do-not-disturb windows on the customer profile: a window in force is shown as a banner
//! at the top of the panel, so nobody calls by mistake; windows are added with field-level
//! messages and removed in place.

use leptos::prelude::*;

use super::api::{add_dnd, customer_dnd, remove_dnd};
use kehu_domain::reminders::dnd::{in_force, is_active, validate_dnd, DndInput};
use kehu_domain::reminders::types::{DndRule, DndWindow};
use crate::components::fields::{TextField, save_if_valid};
use crate::components::{load_in_browser, ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::format::{day, today, use_display_offset};
use crate::i18n::{use_i18n, Lang, Msg};

fn window_text(rule: &DndRule, lang: Lang) -> String {
    match (rule, lang) {
        (DndRule::Dates { from, to }, Lang::Zh) => format!("{} 至 {} 不联系", day(*from), day(*to)),
        (DndRule::Dates { from, to }, Lang::En) => format!("No contact {} to {}", day(*from), day(*to)),
        (DndRule::Hours { not_before, not_after }, Lang::Zh) => {
            format!("仅在 {} – {} 之间联系", not_before.format("%H:%M"), not_after.format("%H:%M"))
        }
        (DndRule::Hours { not_before, not_after }, Lang::En) => {
            format!("Contact only between {} and {}", not_before.format("%H:%M"), not_after.format("%H:%M"))
        }
    }
}

#[component]
pub fn DndWindows(customer_id: String, can_edit: bool) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let id = StoredValue::new(customer_id);
    let loaded = load_in_browser(move || customer_dnd(id.get_value()));
    // What the server last said: the first load, then each add or remove.
    let windows = RwSignal::new(None::<Vec<DndWindow>>);
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            windows.set(Some(list));
        }
    });
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let not_before = RwSignal::new(String::new());
    let not_after = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);

    let save = Action::new(move |input: &DndInput| {
        let input = input.clone();
        async move {
            match add_dnd(id.get_value(), input).await {
                Ok(list) => {
                    windows.set(Some(list));
                    for field in [from, to, not_before, not_after, reason] {
                        field.set(String::new());
                    }
                    errors.set(Vec::new());
                    failure.set(None);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let remove = Action::new(move |window: &String| {
        let window = window.clone();
        async move {
            match remove_dnd(id.get_value(), window).await {
                Ok(list) => windows.set(Some(list)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = DndInput {
            from: from.get_untracked(),
            to: to.get_untracked(),
            not_before: not_before.get_untracked(),
            not_after: not_after.get_untracked(),
            reason: reason.get_untracked(),
        };
        save_if_valid(validate_dnd(&value, today(offset)), value, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    let now_in_force = move || {
        let today = today(offset);
        windows.get().unwrap_or_default().into_iter().filter(|w| in_force(&w.rule, today)).collect::<Vec<_>>()
    };
    view! {
        <section class="card dnd" data-testid="dnd">
            <h2><T m=Msg::DndTitle/></h2>
            {move || now_in_force().into_iter().map(|w| view! {
                <p class="banner warning" role="status" data-testid="dnd-active">
                    <strong>{move || i18n.t(Msg::DndInForce)}</strong>" "{window_text(&w.rule, i18n.lang())}" · "{w.reason.clone()}
                </p>
            }).collect_view()}
            {move || {
                let today = today(offset);
                let list: Vec<DndWindow> = windows.get().unwrap_or_default().into_iter().filter(|w| is_active(&w.rule, today)).collect();
                if windows.with(Option::is_none) {
                    return view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any();
                }
                if list.is_empty() {
                    return view! { <p class="muted"><T m=Msg::DndNone/></p> }.into_any();
                }
                view! {
                    <ul class="plain">
                        {list.into_iter().map(|w| {
                            let wid = w.id.clone();
                            view! {
                                <li data-testid="dnd-window">
                                    {window_text(&w.rule, i18n.lang())}" · "<span class="muted">{w.reason.clone()}</span>
                                    {can_edit.then(|| view! {
                                        " "<button type="button" class="button small quiet" on:click=move |_| { remove.dispatch(wid.clone()); }>
                                            <T m=Msg::RemoveLine/>
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            {can_edit.then(|| view! {
                <form class="dnd-form" novalidate on:submit=on_submit data-testid="dnd-form">
                    <p class="muted small"><T m=Msg::DndHint/></p>
                    <div class="row">
                        <TextField label=Msg::From name="from" value=from errors=e input_type="date"/>
                        <TextField label=Msg::To name="to" value=to errors=e input_type="date"/>
                    </div>
                    <div class="row">
                        <TextField label=Msg::DndNotBefore name="not_before" value=not_before errors=e input_type="time"/>
                        <TextField label=Msg::DndNotAfter name="not_after" value=not_after errors=e input_type="time"/>
                    </div>
                    <TextField label=Msg::DndReason name="reason" value=reason errors=e required=true/>
                    <button type="submit" class="button" disabled=move || save.pending().get()><T m=Msg::DndAdd/></button>
                    <ErrorBanner error=failure/>
                </form>
            })}
        </section>
    }
    .into_any()
}
