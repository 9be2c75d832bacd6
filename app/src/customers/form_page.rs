//! Creating and editing a customer. Fields are checked as in the server before sending;
//! possible duplicates are shown as soon as name, phone or email are filled in, and again
//! (with "save anyway") if the server finds them on save.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::{create_customer, find_duplicates, get_profile, update_customer};
use super::types::*;
use super::validate::validate_customer;
use crate::components::fields::{TextArea, TextField};
use crate::components::{ErrorBanner, T};
use crate::error::{AppError, FieldError};
use crate::i18n::{kind_label, stage_label, use_i18n, Msg};

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    view! {
        <section class="page form-page">
            <a class="back" href="/customers">"← "<T m=Msg::BackToList/></a>
            <h1><T m=Msg::NewCustomer/></h1>
            <CustomerForm existing=None/>
        </section>
    }
}

#[component]
pub fn EditCustomerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let profile = Resource::new(move || id.get(), get_profile);
    view! {
        <section class="page form-page">
            <a class="back" href=move || format!("/customers/{}", id.get())>"← "{move || i18n.t(Msg::Cancel)}</a>
            <h1><T m=Msg::EditCustomer/></h1>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <CustomerForm existing=Some(p.customer)/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What the save button sends.
#[derive(Clone)]
struct SaveRequest {
    input: CustomerInput,
    confirmed_not_duplicate: bool,
}

#[component]
fn CustomerForm(existing: Option<Customer>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let initial = existing.as_ref().map(CustomerInput::from_customer).unwrap_or_default();
    let target = StoredValue::new(existing.as_ref().map(|c| (c.id.clone(), c.version)));

    let kind = RwSignal::new(initial.kind);
    let stage = RwSignal::new(initial.stage);
    let name = RwSignal::new(initial.name);
    let industry = RwSignal::new(initial.industry);
    let region = RwSignal::new(initial.region);
    let source = RwSignal::new(initial.source);
    let owner = RwSignal::new(initial.owner);
    let phone = RwSignal::new(initial.phone);
    let email = RwSignal::new(initial.email);
    let notes = RwSignal::new(initial.notes);
    let tags = initial.tags;

    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let duplicates = RwSignal::new(Vec::<DuplicateHit>::new());
    // Set once the server itself refused for duplicates: the next save may confirm.
    let server_found_duplicates = RwSignal::new(false);

    let current_input = move || CustomerInput {
        kind: kind.get_untracked(),
        name: name.get_untracked(),
        industry: industry.get_untracked(),
        region: region.get_untracked(),
        source: source.get_untracked(),
        stage: stage.get_untracked(),
        owner: owner.get_untracked(),
        phone: phone.get_untracked(),
        email: email.get_untracked(),
        notes: notes.get_untracked(),
        tags: tags.clone(),
    };
    let current_input = StoredValue::new(current_input);

    // Look for look-alikes whenever name, phone or email is changed (on leaving the field).
    let check_duplicates = Action::new(move |_: &()| {
        let (n, p, e) = (name.get_untracked(), phone.get_untracked(), email.get_untracked());
        let exclude = target.get_value().map(|(id, _)| id);
        async move {
            if let Ok(hits) = find_duplicates(n, p, e, exclude).await {
                duplicates.set(hits);
            }
        }
    });
    let on_key_change = Callback::new(move |()| {
        check_duplicates.dispatch(());
    });

    let save = Action::new(move |req: &SaveRequest| {
        let req = req.clone();
        let target = target.get_value();
        async move {
            match target {
                Some((id, version)) => update_customer(id, req.input, version, req.confirmed_not_duplicate).await,
                None => create_customer(req.input, req.confirmed_not_duplicate).await,
            }
        }
    });

    Effect::new(move |_| {
        let Some(result) = save.value().get() else { return };
        match result {
            Ok(customer) => navigate(&format!("/customers/{}", customer.id), Default::default()),
            Err(AppError::Invalid(list)) => {
                errors.set(list);
                failure.set(None);
            }
            Err(AppError::PossibleDuplicates(hits)) => {
                duplicates.set(hits);
                server_found_duplicates.set(true);
                failure.set(None);
            }
            Err(e) => failure.set(Some(e)),
        }
    });

    let submit = move |confirmed_not_duplicate: bool| {
        let input = current_input.with_value(|f| f());
        match validate_customer(&input) {
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(SaveRequest { input, confirmed_not_duplicate });
            }
            Err(list) => errors.set(list),
        }
    };
    let e: Signal<Vec<FieldError>> = errors.into();

    view! {
        <form class="card customer-form" novalidate data-testid="customer-form"
            on:submit=move |ev| { ev.prevent_default(); submit(false); }>
            <div class="row">
                <label class="field">
                    <span class="field-label"><T m=Msg::FieldKind/></span>
                    <select name="kind" on:change=move |ev| {
                        if let Some(k) = CustomerKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {CustomerKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(kind_label(k))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label"><T m=Msg::FieldStage/></span>
                    <select name="stage" on:change=move |ev| {
                        if let Some(s) = LifecycleStage::parse(&event_target_value(&ev)) { stage.set(s) }
                    }>
                        {LifecycleStage::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str() selected=move || stage.get() == s>{move || i18n.t(stage_label(s))}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <TextField label=Msg::FieldName name="name" value=name errors=e required=true on_change=on_key_change/>
            <div class="row">
                <TextField label=Msg::FieldPhone name="phone" value=phone errors=e input_type="tel" on_change=on_key_change/>
                <TextField label=Msg::FieldEmail name="email" value=email errors=e input_type="email" on_change=on_key_change/>
            </div>
            <div class="row">
                <TextField label=Msg::FieldIndustry name="industry" value=industry errors=e/>
                <TextField label=Msg::FieldRegion name="region" value=region errors=e/>
            </div>
            <div class="row">
                <TextField label=Msg::FieldSource name="source" value=source errors=e/>
                <TextField label=Msg::FieldOwner name="owner" value=owner errors=e/>
            </div>
            <TextArea label=Msg::FieldNotes name="notes" value=notes errors=e/>
            <Show when=move || !duplicates.with(|d| d.is_empty())>
                <div class="banner warning" role="status" data-testid="duplicates">
                    <p><T m=Msg::PossibleDuplicates/></p>
                    <ul>
                        <For each=move || duplicates.get() key=|h| h.id.clone() let:hit>
                            <li>
                                <a href=format!("/customers/{}", hit.id) target="_blank">{hit.name.clone()}</a>
                                " · " {hit.owner.clone()} " · "
                                <span class="muted">
                                    {move || i18n.t(Msg::MatchedOn)} " "
                                    {hit.matched_on.iter().map(|f| match f {
                                        DuplicateField::Name => i18n.t(Msg::FieldName),
                                        DuplicateField::Phone => i18n.t(Msg::FieldPhone),
                                        DuplicateField::Email => i18n.t(Msg::FieldEmail),
                                    }).collect::<Vec<_>>().join(" / ")}
                                </span>
                            </li>
                        </For>
                    </ul>
                    <Show when=move || server_found_duplicates.get()>
                        <button type="button" class="button" data-testid="save-anyway"
                            on:click=move |_| submit(true)><T m=Msg::SaveAnyway/></button>
                    </Show>
                </div>
            </Show>
            <Show when=move || !errors.with(|e| e.is_empty())>
                <p class="banner error" role="alert"><T m=Msg::ErrFixFields/></p>
            </Show>
            <ErrorBanner error=failure/>
            <div class="actions">
                <button type="submit" class="button primary" data-testid="save" disabled=move || save.pending().get()>
                    {move || if save.pending().get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                </button>
            </div>
        </form>
       }
    .into_any()
}
