//! A customer's contacts and follow-ups (跟进): added, edited and removed by whoever may
//! change the customer, each with its event; the directory's search and the reminders
//! (birthdays, next steps) follow.

use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::{EventKind, FieldChange};
use kehu_domain::customers::types::*;
use kehu_domain::customers::validate::{validate_contact, validate_touchpoint};
use kehu_domain::error::{AppError, AppResult};

use super::service::fetch;
use crate::access::Need;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::{ContactPatch, NewContact, TouchpointRecord, CONTACT, TOUCHPOINT};
use crate::store::customers as store;
use crate::store::ids::{new_id, record_id};

fn contact_changes(before: &ContactInput, after: &ContactInput) -> Vec<FieldChange> {
    [
        ("contact.name", &before.name, &after.name),
        ("contact.title", &before.title, &after.title),
        ("contact.phone", &before.phone, &after.phone),
        ("contact.email", &before.email, &after.email),
        ("contact.birthday", &before.birthday, &after.birthday),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(f, b, a)| FieldChange::new(f, b.clone(), a.clone()))
    .collect()
}

pub async fn add_contact(state: &AppState, caller: &Caller, customer: &str, input: &ContactInput) -> AppResult<Contact> {
    let (rid, current) = fetch(state, caller, customer, Need::Change).await?;
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let row = NewContact::from_valid(new_id(CONTACT), rid.clone(), &valid, state.clock.now());
    let event = Event::by(caller, EventKind::ContactAdded, state.clock.now())
        .about(customer, &valid.name)
        .changes(contact_changes(&ContactInput::default(), &valid.as_input()));
    let saved = store::insert_contact(&state.db, row, &[event]).await?.ok_or(AppError::NotFound)?;
    follow(state, vec![Effect::Customer(current)]).await;
    Ok(saved)
}

/// The contact with this id, if it belongs to this customer and the caller may change it.
async fn contact_of(state: &AppState, caller: &Caller, customer: &str, contact: &str) -> AppResult<(Customer, RecordId, Contact)> {
    let (_, current) = fetch(state, caller, customer, Need::Change).await?;
    let cid = record_id(CONTACT, contact).ok_or(AppError::NotFound)?;
    let found = store::get_contact(&state.db, &cid).await?.ok_or(AppError::NotFound)?;
    if found.customer_id != customer {
        return Err(AppError::NotFound);
    }
    Ok((current, cid, found))
}

pub async fn update_contact(state: &AppState, caller: &Caller, customer: &str, contact: &str, input: &ContactInput) -> AppResult<Contact> {
    let (current, cid, before) = contact_of(state, caller, customer, contact).await?;
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let changes = contact_changes(&ContactInput::from_contact(&before), &valid.as_input());
    let events: Vec<Event> = if changes.is_empty() {
        Vec::new()
    } else {
        vec![Event::by(caller, EventKind::ContactUpdated, state.clock.now()).about(customer, &valid.name).changes(changes)]
    };
    let updated = store::update_contact(&state.db, &cid, ContactPatch::from_valid(&valid), &events).await?.ok_or(AppError::NotFound)?;
    follow(state, vec![Effect::Customer(current)]).await;
    Ok(updated)
}

pub async fn remove_contact(state: &AppState, caller: &Caller, customer: &str, contact: &str) -> AppResult<()> {
    let (current, cid, before) = contact_of(state, caller, customer, contact).await?;
    let event = Event::by(caller, EventKind::ContactRemoved, state.clock.now())
        .about(customer, &before.name)
        .changes(contact_changes(&ContactInput::from_contact(&before), &ContactInput::default()));
    store::delete_contact(&state.db, &cid, &[event]).await?;
    follow(state, vec![Effect::Customer(current)]).await;
    Ok(())
}

/// Logs a follow-up on the customer's timeline, timed now and signed by the caller.
pub async fn add_touchpoint(state: &AppState, caller: &Caller, customer: &str, input: &TouchpointInput) -> AppResult<Touchpoint> {
    let (rid, current) = fetch(state, caller, customer, Need::Change).await?;
    let input = TouchpointInput { author: caller.user.display_name.clone(), ..input.clone() };
    let valid = validate_touchpoint(&input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let row = TouchpointRecord::from_valid(new_id(TOUCHPOINT), rid, input.kind, &valid, now, now).logged_by(&caller.user.username);
    let touchpoint = row.clone().into_touchpoint();
    let event = Event::by(caller, EventKind::TouchpointAdded, state.clock.now())
        .about(customer, &current.name)
        .change(input.kind.as_str(), "", valid.summary.chars().take(200).collect::<String>());
    let updated = store::insert_touchpoint(&state.db, row, now, &[event]).await?.ok_or(AppError::NotFound)?;
    let mut effects = vec![Effect::Customer(updated)];
    if crate::store::performance::FOLLOW_UP_KINDS.contains(&input.kind.as_str()) {
        let person = caller.user.username.clone();
        effects.push(Effect::FollowUp(crate::store::performance::FollowUp { customer: customer.to_string(), person, at: now, visit: input.kind == TouchpointKind::Visit }));
    }
    follow(state, effects).await;
    Ok(touchpoint)
}
