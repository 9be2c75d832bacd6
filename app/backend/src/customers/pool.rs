//! The lead pool (线索池 / 公海) and moving customers between people: claim, assign, return,
//! automatic recycling of untended customers, and handing over a leaving rep's customers.
//! Each move is atomic — the owner is checked in the statement that changes it, and the
//! move, its note on the timeline and its event commit together.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::Handover;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::pool::{may_claim, RecycleRules};
use kehu_domain::customers::types::Customer;
use kehu_domain::check::Check;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::lifecycle::note;
use super::service::{customer_id, fetch, named};
use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customers as store;

pub const REASON_MAX: usize = 500;

/// Moves the customer from its owner to `to` if nobody moved it first, with its note and event.
async fn move_customer(state: &AppState, actor: &str, customer: &Customer, to: &str, kind: EventKind, summary: String) -> AppResult<Customer> {
    let id = customer_id(&customer.id)?;
    let now = state.clock.now();
    let author = if actor == "system" { "Kehu".to_string() } else { state.users.display_name(actor) };
    let event = Event::new(kind, actor, now).about(&customer.id, &customer.name).change("owner", customer.owner.clone(), to);
    let moved = store::set_owner(&state.db, &id, &customer.owner, to, now, note(&id, &author, summary, now), &[event])
        .await?
        .ok_or_else(|| AppError::Conflict(Box::new(named(state, customer.clone()))))?;
    follow(state, vec![Effect::Customer(moved.clone())]).await;
    Ok(named(state, moved))
}

/// A rep takes a pool customer, up to their limit.
pub async fn claim(state: &AppState, caller: &Caller, id: &str) -> AppResult<Customer> {
    if caller.is_service() {
        return Err(AppError::Forbidden);
    }
    let (_, customer) = fetch(state, caller, id, Need::See).await?;
    if !customer.owner.is_empty() {
        // Someone was quicker, or it was never in the pool.
        return Err(AppError::Conflict(Box::new(named(state, customer))));
    }
    let max = caller.user.max_customers;
    if !may_claim(state.directory.owned_by(&caller.user.username), max) {
        return Err(AppError::LimitReached { max });
    }
    let note = format!("{} 从线索池领取", caller.user.display_name);
    move_customer(state, &caller.user.username, &customer, &caller.user.username, EventKind::Claimed, note).await
}

/// A manager or admin gives a customer in their scope to a rep in their scope.
pub async fn assign(state: &AppState, caller: &Caller, id: &str, to: &str) -> AppResult<Customer> {
    if !caller.can_assign() {
        return Err(AppError::Forbidden);
    }
    let (_, customer) = fetch(state, caller, id, Need::See).await?;
    let Some(target) = state.users.get(to).filter(|u| u.user.active) else {
        return Err(AppError::Invalid(vec![FieldError::new("owner", Problem::UnknownChoice)]));
    };
    // A manager gives customers to their own people only.
    if !access::may_assign_to(caller, to) {
        return Err(AppError::Forbidden);
    }
    if customer.owner == to {
        return Ok(named(state, customer));
    }
    let note = format!("{} 分配给 {}", caller.user.display_name, target.user.display_name);
    move_customer(state, &caller.user.username, &customer, to, EventKind::Assigned, note).await
}

/// The owner (or their manager) gives a customer back to the pool, saying why.
pub async fn release(state: &AppState, caller: &Caller, id: &str, reason: &str) -> AppResult<Customer> {
    let (_, customer) = fetch(state, caller, id, Need::Change).await?;
    let mut check = Check::default();
    let reason = check.line("reason", reason, REASON_MAX, true);
    check.finish(()).map_err(AppError::Invalid)?;
    if customer.owner.is_empty() {
        return Ok(named(state, customer));
    }
    let note = format!("{} 退回线索池：{reason}", caller.user.display_name);
    move_customer(state, &caller.user.username, &customer, "", EventKind::ReturnedToPool, note).await
}

/// Returns every owned customer that has gone too long without a follow-up to the pool,
/// and tells each owner. Run by a background job; safe to run again at any time.
pub async fn recycle_stale(state: &AppState, rules: &RecycleRules) -> AppResult<usize> {
    let now = state.clock.now();
    let due = state.directory.due_for_recycling(rules, now);
    let mut moved = 0;
    for (id, owner, name) in due {
        let Some(customer) = store::get_customer(&state.db, &customer_id(&id)?).await? else { continue };
        // Re-check against the store: a follow-up may have come in since the directory was read.
        let last = customer.last_contact_at.unwrap_or(customer.created_at);
        if customer.owner != owner || !rules.is_due(customer.stage, last, now) {
            continue;
        }
        let days = rules.days_for(customer.stage).unwrap_or_default();
        let note = format!("{days} 天未跟进，自动退回线索池");
        match move_customer(state, "system", &customer, "", EventKind::Recycled, note).await {
            Ok(_) => {
                crate::notifications::recycled(state, &owner, &id, &name, days).await?;
                moved += 1;
            }
            // Moved by someone else meanwhile: nothing to do.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// Moves all of a user's customers to the pool or to a colleague, in one statement with an
/// event per customer. What the customer feature offers account management.
pub async fn hand_over(state: &AppState, actor: &str, from: &str, handover: &Handover) -> AppResult<usize> {
    let to = match handover {
        Handover::ToPool => String::new(),
        Handover::ToUser(to) => {
            let ok = state.users.get(to).is_some_and(|u| u.user.active) && to != from;
            if !ok {
                return Err(AppError::Invalid(vec![FieldError::new("handover", Problem::UnknownChoice)]));
            }
            to.clone()
        }
    };
    let now = state.clock.now();
    let event_of = |customer: &str, name: &str| {
        Event::new(EventKind::Assigned, actor, now).about(customer, name).change("owner", from, to.clone())
    };
    let moved = store::reassign_all(&state.db, from, &to, now, event_of).await?;
    let count = moved.len();
    follow(state, vec![Effect::Customers(moved)]).await;
    Ok(count)
}
