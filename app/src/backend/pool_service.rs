//! The lead pool (线索池 / 公海) and moving customers between people: claim, assign, return,
//! automatic recycling of untended customers, handing over a leaving rep's customers, and
//! merging two records of the same customer. Each move is atomic (the owner is checked in
//! the same statement that changes it), logged, and noted on the customer's timeline.

use super::audit_store::{self as audit, Audit};
use super::customer_service::{editable, named, refresh_directory, system_note, visible};
use super::customer_store as store;
use super::notify;
use super::records::{record_id, CustomerPatch, CUSTOMER};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::accounts::types::Handover;
use crate::audit::types::{AuditAction, FieldChange};
use crate::customers::pool::{may_claim, RecycleRules};
use crate::customers::types::{Customer, CustomerInput, Tag};
use crate::error::{AppError, AppResult, FieldError, Problem};

pub const REASON_MAX: usize = 500;

fn rid(id: &str) -> AppResult<surrealdb::types::RecordId> {
    record_id(CUSTOMER, id).ok_or(AppError::NotFound)
}

/// Moves the customer from `from` to `to` if nobody moved it first; logs it and notes it.
async fn move_customer(
    state: &AppState,
    actor: &str,
    customer: &Customer,
    to: &str,
    action: AuditAction,
    note: String,
) -> AppResult<Customer> {
    let id = rid(&customer.id)?;
    let now = state.clock.now();
    let moved = store::set_owner(&state.db, &id, &customer.owner, to, now)
        .await?
        .ok_or_else(|| AppError::Conflict(Box::new(named(state, customer.clone()))))?;
    let change = FieldChange::new("owner", customer.owner.clone(), to);
    audit::record(&state.db, Audit { actor, action, customer: &customer.id, subject: &customer.name, changes: vec![change] }, now).await?;
    let author = if actor == "system" { "Kehu".to_string() } else { state.users.display_name(actor) };
    let after = system_note(state, &id, &author, note).await?.unwrap_or(moved);
    refresh_directory(state, &id, &after).await?;
    Ok(named(state, after))
}

/// A rep takes a pool customer, up to their limit.
pub async fn claim(state: &AppState, caller: &Caller, id: &str) -> AppResult<Customer> {
    let customer = visible(state, caller, &rid(id)?).await?;
    if !customer.owner.is_empty() {
        // Someone was quicker, or it was never in the pool.
        return Err(AppError::Conflict(Box::new(named(state, customer))));
    }
    let max = caller.user.max_customers;
    if !may_claim(state.directory.owned_by(&caller.user.username), max) {
        return Err(AppError::LimitReached { max });
    }
    let note = format!("{} 从线索池领取", caller.user.display_name);
    move_customer(state, &caller.user.username, &customer, &caller.user.username, AuditAction::Claimed, note).await
}

/// A manager or admin gives a customer in their scope to a rep in their scope.
pub async fn assign(state: &AppState, caller: &Caller, id: &str, to: &str) -> AppResult<Customer> {
    if !caller.can_assign() {
        return Err(AppError::Forbidden);
    }
    let customer = visible(state, caller, &rid(id)?).await?;
    let Some(target) = state.users.get(to).filter(|u| u.user.active) else {
        return Err(AppError::Invalid(vec![FieldError::new("owner", Problem::UnknownChoice)]));
    };
    // A manager gives customers to their own people only.
    if !caller.scope.covers_user(to) {
        return Err(AppError::Forbidden);
    }
    if customer.owner == to {
        return Ok(named(state, customer));
    }
    let note = format!("{} 分配给 {}", caller.user.display_name, target.user.display_name);
    move_customer(state, &caller.user.username, &customer, to, AuditAction::Assigned, note).await
}

/// The owner (or their manager) gives a customer back to the pool, saying why.
pub async fn release(state: &AppState, caller: &Caller, id: &str, reason: &str) -> AppResult<Customer> {
    let customer = editable(state, caller, &rid(id)?).await?;
    let reason = crate::customers::normalize::clean_line(reason);
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("reason", Problem::Required)]));
    }
    if reason.chars().count() > REASON_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("reason", Problem::TooLong { max: REASON_MAX })]));
    }
    if customer.owner.is_empty() {
        return Ok(named(state, customer));
    }
    let note = format!("{} 退回线索池：{reason}", caller.user.display_name);
    move_customer(state, &caller.user.username, &customer, "", AuditAction::ReturnedToPool, note).await
}

/// Returns every owned customer that has gone too long without a follow-up to the pool,
/// and tells each owner. Run by a background job; safe to run again at any time.
pub async fn recycle_stale(state: &AppState, rules: &RecycleRules) -> AppResult<usize> {
    let now = state.clock.now();
    let due = state.directory.due_for_recycling(rules, now);
    let mut moved = 0;
    for (id, owner, name) in due {
        let Some(customer) = store::get_customer(&state.db, &rid(&id)?).await? else { continue };
        // Re-check against the store: a follow-up may have come in since the directory was read.
        let last = customer.last_contact_at.unwrap_or(customer.created_at);
        if customer.owner != owner || !rules.is_due(customer.stage, last, now) {
            continue;
        }
        let days = rules.days_for(customer.stage).unwrap_or_default();
        let note = format!("{days} 天未跟进，自动退回线索池");
        match move_customer(state, "system", &customer, "", AuditAction::Recycled, note).await {
            Ok(_) => {
                notify::recycled(state, &owner, &id, &name, days).await?;
                moved += 1;
            }
            // Moved by someone else meanwhile: nothing to do.
            Err(AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(moved)
}

/// Moves all of a user's customers to the pool or to a colleague, in one statement.
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
    let moved = store::reassign_all(&state.db, from, &to, now).await?;
    for customer in &moved {
        let change = FieldChange::new("owner", from, to.clone());
        audit::record(
            &state.db,
            Audit { actor, action: AuditAction::Assigned, customer: &customer.id, subject: &customer.name, changes: vec![change] },
            now,
        )
        .await?;
        refresh_directory(state, &rid(&customer.id)?, customer).await?;
    }
    Ok(moved.len())
}

/// An admin folds `from` into `into`: contacts and timeline move over, tags are joined, and
/// empty fields of `into` take `from`'s values. `from` is gone afterwards.
pub async fn merge(state: &AppState, caller: &Caller, into: &str, from: &str) -> AppResult<Customer> {
    if !caller.is_admin() {
        return Err(AppError::Forbidden);
    }
    if into == from {
        return Err(AppError::Invalid(vec![FieldError::new("merge", Problem::Duplicate)]));
    }
    let (into_id, from_id) = (rid(into)?, rid(from)?);
    let keep = store::get_customer(&state.db, &into_id).await?.ok_or(AppError::NotFound)?;
    let gone = store::get_customer(&state.db, &from_id).await?.ok_or(AppError::NotFound)?;
    let (a, b) = (CustomerInput::from_customer(&keep), CustomerInput::from_customer(&gone));
    let pick = |x: &String, y: &String| if x.is_empty() { y.clone() } else { x.clone() };
    let merged_input = CustomerInput {
        industry: pick(&a.industry, &b.industry),
        region: pick(&a.region, &b.region),
        source: pick(&a.source, &b.source),
        phone: pick(&a.phone, &b.phone),
        email: pick(&a.email, &b.email),
        notes: match (a.notes.is_empty(), b.notes.is_empty()) {
            (_, true) => a.notes.clone(),
            (true, false) => b.notes.clone(),
            (false, false) => format!("{}\n\n{}", a.notes, b.notes),
        },
        ..a.clone()
    };
    let mut tags: Vec<Tag> = keep.tags.clone();
    for t in &gone.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    let now = state.clock.now();
    let mut patch = CustomerPatch::from_input(&merged_input, now);
    patch.version = keep.version + 1;
    let last = keep.last_contact_at.max(gone.last_contact_at);
    let merged = store::merge(&state.db, &into_id, &from_id, patch, tags.iter().map(Tag::key).collect(), last).await?;
    state.deals.recustomer(from, into);
    state.orders.recustomer(from, into);
    let summary = format!("{} 将客户「{}」合并进来", caller.user.display_name, gone.name);
    let change = FieldChange::new("merged", gone.name.clone(), keep.name.clone());
    audit::record(&state.db, Audit { actor: &caller.user.username, action: AuditAction::Merged, customer: into, subject: &keep.name, changes: vec![change.clone()] }, now).await?;
    audit::record(&state.db, Audit { actor: &caller.user.username, action: AuditAction::Merged, customer: from, subject: &gone.name, changes: vec![change] }, now).await?;
    let after = system_note(state, &into_id, &caller.user.display_name, summary).await?.unwrap_or(merged);
    state.directory.remove(from);
    refresh_directory(state, &into_id, &after).await?;
    Ok(named(state, after))
}
