//! On a profile, for admins: one person's data (个人信息) — the individual customer or one of
//! the contacts — downloaded as a file, or erased on their request.

use leptos::prelude::*;

use super::api::erase_personal_data;
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::customers::types::{Contact, Customer, CustomerKind};
use kehu_domain::error::AppError;

#[component]
pub fn PersonalData(customer: Customer, contacts: Vec<Contact>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    // (contact id or "" for the customer itself, name)
    let mut people: Vec<(String, String)> = Vec::new();
    if customer.kind == CustomerKind::Person {
        people.push((String::new(), customer.name.clone()));
    }
    people.extend(contacts.iter().map(|c| (c.id.clone(), c.name.clone())));
    let chosen = RwSignal::new(people.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<AppError>);
    let customer_id = customer.id.clone();
    let erase = {
        let customer_id = customer_id.clone();
        Action::new(move |contact: &String| {
            let (customer_id, contact) = (customer_id.clone(), contact.clone());
            async move {
                match erase_personal_data(customer_id, contact).await {
                    Ok(()) => {
                        error.set(None);
                        reload.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        })
    };
    let confirm_erase = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let sure = web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::ErasePersonConfirm)).ok()).unwrap_or(false);
            if sure {
                erase.dispatch(chosen.get_untracked());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (erase, i18n);
    };
    if people.is_empty() {
        return ().into_any();
    }
    let export_url = move || {
        let contact = chosen.get();
        if contact.is_empty() {
            format!("/api/personal-data/{customer_id}")
        } else {
            format!("/api/personal-data/{customer_id}?contact={contact}")
        }
    };
    view! {
        <section class="card personal-data" data-testid="personal-data">
            <h2><T m=Msg::PersonalData/></h2>
            <p class="muted"><T m=Msg::PersonalDataHint/></p>
            <select data-testid="personal-data-person" on:change=move |ev| chosen.set(event_target_value(&ev))>
                {people.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
            </select>
            <p class="actions">
                <a class="button" href=export_url download rel="external" data-testid="personal-data-export"><T m=Msg::ExportPerson/></a>
                <button type="button" class="button danger" data-testid="personal-data-erase" disabled=move || erase.pending().get() on:click=confirm_erase>
                    <T m=Msg::ErasePerson/>
                </button>
            </p>
            <ErrorBanner error=error/>
        </section>
    }
    .into_any()
}
