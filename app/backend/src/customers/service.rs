//! Saving a customer, for a signed-in caller: the rules in order (rights through `access`,
//! validation, duplicates, version), then the store — the change and its event in one
//! transaction — then `events::follow` (directory, reminders, live badges). Server functions
//! call these and nothing else; tests call them against an in-memory store.
//!
//! The list reads from the directory, through the caller's scope: someone else's customer is
//! simply not there.

use std::collections::HashSet;

use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::diff::customer_changes;
use kehu_domain::audit::types::{EventKind, FieldChange};
use kehu_domain::customers::import::{usable_key, DedupeKey};
use kehu_domain::customers::normalize::{credit_code_key, email_key, name_key, phone_key};
use kehu_domain::customers::types::*;
use kehu_domain::customers::validate::{validate_customer, validate_tag, TAGS_PER_CUSTOMER_MAX};
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::insight::types::Segment;

use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::{CustomerPatch, NewCustomer, CUSTOMER};
use crate::store::customers::{self as store, DuplicateKeys};
use crate::store::ids::{new_id, record_id};

pub(crate) fn customer_id(id: &str) -> AppResult<RecordId> {
    record_id(CUSTOMER, id).ok_or(AppError::NotFound)
}

/// Fills in the owner's display name.
pub fn named(state: &AppState, mut customer: Customer) -> Customer {
    customer.owner_name = state.users.display_name(&customer.owner);
    customer
}

/// The members of the segment the query names, if it names one. A segment nobody knows
/// matches nobody, like an unknown tag.
pub(crate) fn segment_of(state: &AppState, query: &ListQuery) -> Option<HashSet<String>> {
    let segment = query.segment.as_deref().filter(|s| !s.is_empty())?;
    Some(Segment::parse(segment).map(|seg| state.insight.segment_members(seg)).unwrap_or_default())
}

pub fn list(state: &AppState, caller: &Caller, query: &ListQuery) -> CustomerPage {
    let members = segment_of(state, query);
    let mut page = state.directory.page_among(query, &caller.scope, members.as_ref());
    for row in &mut page.rows {
        row.owner_name = state.users.display_name(&row.owner);
    }
    page
}

pub fn facets(state: &AppState, caller: &Caller) -> ListFacets {
    let mut facets = state.directory.facets(&caller.scope);
    for (username, name) in &mut facets.owners {
        *name = state.users.display_name(username);
    }
    facets
}

pub fn count(state: &AppState) -> u64 {
    state.directory.len() as u64
}

pub async fn profile(state: &AppState, caller: &Caller, id: &str) -> AppResult<CustomerProfile> {
    let (rid, customer, contacts, timeline) = with_records(state, caller, id).await?;
    let orders = crate::insight::orders::of_customer(state, &rid).await?;
    Ok(CustomerProfile { customer: named(state, customer), contacts, timeline, orders })
}

/// The customer with their contacts and timeline (the profile but its orders), if the
/// caller may see it.
pub async fn with_records(state: &AppState, caller: &Caller, id: &str) -> AppResult<(RecordId, Customer, Vec<Contact>, Vec<Touchpoint>)> {
    access::customer(state, caller, id, Need::See)?;
    let rid = customer_id(id)?;
    let (customer, contacts, timeline) = store::profile(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    Ok((rid, customer, contacts, timeline))
}

/// The customer as stored, if the caller may do `need` with it (see `access::customer`).
pub async fn fetch(state: &AppState, caller: &Caller, id: &str, need: Need) -> AppResult<(RecordId, Customer)> {
    access::customer(state, caller, id, need)?;
    let rid = customer_id(id)?;
    let customer = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    Ok((rid, customer))
}

/// Existing customers that look like the one described; `exclude` is the one being edited.
/// Of customers the caller may not see, a manager is told the owner; a rep only that a
/// colleague has one (so the form cannot be used to find out who owns which phone number).
pub async fn possible_duplicates(
    state: &AppState,
    caller: &Caller,
    name: &str,
    phone: &str,
    email: &str,
    exclude: Option<&str>,
) -> AppResult<Vec<DuplicateHit>> {
    let hits = look_alikes(state, name, phone, email, "", exclude).await?;
    Ok(as_seen_by(state, caller, hits))
}

/// Every look-alike, with its owner and region.
async fn look_alikes(
    state: &AppState,
    name: &str,
    phone: &str,
    email: &str,
    credit_code: &str,
    exclude: Option<&str>,
) -> AppResult<Vec<(DuplicateHit, String)>> {
    let keys = DuplicateKeys {
        credit_code_key: credit_code_key(credit_code),
        // Values too short to tell customers apart are no useful warning.
        name_key: Some(name_key(name)).filter(|k| usable_key(DedupeKey::Name, k)).unwrap_or_default(),
        phone_key: Some(phone_key(phone)).filter(|k| usable_key(DedupeKey::Mobile, k)).unwrap_or_default(),
        email_key: Some(email_key(email)).filter(|k| usable_key(DedupeKey::Email, k)).unwrap_or_default(),
    };
    let exclude = exclude.and_then(|id| record_id(CUSTOMER, id));
    Ok(store::find_duplicates(&state.db, &keys, exclude.as_ref()).await?)
}

/// The look-alikes as the caller may see them.
fn as_seen_by(state: &AppState, caller: &Caller, hits: Vec<(DuplicateHit, String)>) -> Vec<DuplicateHit> {
    hits.into_iter()
        .map(|(hit, region)| {
            if access::sees(caller, &hit.owner, &region) {
                return DuplicateHit { owner_name: state.users.display_name(&hit.owner), ..hit };
            }
            if caller.can_assign() {
                return DuplicateHit { id: None, name: None, owner_name: state.users.display_name(&hit.owner), ..hit };
            }
            DuplicateHit { id: None, name: None, owner: String::new(), owner_name: String::new(), elsewhere: true, ..hit }
        })
        .collect()
}

/// Refuses a customer that another rep already has (撞单) — naming them to a manager, not to
/// a rep — and returns the look-alikes that may be confirmed as not duplicates.
async fn guard_duplicates(
    state: &AppState,
    caller: &Caller,
    input: &CustomerInput,
    owner: &str,
    exclude: Option<&str>,
) -> AppResult<Vec<DuplicateHit>> {
    let hits = look_alikes(state, &input.name, &input.phone, &input.email, &input.credit_code, exclude).await?;
    if let Some((taken, region)) = hits.iter().find(|(h, _)| !h.owner.is_empty() && h.owner != owner) {
        let named = caller.can_assign() || access::sees(caller, &taken.owner, region);
        let owner = if named { state.users.display_name(&taken.owner) } else { String::new() };
        return Err(AppError::OwnedElsewhere { owner });
    }
    Ok(as_seen_by(state, caller, hits))
}

/// Who a new customer belongs to: a rep's own customers are theirs; a manager or admin may
/// give it to someone in their scope, or leave it in the pool.
fn owner_for_new(state: &AppState, caller: &Caller, requested: &str) -> AppResult<String> {
    // A service agent owns no customers: one they add (a caller new to Kehu) goes to the
    // pool, for sales to claim.
    if caller.is_service() {
        return Ok(String::new());
    }
    if !caller.can_assign() || requested == caller.user.username {
        return Ok(caller.user.username.clone());
    }
    if requested.is_empty() {
        return Ok(String::new());
    }
    match state.users.get(requested) {
        Some(u) if u.user.active && access::may_assign_to(caller, requested) => Ok(requested.to_string()),
        _ => Err(AppError::Invalid(vec![FieldError::new("owner", Problem::UnknownChoice)])),
    }
}

/// Creates a customer. Unless `confirmed_not_duplicate`, a customer that looks like one the
/// same owner (or the pool) already has is not saved and the look-alikes are returned.
pub async fn create(state: &AppState, caller: &Caller, input: &CustomerInput, confirmed_not_duplicate: bool) -> AppResult<Customer> {
    let mut input = validate_customer(input).map_err(AppError::Invalid)?;
    input.owner = owner_for_new(state, caller, &input.owner)?;
    let hits = guard_duplicates(state, caller, &input, &input.owner, None).await?;
    if !hits.is_empty() && !confirmed_not_duplicate {
        return Err(AppError::PossibleDuplicates(hits));
    }
    let row = NewCustomer::from_input(new_id(CUSTOMER), &input, state.clock.now());
    let event = Event::by(caller, EventKind::CustomerCreated, state.clock.now())
        .about(&crate::store::ids::key_of(&row.id), &input.name)
        .changes(customer_changes(&CustomerInput::default(), &input));
    let customer = store::insert_customer(&state.db, row, &[event]).await?;
    follow(state, vec![Effect::Customer(customer.clone())]).await;
    Ok(named(state, customer))
}

/// Saves an edit made on version `version` of the customer. Ownership is not changed here
/// (claiming, assigning and returning to the pool do that, and say so in the log).
pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &CustomerInput,
    version: i64,
    confirmed_not_duplicate: bool,
) -> AppResult<Customer> {
    let (rid, current) = fetch(state, caller, id, Need::Change).await?;
    // The owner is not the form's to change (claiming, assigning and returning are), nor
    // written by an edit: `CustomerPatch` has no owner.
    let mut input = validate_customer(input).map_err(AppError::Invalid)?;
    input.owner = current.owner.clone();
    let hits = guard_duplicates(state, caller, &input, &current.owner, Some(id)).await?;
    if !hits.is_empty() && !confirmed_not_duplicate {
        return Err(AppError::PossibleDuplicates(hits));
    }
    let patch = CustomerPatch::from_input(&input, state.clock.now());
    let changes = customer_changes(&CustomerInput::from_customer(&current), &input);
    // An edit that changes nothing is saved (the version moves on) but tells the log nothing.
    let events: Vec<Event> = if changes.is_empty() {
        Vec::new()
    } else {
        vec![Event::by(caller, EventKind::CustomerUpdated, state.clock.now()).about(id, &input.name).changes(changes)]
    };
    let customer = match store::update_customer(&state.db, &rid, patch, version, &events).await {
        Err(e) => match AppError::from(e) {
            AppError::Conflict(now) => return Err(AppError::Conflict(Box::new(named(state, *now)))),
            other => return Err(other),
        },
        Ok(customer) => customer,
    };
    follow(state, vec![Effect::Customer(customer.clone())]).await;
    Ok(named(state, customer))
}

/// Adds a tag; adding one the customer already has changes nothing.
pub async fn add_tag(state: &AppState, caller: &Caller, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let (rid, current) = fetch(state, caller, id, Need::Change).await?;
    let tag = validate_tag(tag).map_err(AppError::Invalid)?;
    if current.tags.contains(&tag) {
        return Ok(current.tags);
    }
    let too_many = || AppError::Invalid(vec![FieldError::new("tag", Problem::TooLong { max: TAGS_PER_CUSTOMER_MAX })]);
    if current.tags.len() >= TAGS_PER_CUSTOMER_MAX {
        return Err(too_many());
    }
    let change = FieldChange::new(tag.dimension.as_str(), "", tag.label.clone());
    let event = Event::by(caller, EventKind::TagAdded, state.clock.now()).about(&current.id, &current.name).changes(vec![change]);
    // Someone may have tagged it meanwhile: the limit is checked again in the statement.
    let customer = store::tag(&state.db, &rid, tag.key(), true, TAGS_PER_CUSTOMER_MAX, state.clock.now(), &[event]).await?.ok_or_else(too_many)?;
    let tags = customer.tags.clone();
    follow(state, vec![Effect::Customer(customer)]).await;
    Ok(tags)
}

pub async fn remove_tag(state: &AppState, caller: &Caller, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let (rid, current) = fetch(state, caller, id, Need::Change).await?;
    if !current.tags.contains(tag) {
        return Ok(current.tags);
    }
    let change = FieldChange::new(tag.dimension.as_str(), tag.label.clone(), "");
    let event = Event::by(caller, EventKind::TagRemoved, state.clock.now()).about(&current.id, &current.name).changes(vec![change]);
    let customer = store::tag(&state.db, &rid, tag.key(), false, TAGS_PER_CUSTOMER_MAX, state.clock.now(), &[event]).await?.ok_or(AppError::NotFound)?;
    let tags = customer.tags.clone();
    follow(state, vec![Effect::Customer(customer)]).await;
    Ok(tags)
}
