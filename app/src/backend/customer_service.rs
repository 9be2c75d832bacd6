//! Customer 360 operations: the rules in order (validate, look for duplicates, check the
//! version), then the store, then the directory. Server functions call these and nothing
//! else; tests call them against an in-memory store.

use surrealdb::types::RecordId;

use super::customer_store::{self as store, DuplicateKeys};
use super::records::{record_id, new_id, CustomerPatch, NewContact, NewCustomer, TouchpointRecord, CONTACT, CUSTOMER, TOUCHPOINT};
use super::state::AppState;
use crate::customers::normalize::{email_key, name_key, phone_key};
use crate::customers::types::*;
use crate::customers::validate::{validate_contact, validate_customer, validate_tag, validate_touchpoint, TAGS_PER_CUSTOMER_MAX};
use crate::error::{AppError, AppResult, FieldError, Problem};

fn customer_id(id: &str) -> AppResult<RecordId> {
    record_id(CUSTOMER, id).ok_or(AppError::NotFound)
}

pub fn list(state: &AppState, query: &ListQuery) -> CustomerPage {
    state.directory.page(query)
}

pub fn facets(state: &AppState) -> ListFacets {
    state.directory.facets()
}

pub fn count(state: &AppState) -> u64 {
    state.directory.len() as u64
}

pub async fn profile(state: &AppState, id: &str) -> AppResult<CustomerProfile> {
    let rid = customer_id(id)?;
    let (customer, contacts, timeline) = store::profile(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    Ok(CustomerProfile { customer, contacts, timeline })
}

/// Existing customers that look like the one described; `exclude` is the one being edited.
pub async fn possible_duplicates(
    state: &AppState,
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
    store::find_duplicates(&state.db, &keys, exclude.as_ref()).await
}

/// Creates a customer. Unless `confirmed_not_duplicate`, a customer that looks like an
/// existing one is not saved and the look-alikes are returned instead.
pub async fn create(state: &AppState, input: &CustomerInput, confirmed_not_duplicate: bool) -> AppResult<Customer> {
    let input = validate_customer(input).map_err(AppError::Invalid)?;
    if !confirmed_not_duplicate {
        let hits = possible_duplicates(state, &input.name, &input.phone, &input.email, None).await?;
        if !hits.is_empty() {
            return Err(AppError::PossibleDuplicates(hits));
        }
    }
    let row = NewCustomer::from_input(new_id(CUSTOMER), &input, state.clock.now());
    let customer = row.to_customer();
    store::insert_customer(&state.db, row).await?;
    state.directory.upsert(&customer, &[]);
    Ok(customer)
}

/// Saves an edit made on version `version` of the customer.
pub async fn update(
    state: &AppState,
    id: &str,
    input: &CustomerInput,
    version: i64,
    confirmed_not_duplicate: bool,
) -> AppResult<Customer> {
    let rid = customer_id(id)?;
    let input = validate_customer(input).map_err(AppError::Invalid)?;
    if !confirmed_not_duplicate {
        let hits = possible_duplicates(state, &input.name, &input.phone, &input.email, Some(id)).await?;
        if !hits.is_empty() {
            return Err(AppError::PossibleDuplicates(hits));
        }
    }
    let patch = CustomerPatch::from_input(&input, state.clock.now());
    let customer = store::update_customer(&state.db, &rid, patch, version).await?;
    let contacts = store::contacts_of(&state.db, &rid).await?;
    state.directory.upsert(&customer, &store::search_contacts(&contacts));
    Ok(customer)
}

async fn refresh_directory(state: &AppState, rid: &RecordId, customer: &Customer) -> AppResult<()> {
    let contacts = store::contacts_of(&state.db, rid).await?;
    state.directory.upsert(customer, &store::search_contacts(&contacts));
    Ok(())
}

/// Adds a tag; adding one the customer already has changes nothing.
pub async fn add_tag(state: &AppState, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let rid = customer_id(id)?;
    let tag = validate_tag(tag).map_err(AppError::Invalid)?;
    let current = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    if current.tags.contains(&tag) {
        return Ok(current.tags);
    }
    if current.tags.len() >= TAGS_PER_CUSTOMER_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("tag", Problem::TooLong { max: TAGS_PER_CUSTOMER_MAX })]));
    }
    let mut tags = current.tags;
    tags.push(tag);
    save_tags(state, &rid, tags).await
}

pub async fn remove_tag(state: &AppState, id: &str, tag: &Tag) -> AppResult<Vec<Tag>> {
    let rid = customer_id(id)?;
    let current = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let tags: Vec<Tag> = current.tags.into_iter().filter(|t| t != tag).collect();
    save_tags(state, &rid, tags).await
}

async fn save_tags(state: &AppState, rid: &RecordId, tags: Vec<Tag>) -> AppResult<Vec<Tag>> {
    let keys = tags.iter().map(Tag::key).collect();
    let customer = store::set_tags(&state.db, rid, keys, state.clock.now()).await?.ok_or(AppError::NotFound)?;
    refresh_directory(state, rid, &customer).await?;
    Ok(customer.tags)
}

pub async fn add_contact(state: &AppState, customer: &str, input: &ContactInput) -> AppResult<Contact> {
    let rid = customer_id(customer)?;
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let current = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let row = NewContact::from_valid(new_id(CONTACT), rid.clone(), &valid, state.clock.now());
    let id = row.id.clone();
    store::insert_contact(&state.db, row).await?;
    refresh_directory(state, &rid, &current).await?;
    store::get_contact(&state.db, &id).await?.ok_or(AppError::NotFound)
}

/// The contact with this id, if it belongs to this customer.
async fn contact_of(state: &AppState, customer: &str, contact: &str) -> AppResult<(RecordId, RecordId)> {
    let rid = customer_id(customer)?;
    let cid = record_id(CONTACT, contact).ok_or(AppError::NotFound)?;
    let found = store::get_contact(&state.db, &cid).await?.ok_or(AppError::NotFound)?;
    if found.customer_id != customer {
        return Err(AppError::NotFound);
    }
    Ok((rid, cid))
}

pub async fn update_contact(state: &AppState, customer: &str, contact: &str, input: &ContactInput) -> AppResult<Contact> {
    let valid = validate_contact(input, state.clock.today()).map_err(AppError::Invalid)?;
    let (rid, cid) = contact_of(state, customer, contact).await?;
    let updated = store::update_contact(&state.db, &cid, super::records::ContactPatch::from_valid(&valid))
        .await?
        .ok_or(AppError::NotFound)?;
    let current = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    refresh_directory(state, &rid, &current).await?;
    Ok(updated)
}

pub async fn remove_contact(state: &AppState, customer: &str, contact: &str) -> AppResult<()> {
    let (rid, cid) = contact_of(state, customer, contact).await?;
    store::delete_contact(&state.db, &cid).await?;
    let current = store::get_customer(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    refresh_directory(state, &rid, &current).await
}

/// Logs a follow-up on the customer's timeline, timed now.
pub async fn add_touchpoint(state: &AppState, customer: &str, input: &TouchpointInput) -> AppResult<Touchpoint> {
    let rid = customer_id(customer)?;
    let valid = validate_touchpoint(input, state.clock.today()).map_err(AppError::Invalid)?;
    if !state.directory.contains(customer) {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    let row = TouchpointRecord::from_valid(new_id(TOUCHPOINT), rid.clone(), input.kind, &valid, now, now);
    let touchpoint = row.clone().into_touchpoint();
    let updated = store::insert_touchpoint(&state.db, row, now).await?.ok_or(AppError::NotFound)?;
    refresh_directory(state, &rid, &updated).await?;
    Ok(touchpoint)
}
