//! Care dates for a signed-in caller: seen by whoever may see the customer, changed by whoever
//! may change it, each change audited and the customer's reminders worked out again.

use super::audit_store::{self as audit, Audit};
use super::care_date_store::{self as store, CareDateRecord, CARE_DATE};
use super::customer_service::{editable, visible};
use super::records::{new_id, record_id, CUSTOMER};
use super::reminder_engine::refresh_customer;
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::audit::types::{AuditAction, FieldChange};
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::reminders::care_dates::{validate_care_date, CareDateInput, PER_CUSTOMER_MAX};
use crate::reminders::types::CareDate;

/// A care date in a line, for the audit log.
fn line(d: &CareDate) -> String {
    format!("{} {:02}-{:02}", d.label, d.month, d.day)
}

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<CareDate>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    visible(state, caller, &rid).await?;
    store::of_customer(&state.db, &rid).await
}

pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &CareDateInput) -> AppResult<Vec<CareDate>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let (label, month, day) = validate_care_date(input).map_err(AppError::Invalid)?;
    let before = store::of_customer(&state.db, &rid).await?;
    if before.len() >= PER_CUSTOMER_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("label", Problem::TooMany { max: PER_CUSTOMER_MAX })]));
    }
    let now = state.clock.now();
    let row = CareDateRecord { id: new_id(CARE_DATE), customer: rid.clone(), label, month: month.into(), day: day.into(), created_at: now };
    let added = format!("{} {month:02}-{day:02}", row.label);
    store::insert(&state.db, row).await?;
    let entry = Audit {
        actor: &caller.user.username,
        action: AuditAction::CustomerUpdated,
        customer,
        subject: &current.name,
        changes: vec![FieldChange::new("care_date", "", added)],
    };
    audit::record(&state.db, entry, now).await?;
    refresh_customer(state, customer).await;
    store::of_customer(&state.db, &rid).await
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, id: &str) -> AppResult<Vec<CareDate>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let did = record_id(CARE_DATE, id).ok_or(AppError::NotFound)?;
    let before = store::of_customer(&state.db, &rid).await?;
    let Some(gone) = before.iter().find(|d| d.id == id) else { return Err(AppError::NotFound) };
    if !store::remove(&state.db, &did, &rid).await? {
        return Err(AppError::NotFound);
    }
    let entry = Audit {
        actor: &caller.user.username,
        action: AuditAction::CustomerUpdated,
        customer,
        subject: &current.name,
        changes: vec![FieldChange::new("care_date", line(gone), "")],
    };
    audit::record(&state.db, entry, state.clock.now()).await?;
    refresh_customer(state, customer).await;
    store::of_customer(&state.db, &rid).await
}
