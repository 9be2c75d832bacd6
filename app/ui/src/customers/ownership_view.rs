//! Who owns the customer, and moving it: claim from the pool, assign (managers), return to
//! the pool with a reason, and (admins) merge a duplicate record into this one.

use leptos::prelude::*;

use super::api::{assign_customer, claim_customer, merge_customers, release_customer};
use kehu_domain::customers::types::Customer;
use crate::accounts::api::list_users;
use crate::components::fields::TextField;
use crate::components::{load_in_browser, ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

/// What the panel asks the server to do.
#[derive(Clone)]
enum Move {
    Claim,
    Assign(String),
    Release(String),
    Merge(String),
}

#[component]
pub fn Ownership(customer: Customer, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user_now();
    let can_assign = me.as_ref().is_some_and(|m| m.can_assign);
    let is_admin = me.as_ref().is_some_and(|m| m.is_admin);
    let my_name = me.as_ref().map(|m| m.user.username.clone()).unwrap_or_default();
    let owned = !customer.owner.is_empty();
    let mine = customer.owner == my_name;
    let id = StoredValue::new(customer.id.clone());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let reason = RwSignal::new(String::new());
    let merge_from = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let users = load_in_browser(move || async move { if can_assign { list_users().await } else { Ok(Vec::new()) } });

    let claim_gone = RwSignal::new(false);
    let act = Action::new(move |m: &Move| {
        let m = m.clone();
        let id = id.get_value();
        async move {
            let claiming = matches!(m, Move::Claim);
            let result = match m {
                Move::Claim => claim_customer(id).await,
                Move::Assign(to) => assign_customer(id, to).await,
                Move::Release(why) => release_customer(id, why).await,
                Move::Merge(from) => merge_customers(id, from).await,
            };
            match result {
                Ok(_) => {
                    errors.set(Vec::new());
                    failure.set(None);
                    reason.set(String::new());
                    on_change.run(());
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                // Not found while claiming: someone else was quicker (and it is theirs now).
                Err(AppError::NotFound | AppError::Conflict(_)) if claiming => claim_gone.set(true),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    let owner_label = if owned { customer.owner_name.clone() } else { String::new() };

    view! {
        <section class="card ownership" data-testid="ownership">
            <p>
                <span class="muted"><T m=Msg::ColOwner/>": "</span>
                <strong data-testid="owner">{move || if owned { owner_label.clone() } else { i18n.t(Msg::Unowned).to_string() }}</strong>
            </p>
            {(!owned).then(|| view! {
                <button type="button" class="button primary" data-testid="claim" on:click=move |_| { act.dispatch(Move::Claim); }>
                    <T m=Msg::Claim/>
                </button>
            })}
            {can_assign.then(|| view! {
                <form class="row" novalidate on:submit=move |ev| { ev.prevent_default(); act.dispatch(Move::Assign(assignee.get_untracked())); }>
                    <label class="field">
                        <span class="field-label"><T m=Msg::AssignTo/></span>
                        <select name="assignee" on:change=move |ev| assignee.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {move || users.get().and_then(Result::ok).unwrap_or_default().into_iter().filter(|u| u.active).map(|u| view! {
                                <option value=u.username.clone()>{u.display_name.clone()}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="button" data-testid="assign"><T m=Msg::Assign/></button>
                </form>
            })}
            {(owned && (mine || can_assign)).then(|| view! {
                <form class="row" novalidate on:submit=move |ev| { ev.prevent_default(); act.dispatch(Move::Release(reason.get_untracked())); }>
                    <TextField label=Msg::ReturnReason name="reason" value=reason errors=e/>
                    <button type="submit" class="button" data-testid="release"><T m=Msg::ReturnToPool/></button>
                </form>
            })}
            {is_admin.then(|| view! {
                <form class="row" novalidate on:submit=move |ev| { ev.prevent_default(); act.dispatch(Move::Merge(merge_from.get_untracked().trim().to_string())); }>
                    <TextField label=Msg::MergeInto name="merge" value=merge_from errors=e/>
                    <button type="submit" class="button" data-testid="merge"><T m=Msg::Merge/></button>
                </form>
            })}
            <Show when=move || claim_gone.get()>
                <p class="banner warning" role="alert"><T m=Msg::ErrClaimGone/></p>
            </Show>
            <ErrorBanner error=failure/>
        </section>
    }
    .into_any()
}
