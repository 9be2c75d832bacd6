//! The people at a customer: listed on the profile, added, edited and removed in place.

use leptos::prelude::*;

use super::api::{add_contact, remove_contact, update_contact};
use kehu_domain::customers::types::{Contact, ContactInput};
use crate::components::fields::{TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::customers::validate::validate_contact;
use kehu_domain::error::{AppError, FieldError};
use crate::format::{day, today, use_display_offset};
use crate::i18n::Msg;

/// Which contact the form is open for: a new one, or one being edited.
#[derive(Clone, PartialEq)]
enum Editing {
    Closed,
    New,
    Existing(String),
}

#[component]
pub fn Contacts(customer_id: String, contacts: Vec<Contact>) -> impl IntoView {
    let contacts = RwSignal::new(contacts);
    let editing = RwSignal::new(Editing::Closed);
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(customer_id);

    let remove = Action::new(move |contact_id: &String| {
        let contact_id = contact_id.clone();
        let id = id.get_value();
        async move {
            match remove_contact(id, contact_id.clone()).await {
                Ok(()) => contacts.update(|list| list.retain(|c| c.id != contact_id)),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    view! {
        <section class="card contacts" data-testid="contacts">
            <div class="card-head">
                <h2><T m=Msg::Contacts/></h2>
                <button type="button" class="button" on:click=move |_| editing.set(Editing::New)>
                    <T m=Msg::AddContact/>
                </button>
            </div>
            <Show when=move || editing.get() == Editing::New>
                <ContactForm customer_id=id.get_value() existing=None contacts=contacts editing=editing/>
            </Show>
            <Show when=move || contacts.with(|c| c.is_empty()) && editing.get() == Editing::Closed>
                <p class="muted"><T m=Msg::NoContacts/></p>
            </Show>
            <ul class="contact-list">
                <For each=move || contacts.get() key=|c| (c.id.clone(), c.name.clone(), c.title.clone(), c.phone.clone(), c.email.clone(), c.birthday) let:c>
                    {
                        let contact_id = c.id.clone();
                        let is_editing = { let contact_id = contact_id.clone(); move || editing.get() == Editing::Existing(contact_id.clone()) };
                        let existing = c.clone();
                        view! {
                            <li class="contact">
                                <Show when=is_editing.clone() fallback={
                                    let c = c.clone();
                                    let contact_id = contact_id.clone();
                                    move || {
                                        let edit_id = contact_id.clone();
                                        let remove_id = contact_id.clone();
                                        view! {
                                            <div class="contact-main">
                                                <strong>{c.name.clone()}</strong>
                                                <span class="muted">{c.title.clone()}</span>
                                            </div>
                                            <div class="contact-info">
                                                {(!c.phone.is_empty()).then(|| view! { <a href=format!("tel:{}", c.phone)>{c.phone.clone()}</a> })}
                                                {(!c.email.is_empty()).then(|| view! { <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a> })}
                                                {c.birthday.map(|b| view! { <span class="muted"><T m=Msg::FieldBirthday/>" " {day(b)}</span> })}
                                            </div>
                                            <div class="contact-actions">
                                                <button type="button" class="button quiet" on:click=move |_| editing.set(Editing::Existing(edit_id.clone()))><T m=Msg::Edit/></button>
                                                <button type="button" class="button quiet danger" on:click=move |_| { remove.dispatch(remove_id.clone()); }><T m=Msg::Remove/></button>
                                            </div>
                                        }
                                    }
                                }>
                                    <ContactForm customer_id=id.get_value() existing=Some(existing.clone()) contacts=contacts editing=editing/>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <ErrorBanner error=failure/>
        </section>
       }
    .into_any()
}

#[component]
fn ContactForm(
    customer_id: String,
    existing: Option<Contact>,
    contacts: RwSignal<Vec<Contact>>,
    editing: RwSignal<Editing>,
) -> impl IntoView {
    let offset = use_display_offset();
    let initial = existing.as_ref().map(ContactInput::from_contact).unwrap_or_default();
    let name = RwSignal::new(initial.name);
    let title = RwSignal::new(initial.title);
    let phone = RwSignal::new(initial.phone);
    let email = RwSignal::new(initial.email);
    let birthday = RwSignal::new(initial.birthday);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let contact_id = StoredValue::new(existing.map(|c| c.id));
    let customer_id = StoredValue::new(customer_id);

    let save = Action::new(move |input: &ContactInput| {
        let input = input.clone();
        let customer = customer_id.get_value();
        let contact = contact_id.get_value();
        async move {
            let result = match contact {
                Some(contact) => update_contact(customer, contact, input).await,
                None => add_contact(customer, input).await,
            };
            match result {
                Ok(saved) => {
                    contacts.update(|list| match list.iter_mut().find(|c| c.id == saved.id) {
                        Some(slot) => *slot = saved,
                        None => list.push(saved),
                    });
                    editing.set(Editing::Closed);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = ContactInput {
            name: name.get_untracked(),
            title: title.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            birthday: birthday.get_untracked(),
        };
        save_if_valid(validate_contact(&input, today(offset)), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <form class="contact-form" novalidate on:submit=on_submit data-testid="contact-form">
            <div class="row">
                <TextField label=Msg::FieldName name="name" value=name errors=e required=true/>
                <TextField label=Msg::FieldTitle name="title" value=title errors=e/>
            </div>
            <div class="row">
                <TextField label=Msg::FieldPhone name="phone" value=phone errors=e input_type="tel"/>
                <TextField label=Msg::FieldEmail name="email" value=email errors=e input_type="email"/>
                <TextField label=Msg::FieldBirthday name="birthday" value=birthday errors=e input_type="date"/>
            </div>
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || save.pending().get()><T m=Msg::Save/></button>
                <button type="button" class="button quiet" on:click=move |_| editing.set(Editing::Closed)><T m=Msg::Cancel/></button>
            </div>
            <ErrorBanner error=failure/>
        </form>
    }
}
