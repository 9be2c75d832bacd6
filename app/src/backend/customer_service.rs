//! Customer 360 operations for a signed-in caller: the rules in order (rights, validation,
//! duplicates, version), then the store, then the audit log and the directory. Server
//! functions call these and nothing else; tests call them against an in-memory store.
//!
//! Rights are applied where data is read: the directory pages only through the caller's
//! scope, and the store's point reads carry the scope in their WHERE clause, so a customer
//! outside it is "not found" rather than "forbidden" (which would confirm it exists).

use surrealdb::types::RecordId;

use super::audit_store::{self as audit, Audit};
use super::customer_store::{self as store, DuplicateKeys};
use super::records::{new_id, record_id, ContactPatch, CustomerPatch, NewContact, NewCustomer, TouchpointRecord, CONTACT, CUSTOMER, TOUCHPOINT};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::audit::diff::customer_changes;
use crate::audit::types::{AuditAction, FieldChange};
use crate::customers::normalize::{email_key, name_key, phone_key};
use crate::customers::types::*;
use crate::customers::validate::{validate_contact, validate_customer, validate_tag, validate_touchpoint, TAGS_PER_CUSTOMER_MAX};
use crate::error::{AppError, AppResult, FieldError, Problem};

fn customer_id(id: &str) -> AppResult<RecordId> {
    record_id(CUSTOMER, id).ok_or(AppError::NotFound)
}

/// Fills in the owner's display name.
pub fn named(state: &AppState, mut customer: Customer) -> Customer {
    customer.owner_name = state.users.display_name(&customer.owner);
    customer
}

pub fn list(state: &AppState, caller: &Caller, query: &ListQuery) -> CustomerPage {
    let segment = query.segment.as_deref().filter(|s| !s.is_empty());
    let mut page = match segment {
        // A segment nobody knows matches nobody, like an unknown tag.
        Some(s) => {
            let members = crate::insight::types::Segment::parse(s)
                .map(|seg| super::insight_service::segment_members(state, seg))
                .unwrap_or_default();
            state.directory.page_among(query, &caller.scope, Some(&members))
        }
        None => state.directory.page(query, &caller.scope),
    };
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
    let rid = customer_id(id)?;
    let (customer, contacts, timeline) =
        store::profile(&state.db, &rid, &caller.scope).await?.ok_or(AppError::NotFound)?;
    let orders = super::order_service::of_customer(state, &rid).await?;
    Ok(CustomerProfile { customer: named(state, customer), contacts, timeline, orders })
}

/// The customer if the caller may see it, else `NotFound`.
pub async fn visible(state: &AppState, caller: &Caller, rid: &RecordId) -> AppResult<Customer> {
    store::get_visible(&state.db, rid, &caller.scope).await?.ok_or(AppError::NotFound)
}

/// The customer if the caller may change it: `NotFound` if they cannot see it,
/// `Forbidden` if they can see but not change it (a pool customer before claiming).
pub async fn editable(state: &AppState, caller: &Caller, rid: &RecordId) -> AppResult<Customer> {
    let customer = visible(state, caller, rid).await?;
    if caller.can_edit(&customer.owner, &customer.region) {
        Ok(customer)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Existing customers that look like the one described; `exclude` is the one being edited.
/// Of customers the caller may not see, only the owner is told.
pub async fn possible_duplicates(
    state: &AppState,
    caller: &Caller,
    name: &str,
    phone: &str,
    email: &str,
    exclude: Option<&str>,
) -> AppResult<Vec<DuplicateHit>> {
    let keys = DuplicateKeys {
        // Names of one or two letters match too much to be a useful warning.
        name_key: Some(name_key(name)).filter(|k| k.chars().count() >= 2).unwrap_or_default(),
        phone_key: Some(phone_key(phone)).filter(|k| k.len() >= 7).unwrap_or_default(),
        email_key: Some(email_key(email)).filter(|k| k.contains('@')).unwrap_or_default(),
    };
    let exclude = exclude.and_then(|id| record_id(CUSTOMER, id));
    let hits = store::find_duplicates(&state.db, &keys, exclude.as_ref()).await?;
    Ok(hits
        .into_iter()
        .map(|(hit, region)| {
            let seen = caller.can_view(&hit.owner, &region);
            DuplicateHit {
                id: if seen { hit.id } else { None },
                name: if seen { hit.name } else { None },
                owner_name: state.users.display_name(&hit.owner),
                ..hit
            }
        })
        .collect())
}

/// Refuses a customer that another rep already has (撞单), naming only that rep; returns
/// the look-alikes that may be confirmed as not duplicates.
async fn guard_duplicates(
    state: &AppState,
    caller: &Caller,
    input: &CustomerInput,
    owner: &str,
    exclude: Option<&str>,
) -> AppResult<Vec<DuplicateHit>> {
    let hits = possible_duplicates(state, caller, &input.name, &input.phone, &input.email, exclude).await?;
    if let Some(taken) = hits.iter().find(|h| !h.owner.is_empty() && h.owner != owner) {
        return Err(AppError::OwnedElsewhere { owner: taken.owner_name.clone() });
    }
    Ok(hits)
}

/// Who a new customer belongs to: a rep's own customers are theirs; a manager or admin may
/// give it to someone in their scope, or leave it in the pool.
fn owner_for_new(state: &AppState, caller: &Caller, requested: &str) -> AppResult<String> {
    if !caller.can_assign() || requested == caller.user.username {
        return Ok(caller.user.username.clone());
    }
    if requested.is_empty() {
        return Ok(String::new());
    }
    match state.users.get(requested) {
        Some(u) if u.user.active && caller.scope.covers_user(requested) => Ok(requested.to_string()),
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
    let customer = store::insert_customer(&state.db, row).await?;
    let changes = customer_changes(&CustomerInput::default(), &input);
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action: AuditAction::CustomerCreated, customer: &customer.id, subject: &customer.name, changes },
        state.clock.now(),
    )
    .await?;
    state.directory.upsert(&customer, &[]);
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
    let rid = customer_id(id)?;
    let current = editable(state, caller, &rid).await?;
    let mut input = validate_customer(input).map_err(AppError::Invalid)?;
    input.owner = current.owner.clone();
    let hits = guard_duplicates(state, caller, &input, &current.owner, Some(id)).await?;
    if !hits.is_empty() && !confirmed_not_duplicate {
        return Err(AppError::PossibleDuplicates(hits));
    }
    let patch = CustomerPatch::from_input(&input, state.clock.now());
    let customer = match store::update_customer(&state.db, &rid, patch, version).await {
        Err(AppError::Conflict(now)) => return Err(AppError::Conflict(Box::new(named(state, *now)))),
        other => other?,
    };
    let changes = customer_changes(&CustomerInput::from_customer(&current), &input);
    if !changes.is_empty() {
        audit::record(
            &state.db,
            Audit { actor: &caller.user.username, action: AuditAction::CustomerUpdated, customer: id, subject: &customer.name, changes },
            state.clock.now(),
        )
        .await?;
    }
    refresh_directory(state, &rid, &customer).await?;
    Ok(named(state, customer))
}

/// Also works the customer's reminders out again (their facts or owner may have changed)
/// and tells a former owner's pages that theirs changed.
pub(crate) async fn refresh_directory(state: &AppState, rid: &RecordId, customer: &Customer) -> AppResult<()> {
    let contacts = store::contacts_of(&state.db, rid).await?;
    let owner_before = state.directory.row(&customer.id).map(|row| row.owner);
    state.directory.upsert(customer, &store::search_contacts(&contacts));
    super::reminder_engine::refresh_customer(state, &customer.id).await;
    if let Some(before) = owner_before.filter(|o| *o != customer.owner) {
        state.live.changed_for(vec![before]);
    }
    Ok(())
}

/// Adds a tag; adding one the customer already has changes nothing.
pub async fn add_tag(state: &AppState, caller: &Caller, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let rid = customer_id(id)?;
    let current = editable(state, caller, &rid).await?;
    let tag = validate_tag(tag).map_err(AppError::Invalid)?;
    if current.tags.contains(&tag) {
        return Ok(current.tags);
    }
    if current.tags.len() >= TAGS_PER_CUSTOMER_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("tag", Problem::TooLong { max: TAGS_PER_CUSTOMER_MAX })]));
    }
    let mut tags = current.tags.clone();
    tags.push(tag.clone());
    let change = FieldChange::new(tag.dimension.as_str(), "", tag.label.clone());
    save_tags(state, caller, &rid, &current, tags, AuditAction::TagAdded, change).await
}

pub async fn remove_tag(state: &AppState, caller: &Caller, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let rid = customer_id(id)?;
    let current = editable(state, caller, &rid).await?;
    if !current.tags.contains(tag) {
        return Ok(current.tags);
    }
    let tags: Vec<Tag> = current.tags.iter().filter(|t| *t != tag).cloned().collect();
    let change = FieldChange::new(tag.dimension.as_str(), tag.label.clone(), "");
    save_tags(state, caller, &rid, &current, tags, AuditAction::TagRemoved, change).await
}

async fn save_tags(
    state: &AppState,
    caller: &Caller,
    rid: &RecordId,
    current: &Customer,
    tags: Vec<Tag>,
    action: AuditAction,
    change: FieldChange,
) -> AppResult<Vec<Tag>> {
    let keys = tags.iter().map(Tag::key).collect();
    let customer = store::set_tags(&state.db, rid, keys, state.clock.now()).await?.ok_or(AppError::NotFound)?;
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action, customer: &current.id, subject: &current.name, changes: vec![change] },
        state.clock.now(),
    )
    .await?;
    refresh_directory(state, rid, &customer).await?;
    Ok(customer.tags)
}

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
    let rid = customer_id(customer)?;
    let current = editable(state, caller, &rid).await?;
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let row = NewContact::from_valid(new_id(CONTACT), rid.clone(), &valid, state.clock.now());
    let id = row.id.clone();
    store::insert_contact(&state.db, row).await?;
    let saved = store::get_contact(&state.db, &id).await?.ok_or(AppError::NotFound)?;
    let changes = contact_changes(&ContactInput::default(), &ContactInput::from_contact(&saved));
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action: AuditAction::ContactAdded, customer, subject: &saved.name, changes },
        state.clock.now(),
    )
    .await?;
    refresh_directory(state, &rid, &current).await?;
    Ok(saved)
}

/// The contact with this id, if it belongs to this customer and the caller may change it.
async fn contact_of(state: &AppState, caller: &Caller, customer: &str, contact: &str) -> AppResult<(RecordId, Customer, RecordId, Contact)> {
    let rid = customer_id(customer)?;
    let current = editable(state, caller, &rid).await?;
    let cid = record_id(CONTACT, contact).ok_or(AppError::NotFound)?;
    let found = store::get_contact(&state.db, &cid).await?.ok_or(AppError::NotFound)?;
    if found.customer_id != customer {
        return Err(AppError::NotFound);
    }
    Ok((rid, current, cid, found))
}

pub async fn update_contact(state: &AppState, caller: &Caller, customer: &str, contact: &str, input: &ContactInput) -> AppResult<Contact> {
    let (rid, current, cid, before) = contact_of(state, caller, customer, contact).await?;
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let updated = store::update_contact(&state.db, &cid, ContactPatch::from_valid(&valid)).await?.ok_or(AppError::NotFound)?;
    let changes = contact_changes(&ContactInput::from_contact(&before), &ContactInput::from_contact(&updated));
    if !changes.is_empty() {
        audit::record(
            &state.db,
            Audit { actor: &caller.user.username, action: AuditAction::ContactUpdated, customer, subject: &updated.name, changes },
            state.clock.now(),
        )
        .await?;
    }
    refresh_directory(state, &rid, &current).await?;
    Ok(updated)
}

pub async fn remove_contact(state: &AppState, caller: &Caller, customer: &str, contact: &str) -> AppResult<()> {
    let (rid, current, cid, before) = contact_of(state, caller, customer, contact).await?;
    store::delete_contact(&state.db, &cid).await?;
    let changes = contact_changes(&ContactInput::from_contact(&before), &ContactInput::default());
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action: AuditAction::ContactRemoved, customer, subject: &before.name, changes },
        state.clock.now(),
    )
    .await?;
    refresh_directory(state, &rid, &current).await
}

/// Logs a follow-up on the customer's timeline, timed now and signed by the caller.
pub async fn add_touchpoint(state: &AppState, caller: &Caller, customer: &str, input: &TouchpointInput) -> AppResult<Touchpoint> {
    let rid = customer_id(customer)?;
    editable(state, caller, &rid).await?;
    let input = TouchpointInput { author: caller.user.display_name.clone(), ..input.clone() };
    let valid = validate_touchpoint(&input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let row = TouchpointRecord::from_valid(new_id(TOUCHPOINT), rid.clone(), input.kind, &valid, now, now);
    let touchpoint = row.clone().into_touchpoint();
    let updated = store::insert_touchpoint(&state.db, row, now).await?.ok_or(AppError::NotFound)?;
    refresh_directory(state, &rid, &updated).await?;
    Ok(touchpoint)
}

/// Moves a customer along its lifecycle on behalf of the pipeline (a deal started, a deal
/// won), audited like any edit. Does nothing if it is already there. True if it moved (and so
/// refreshed the directory and the customer's reminders).
pub(crate) async fn set_lifecycle(state: &AppState, actor: &str, rid: &RecordId, stage: LifecycleStage) -> AppResult<bool> {
    let Some(current) = store::get_customer(&state.db, rid).await? else { return Err(AppError::NotFound) };
    if current.stage == stage {
        return Ok(false);
    }
    let now = state.clock.now();
    let updated = store::set_stage(&state.db, rid, stage.as_str(), now).await?.ok_or(AppError::NotFound)?;
    let change = FieldChange::new("stage", current.stage.as_str(), stage.as_str());
    audit::record(
        &state.db,
        Audit { actor, action: AuditAction::CustomerUpdated, customer: &current.id, subject: &current.name, changes: vec![change] },
        now,
    )
    .await?;
    refresh_directory(state, rid, &updated).await?;
    Ok(true)
}

/// A note on the timeline written by Kehu itself (pool moves, merges), signed by `author`.
pub(crate) async fn system_note(state: &AppState, rid: &RecordId, author: &str, summary: String) -> AppResult<Option<Customer>> {
    let now = state.clock.now();
    let valid = crate::customers::validate::ValidTouchpoint {
        author: author.to_string(),
        summary,
        next_step: String::new(),
        next_step_on: None,
    };
    let row = TouchpointRecord::from_valid(new_id(TOUCHPOINT), rid.clone(), TouchpointKind::Note, &valid, now, now);
    store::insert_touchpoint_quietly(&state.db, row).await?;
    store::get_customer(&state.db, rid).await
}
