//! Do-not-disturb windows for a signed-in caller: seen by whoever may see the customer,
//! changed by whoever may change it, each change with its event; the customer's reminders
//! move out of (or back into) the windows.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::reminders::dnd::{describe, validate_dnd, DndInput};
use kehu_domain::reminders::types::DndWindow;

use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::dnd::{self as store, DndRecord, DND};
use crate::store::ids::{new_id, record_id};

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<DndWindow>> {
    access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    Ok(store::of_customer(&state.db, &rid).await?)
}

pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &DndInput) -> AppResult<Vec<DndWindow>> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let (rule, reason) = validate_dnd(input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let event = Event::by(caller, EventKind::DndAdded, state.clock.now())
        .about(customer, &current.name)
        .change("dnd", "", format!("{} · {reason}", describe(&rule)));
    store::insert(&state.db, DndRecord::new(new_id(DND), rid.clone(), &rule, &reason, &caller.user.username, now), &[event]).await?;
    // Reminders inside the new window move out of it.
    follow(state, vec![Effect::RemindersOf(customer.to_string())]).await;
    Ok(store::of_customer(&state.db, &rid).await?)
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, window: &str) -> AppResult<Vec<DndWindow>> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let wid = record_id(DND, window).ok_or(AppError::NotFound)?;
    let before = store::of_customer(&state.db, &rid).await?;
    let Some(gone) = before.iter().find(|w| w.id == window) else { return Err(AppError::NotFound) };
    let event = Event::by(caller, EventKind::DndRemoved, state.clock.now())
        .about(customer, &current.name)
        .change("dnd", format!("{} · {}", describe(&gone.rule), gone.reason), "");
    if !store::remove(&state.db, &wid, &rid, &[event]).await? {
        return Err(AppError::NotFound);
    }
    follow(state, vec![Effect::RemindersOf(customer.to_string())]).await;
    Ok(store::of_customer(&state.db, &rid).await?)
}
