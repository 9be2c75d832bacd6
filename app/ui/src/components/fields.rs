//! Labelled form fields that show their own problems under them.

use leptos::prelude::*;

use kehu_domain::error::FieldError;
use crate::i18n::{problem_text, use_i18n, Msg};

/// The messages for one field out of a form's list of problems.
fn field_messages(errors: Signal<Vec<FieldError>>, name: &'static str) -> impl Fn() -> Vec<String> + Send + Sync + Copy {
    let i18n = use_i18n();
    move || {
        errors
            .get()
            .iter()
            .filter(|e| e.field == name)
            .map(|e| problem_text(&e.problem, i18n.lang()))
            .collect::<Vec<_>>()
    }
}

#[component]
pub fn FieldMessages(errors: Signal<Vec<FieldError>>, name: &'static str) -> impl IntoView {
    let messages = field_messages(errors, name);
    view! {
        <For each=messages key=|m| m.clone() let:message>
            <span class="field-error" role="alert">{message}</span>
        </For>
    }
}

/// A labelled text input bound to a string signal; `multiline` makes it a textarea.
#[component]
pub fn TextField(
    label: Msg,
    name: &'static str,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] placeholder: Option<Msg>,
    #[prop(optional, into)] on_change: Option<Callback<()>>,
    /// What the browser may fill in, e.g. `username`, `current-password`, `new-password`.
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let label_for = id.clone();
    let has_error = move || errors.get().iter().any(|e| e.field == name);
    let on_input = move |ev: leptos::ev::Event| value.set(event_target_value(&ev));
    let on_change = move |_: leptos::ev::Event| {
        if let Some(cb) = on_change {
            cb.run(())
        }
    };
    let control = if multiline {
        view! {
            <textarea id=id name=name rows="3" prop:value=move || value.get() on:input=on_input on:change=on_change></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                name=name
                type=input_type
                prop:value=move || value.get()
                placeholder=move || placeholder.map(|p| i18n.t(p))
                autocomplete=autocomplete
                aria-invalid=move || if has_error() { "true" } else { "false" }
                on:input=on_input
                on:change=on_change
            />
        }
        .into_any()
    };
    view! {
        <label class="field" class:wide=multiline class:invalid=has_error for=label_for>
            <span class="field-label">{move || i18n.t(label)}{required.then_some(" *")}</span>
            {control}
            <FieldMessages errors=errors name=name/>
        </label>
    }
}

/// Sends a form's input to be saved once the same check the server runs passes here, so
/// problems show by their fields at once; otherwise shows them and sends nothing.
pub fn save_if_valid<I, V, O>(checked: Result<V, Vec<FieldError>>, input: I, errors: RwSignal<Vec<FieldError>>, save: Action<I, O>)
where
    I: Send + Sync + 'static,
    O: Send + Sync + 'static,
{
    match checked {
        Ok(_) => {
            errors.set(Vec::new());
            save.dispatch(input);
        }
        Err(list) => errors.set(list),
    }
}
