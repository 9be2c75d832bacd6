//! Tags on the list (read-only chips) and on the profile (added and removed in place).

use leptos::prelude::*;

use super::api::{add_tag, remove_tag};
use kehu_domain::customers::types::{Tag, TagDimension};
use crate::components::fields::FieldMessages;
use crate::components::{ErrorBanner, T};
use kehu_domain::customers::validate::validate_tag;
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{dimension_label, use_i18n, Msg};

#[component]
pub fn TagChips(tags: Vec<Tag>) -> impl IntoView {
    tags.into_iter()
        .map(|t| view! { <span class=format!("tag tag-{}", t.dimension.as_str())>{t.label}</span> })
        .collect_view()
}

/// The profile's tags, grouped by dimension, with add and remove.
#[component]
pub fn TagEditor(customer_id: String, tags: Vec<Tag>) -> impl IntoView {
    let i18n = use_i18n();
    let tags = RwSignal::new(tags);
    let error = RwSignal::new(None::<AppError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let new_label = RwSignal::new(String::new());
    let new_dimension = RwSignal::new(TagDimension::Behavior);
    let id = StoredValue::new(customer_id);

    let save = Action::new(move |change: &(bool, Tag)| {
        let (adding, tag) = change.clone();
        let id = id.get_value();
        async move {
            let result = if adding { add_tag(id, tag).await } else { remove_tag(id, tag).await };
            match result {
                Ok(now) => {
                    tags.set(now);
                    error.set(None);
                    if adding {
                        new_label.set(String::new());
                    }
                }
                Err(AppError::Invalid(errors)) => field_errors.set(errors),
                Err(e) => error.set(Some(e)),
            }
        }
    });

    let on_add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tag = Tag::new(new_dimension.get_untracked(), new_label.get_untracked());
        match validate_tag(&tag) {
            Ok(tag) => {
                field_errors.set(Vec::new());
                save.dispatch((true, tag));
            }
            Err(errors) => field_errors.set(errors),
        }
    };

    view! {
        <div class="tag-editor" data-testid="tags">
            {TagDimension::ALL.into_iter().map(|dim| view! {
                <div class="tag-group">
                    <span class="tag-dimension">{move || i18n.t(dimension_label(dim))}</span>
                    <For
                        each=move || tags.get().into_iter().filter(move |t| t.dimension == dim)
                        key=|t| t.key()
                        let:tag
                    >
                        {
                            let label = tag.label.clone();
                            view! {
                                <span class=format!("tag tag-{}", dim.as_str())>
                                    {label.clone()}
                                    <button type="button" class="tag-remove"
                                        aria-label=move || format!("{} {}", i18n.t(Msg::Remove), label)
                                        on:click=move |_| { save.dispatch((false, tag.clone())); }>"×"</button>
                                </span>
                            }
                        }
                    </For>
                </div>
            }).collect_view()}
            <form class="tag-add" novalidate on:submit=on_add>
                <select aria-label=move || i18n.t(Msg::Tags)
                    on:change=move |ev| {
                        if let Some(d) = TagDimension::parse(&event_target_value(&ev)) {
                            new_dimension.set(d)
                        }
                    }>
                    {TagDimension::ALL.into_iter().map(|d| view! {
                        <option value=d.as_str()>{move || i18n.t(dimension_label(d))}</option>
                    }).collect_view()}
                </select>
                <input type="text" name="tag" prop:value=move || new_label.get()
                    placeholder=move || i18n.t(Msg::NewTagPlaceholder)
                    on:input=move |ev| new_label.set(event_target_value(&ev))/>
                <button type="submit" class="button" disabled=move || save.pending().get()><T m=Msg::AddTag/></button>
                <FieldMessages errors=field_errors.into() name="tag"/>
            </form>
            <ErrorBanner error=error/>
        </div>
       }
    .into_any()
}
