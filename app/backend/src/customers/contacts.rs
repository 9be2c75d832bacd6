//! A customer's contacts and follow-ups (跟进): added, edited and removed by whoever may
//! change the customer, each with its event; the directory's search and the reminders
//! (birthdays, next steps) follow.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::{EventKind, FieldChange};
use kehu_domain::customers::follow_up::{logged_at, valid_key, KeyedFollowUp};
use kehu_domain::customers::types::*;
use kehu_domain::customers::validate::{validate_contact, validate_touchpoint};
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::service::fetch;
use crate::access::Need;
use crate::accounts::passwords::token_key;
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
    let now = state.clock.now();
    log_touchpoint(state, caller, customer, input, new_id(TOUCHPOINT), now).await
}

/// Logs a follow-up the browser sent with its own key (see `kehu_domain::customers::follow_up`):
/// the same key sent again — a retry after a lost answer, or the phone's outbox once the
/// connection is back — answers with the follow-up already logged and logs nothing. The
/// record's id is made from the user and the key, so the store itself refuses a second one.
pub async fn log_keyed(state: &AppState, caller: &Caller, sent: &KeyedFollowUp) -> AppResult<Touchpoint> {
    if !valid_key(&sent.key) {
        return Err(AppError::Invalid(vec![FieldError::new("key", Problem::UnknownChoice)]));
    }
    // The session says who wrote it (`sent.user` is the browser's bookkeeping: its outbox
    // sends only the signed-in user's follow-ups); the key is theirs alone.
    let id = RecordId::new(TOUCHPOINT, format!("k{}", &token_key(&format!("{}\n{}", caller.user.username, sent.key))[..40]));
    if let Some(logged) = store::get_touchpoint(&state.db, &id).await? {
        let same_customer = record_id(crate::store::customer_rows::CUSTOMER, &sent.customer_id).is_some_and(|c| c == logged.customer);
        return if same_customer { Ok(logged.into_touchpoint()) } else { Err(AppError::Invalid(vec![FieldError::new("key", Problem::Duplicate)])) };
    }
    let at = logged_at(sent.written_at, state.clock.now());
    log_touchpoint(state, caller, &sent.customer_id, &sent.input, id, at).await
}

/// Logs a follow-up that happened `at` (now, or when it was written offline), signed by the
/// caller, with its event in the same transaction.
async fn log_touchpoint(state: &AppState, caller: &Caller, customer: &str, input: &TouchpointInput, id: RecordId, at: DateTime<Utc>) -> AppResult<Touchpoint> {
    let (rid, current) = fetch(state, caller, customer, Need::Change).await?;
    let input = TouchpointInput { author: caller.user.display_name.clone(), ..input.clone() };
    let valid = validate_touchpoint(&input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let row = TouchpointRecord::from_valid(id, rid, input.kind, &valid, at, now).logged_by(&caller.user.username);
    let touchpoint = row.clone().into_touchpoint();
    let event = Event::by(caller, EventKind::TouchpointAdded, now)
        .about(customer, &current.name)
        .change(input.kind.as_str(), "", valid.summary.chars().take(200).collect::<String>());
    let updated = store::insert_touchpoint(&state.db, row, now, &[event]).await?.ok_or(AppError::NotFound)?;
    let mut effects = vec![Effect::Customer(updated)];
    if crate::store::performance::FOLLOW_UP_KINDS.contains(&input.kind.as_str()) {
        let person = caller.user.username.clone();
        effects.push(Effect::FollowUp(crate::store::performance::FollowUp { id: touchpoint.id.clone(), customer: customer.to_string(), person, at, visit: input.kind == TouchpointKind::Visit }));
    }
    follow(state, effects).await;
    Ok(touchpoint)
}
