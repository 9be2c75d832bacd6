//! Creating and editing a customer. Fields are checked as in the server before sending;
//! possible duplicates are shown as soon as name, phone or email are filled in, and again
//! (with "save anyway") if the server finds them on save.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::api::{create_customer, find_duplicates, get_profile, update_customer};
use kehu_domain::customers::types::*;
use kehu_domain::customers::validate::validate_customer;
use crate::components::fields::{TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
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
    // The record being edited and the version the edit starts from; after a conflict the
    // person may choose to save over the newer version, which moves this on.
    let target = RwSignal::new(existing.as_ref().map(|c| (c.id.clone(), c.version)));
    let conflict = RwSignal::new(None::<Customer>);
    let session = crate::session::use_session();
    let me = session.user_now();
    let can_assign = me.as_ref().is_some_and(|m| m.can_assign);
    let assignable = Resource::new(move || can_assign, |can| async move {
        if can { crate::accounts::api::list_users().await } else { Ok(Vec::new()) }
    });

    let kind = RwSignal::new(initial.kind);
    let stage = RwSignal::new(initial.stage);
    let name = RwSignal::new(initial.name);
    let industry = RwSignal::new(initial.industry);
    let region = RwSignal::new(initial.region);
    let source = RwSignal::new(initial.source);
    // A new customer is the creator's unless a manager gives it to someone (or the pool).
    let owner = RwSignal::new(if existing.is_none() { me.as_ref().map(|m| m.user.username.clone()).unwrap_or_default() } else { initial.owner.clone() });
    let phone = RwSignal::new(initial.phone);
    let email = RwSignal::new(initial.email);
    let credit_code = RwSignal::new(initial.credit_code);
    let address = RwSignal::new(initial.address);
    let notes = RwSignal::new(initial.notes);
    let tags = initial.tags;
    let existing_is_none = existing.is_none();

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
        credit_code: credit_code.get_untracked(),
        address: address.get_untracked(),
        notes: notes.get_untracked(),
        tags: tags.clone(),
    };
    let current_input = StoredValue::new(current_input);

    // Look for look-alikes whenever name, phone or email is changed (on leaving the field).
    let check_duplicates = Action::new(move |_: &()| {
        let (n, p, e) = (name.get_untracked(), phone.get_untracked(), email.get_untracked());
        let exclude = target.get_untracked().map(|(id, _)| id);
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
        let target = target.get_untracked();
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
            Err(AppError::Conflict(theirs)) => {
                conflict.set(Some(*theirs));
                failure.set(None);
            }
            Err(e) => failure.set(Some(e)),
        }
    });

    let submit = move |confirmed_not_duplicate: bool| {
        let input = current_input.with_value(|f| f());
        save_if_valid(validate_customer(&input), SaveRequest { input, confirmed_not_duplicate }, errors, save);
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
                <TextField label=Msg::FieldCreditCode name="credit_code" value=credit_code errors=e/>
            </div>
            <div class="row">
                <TextField label=Msg::FieldIndustry name="industry" value=industry errors=e/>
                <TextField label=Msg::FieldRegion name="region" value=region errors=e/>
            </div>
            <TextField label=Msg::FieldAddress name="address" value=address errors=e autocomplete="street-address"/>
            <div class="row">
                <TextField label=Msg::FieldSource name="source" value=source errors=e/>
                {(can_assign && existing_is_none).then(|| view! {
                    <label class="field">
                        <span class="field-label"><T m=Msg::FieldOwner/></span>
                        <select name="owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                            <option value="" selected=move || owner.get().is_empty()>{move || i18n.t(Msg::Pool)}</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    assignable.await.unwrap_or_default().into_iter().filter(|u| u.active).map(|u| {
                                        let name = u.username.clone();
                                        view! { <option value=u.username.clone() selected=move || owner.get() == name>{u.display_name.clone()}</option> }
                                    }).collect_view()
                                })}
                            </Transition>
                        </select>
                    </label>
                })}
            </div>
            <TextField label=Msg::FieldNotes name="notes" value=notes errors=e multiline=true/>
            <Show when=move || !duplicates.with(|d| d.is_empty())>
                <div class="banner warning" role="status" data-testid="duplicates">
                    <p><T m=Msg::PossibleDuplicates/></p>
                    <ul>
                        <For each=move || duplicates.get() key=|h| (h.id.clone(), h.owner.clone()) let:hit>
                            <li>
                                {match (hit.id.clone(), hit.name.clone()) {
                                    (Some(id), Some(name)) => view! { <a href=format!("/customers/{id}") target="_blank">{name}</a> " · " }.into_any(),
                                    _ => ().into_any(),
                                }}
                                {if hit.elsewhere {
                                    i18n.t(Msg::OwnedBySomeoneElse).to_string()
                                } else if hit.owner.is_empty() {
                                    i18n.t(Msg::Unowned).to_string()
                                } else {
                                    hit.owner_name.clone()
                                }} " · "
                                <span class="muted">
                                    {move || i18n.t(Msg::MatchedOn)} " "
                                    {hit.matched_on.iter().map(|f| match f {
                                        DuplicateField::Name => i18n.t(Msg::FieldName),
                                        DuplicateField::Phone => i18n.t(Msg::FieldPhone),
                                        DuplicateField::Email => i18n.t(Msg::FieldEmail),
                                        DuplicateField::CreditCode => i18n.t(Msg::FieldCreditCode),
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
            {move || conflict.get().map(|theirs| {
                let mine = current_input.with_value(|f| f());
                let differences = kehu_domain::audit::diff::customer_changes(&CustomerInput::from_customer(&theirs), &mine);
                let take_theirs = theirs.clone();
                view! {
                    <div class="banner warning conflict" role="alert" data-testid="conflict">
                        <p><T m=Msg::ConflictIntro/></p>
                        <table>
                            <thead><tr><th></th><th><T m=Msg::TheirValue/></th><th><T m=Msg::YourValue/></th></tr></thead>
                            <tbody>
                                {differences.into_iter().map(|c| view! {
                                    <tr data-field=c.field.clone()><th>{c.field.clone()}</th><td class="theirs">{c.before}</td><td class="mine">{c.after}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <button type="button" class="button" data-testid="keep-mine" on:click=move |_| {
                            target.update(|t| if let Some((_, v)) = t { *v = theirs.version });
                            conflict.set(None);
                            submit(true);
                        }><T m=Msg::KeepMine/></button>
                        <button type="button" class="button quiet" data-testid="take-theirs" on:click=move |_| {
                            let c = take_theirs.clone();
                            kind.set(c.kind); stage.set(c.stage); name.set(c.name.clone()); industry.set(c.industry.clone());
                            region.set(c.region.clone()); source.set(c.source.clone()); phone.set(c.phone.clone());
                            email.set(c.email.clone()); credit_code.set(c.credit_code.clone()); address.set(c.address.clone());
                            notes.set(c.notes.clone());
                            target.update(|t| if let Some((_, v)) = t { *v = c.version });
                            conflict.set(None);
                        }><T m=Msg::TakeTheirs/></button>
                    </div>
                }
            })}
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
