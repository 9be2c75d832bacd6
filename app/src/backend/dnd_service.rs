//! Do-not-disturb windows for a signed-in caller: seen by whoever may see the customer,
//! changed by whoever may change it, each change in the audit log.

use super::audit_store::{self as audit, Audit};
use super::customer_service::{editable, visible};
use super::dnd_store::{self as store, DndRecord, DND};
use super::records::{new_id, record_id, CUSTOMER};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::audit::types::{AuditAction, FieldChange};
use crate::error::{AppError, AppResult};
use crate::reminders::dnd::{describe, validate_dnd, DndInput};
use crate::reminders::types::DndWindow;

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<DndWindow>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    visible(state, caller, &rid).await?;
    store::of_customer(&state.db, &rid).await
}

pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &DndInput) -> AppResult<Vec<DndWindow>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let (rule, reason) = validate_dnd(input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    store::insert(&state.db, DndRecord::new(new_id(DND), rid.clone(), &rule, &reason, &caller.user.username, now)).await?;
    let change = FieldChange::new("dnd", "", format!("{} · {reason}", describe(&rule)));
    let entry = Audit { actor: &caller.user.username, action: AuditAction::CustomerUpdated, customer, subject: &current.name, changes: vec![change] };
    audit::record(&state.db, entry, now).await?;
    // Reminders inside the new window move out of it.
    super::reminder_engine::refresh_customer(state, customer).await;
    store::of_customer(&state.db, &rid).await
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, window: &str) -> AppResult<Vec<DndWindow>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let wid = record_id(DND, window).ok_or(AppError::NotFound)?;
    let before = store::of_customer(&state.db, &rid).await?;
    let Some(gone) = before.iter().find(|w| w.id == window) else { return Err(AppError::NotFound) };
    if !store::remove(&state.db, &wid, &rid).await? {
        return Err(AppError::NotFound);
    }
    let change = FieldChange::new("dnd", format!("{} · {}", describe(&gone.rule), gone.reason), "");
    let entry = Audit { actor: &caller.user.username, action: AuditAction::CustomerUpdated, customer, subject: &current.name, changes: vec![change] };
    audit::record(&state.db, entry, state.clock.now()).await?;
    super::reminder_engine::refresh_customer(state, customer).await;
    store::of_customer(&state.db, &rid).await
}
