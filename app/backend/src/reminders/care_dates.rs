//! Care dates (关怀日) for a signed-in caller: seen by whoever may see the customer, changed
//! by whoever may change it, each change with its event; the customer's reminders follow.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::reminders::care_dates::{validate_care_date, CareDateInput, PER_CUSTOMER_MAX};
use kehu_domain::reminders::types::CareDate;

use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::care_dates::{self as store, CareDateRecord, CARE_DATE};
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{new_id, record_id};

/// A care date in a line, for the log.
fn line(label: &str, month: u32, day: u32) -> String {
    format!("{label} {month:02}-{day:02}")
}

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<CareDate>> {
    access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    Ok(store::of_customer(&state.db, &rid).await?)
}

pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &CareDateInput) -> AppResult<Vec<CareDate>> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let (label, month, day) = validate_care_date(input).map_err(AppError::Invalid)?;
    let before = store::of_customer(&state.db, &rid).await?;
    if before.len() >= PER_CUSTOMER_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("label", Problem::TooMany { max: PER_CUSTOMER_MAX })]));
    }
    let now = state.clock.now();
    let event = Event::by(caller, EventKind::CareDateAdded, state.clock.now())
        .about(customer, &current.name)
        .change("care_date", "", line(&label, month, day));
    let row = CareDateRecord { id: new_id(CARE_DATE), customer: rid.clone(), label, month: month.into(), day: day.into(), created_at: now };
    store::insert(&state.db, row, &[event]).await?;
    follow(state, vec![Effect::RemindersOf(customer.to_string())]).await;
    Ok(store::of_customer(&state.db, &rid).await?)
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, id: &str) -> AppResult<Vec<CareDate>> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let did = record_id(CARE_DATE, id).ok_or(AppError::NotFound)?;
    let before = store::of_customer(&state.db, &rid).await?;
    let Some(gone) = before.iter().find(|d| d.id == id) else { return Err(AppError::NotFound) };
    let event = Event::by(caller, EventKind::CareDateRemoved, state.clock.now())
        .about(customer, &current.name)
        .change("care_date", line(&gone.label, gone.month, gone.day), "");
    if !store::remove(&state.db, &did, &rid, &[event]).await? {
        return Err(AppError::NotFound);
    }
    follow(state, vec![Effect::RemindersOf(customer.to_string())]).await;
    Ok(store::of_customer(&state.db, &rid).await?)
}
