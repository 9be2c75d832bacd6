//! SurrealDB queries for customers, contacts and touchpoints, and nothing else: no rules,
//! no validation, no rights (the services ask `access` first). Every value reaches SurrealQL
//! as a bound parameter; every change writes its events in its own transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::customers::types::{Contact, Customer, DuplicateField, DuplicateHit, Touchpoint};
use kehu_domain::error::AppError;

use super::transact::Transact;
use super::customer_rows::*;
use super::db::Db;
use super::error::{StoreError, StoreResult};
use super::events::{rows as event_rows, transaction};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::key_of;
use crate::events::Event;
use crate::readmodel::directory::SearchContact;

/// The newest touchpoints a profile shows; older ones stay in the store.
pub const TIMELINE_LIMIT: usize = 500;

/// Creates the customer with its events and returns it as stored.
pub async fn insert_customer(db: &Db, row: NewCustomer, events: &[Event]) -> StoreResult<Customer> {
    let created: Option<CustomerRecord> = db
        .transact(transaction("CREATE ONLY $id CONTENT $row RETURN AFTER;"))
        .bind(("id", row.id.clone()))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    created.map(CustomerRecord::into_customer).ok_or_else(|| StoreError::Broken("the new customer was not returned".into()))
}

/// Bulk insert for demo data and imports: one transaction per call, with its events.
pub async fn insert_batch(
    db: &Db,
    customers: Vec<NewCustomer>,
    contacts: Vec<NewContact>,
    touchpoints: Vec<TouchpointRecord>,
    events: &[Event],
) -> StoreResult<()> {
    db.transact(transaction(
        "INSERT INTO customer $customers;
         INSERT INTO contact $contacts;
         INSERT INTO touchpoint $touchpoints;",
    ))
    .bind(("customers", customers))
    .bind(("contacts", contacts))
    .bind(("touchpoints", touchpoints))
    .bind(("events", event_rows(events)))
    .await?
    .check()?;
    Ok(())
}

pub async fn get_customer(db: &Db, id: &RecordId) -> StoreResult<Option<Customer>> {
    let record: Option<CustomerRecord> =
        db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?;
    Ok(record.map(CustomerRecord::into_customer))
}

/// Applies an edit if the stored version is still `expected_version`: `NotFound` when the
/// customer does not exist, `Conflict` when someone saved in between.
pub async fn update_customer(
    db: &Db,
    id: &RecordId,
    mut patch: CustomerPatch,
    expected_version: i64,
    events: &[Event],
) -> StoreResult<Customer> {
    patch.version = expected_version + 1;
    let response = db
        .transact(transaction(&format!(
            "LET $done = (UPDATE $id MERGE $patch WHERE version = $expected RETURN AFTER);
             IF array::len($done) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             SELECT * FROM $id;"
        )))
        .bind(("id", id.clone()))
        .bind(("patch", patch))
        .bind(("expected", expected_version))
        .bind(("events", event_rows(events)))
        .await;
    match unless_moved(response, 3)? {
        Some(record) => Ok(record.into_customer()),
        None => match get_customer(db, id).await? {
            Some(now) => Err(AppError::Conflict(Box::new(now)).into()),
            None => Err(AppError::NotFound.into()),
        },
    }
}

/// The customer statement `index` returned, `None` if the transaction found it other than
/// expected (and wrote nothing).
fn unless_moved(response: Result<super::transact::Answer, surrealdb::Error>, index: usize) -> StoreResult<Option<CustomerRecord>> {
    let Some(mut response) = as_expected(response)? else { return Ok(None) };
    let rows: Vec<CustomerRecord> = response.take(index)?;
    Ok(rows.into_iter().next())
}

/// Adds (`on`) or removes one tag as a set operation, so two people tagging at once both
/// keep theirs; an added tag beyond `max` is refused inside the statement. Tags are not part
/// of the edit form, so tagging does not move the version an open form was loaded at. The event is
/// written only with a change. `None` when the customer is gone or already at `max` tags.
pub async fn tag(db: &Db, id: &RecordId, tag: String, on: bool, max: usize, now: DateTime<Utc>, events: &[Event]) -> StoreResult<Option<Customer>> {
    let change = if on {
        "UPDATE $id SET tags = array::union(tags, [$tag]), updated_at = $now
             WHERE $tag IN tags OR array::len(tags) < $max RETURN AFTER"
    } else {
        "UPDATE $id SET tags = array::complement(tags, [$tag]), updated_at = $now RETURN AFTER"
    };
    let response = db
        .transact(transaction(&format!(
            "LET $done = ({change});
             IF array::len($done) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             SELECT * FROM $id;"
        )))
        .bind(("id", id.clone()))
        .bind(("tag", tag))
        .bind(("max", max as i64))
        .bind(("now", now))
        .bind(("events", event_rows(events)))
        .await;
    Ok(unless_moved(response, 3)?.map(CustomerRecord::into_customer))
}

/// The customer, their contacts and newest touchpoints, in one round trip; `None` if there
/// is no such customer.
pub async fn profile(db: &Db, id: &RecordId) -> StoreResult<Option<(Customer, Vec<Contact>, Vec<Touchpoint>)>> {
    let mut response = db
        .query(
            "SELECT * FROM $id;
             SELECT * FROM contact WHERE customer = $id ORDER BY created_at;
             SELECT * FROM touchpoint WHERE customer = $id ORDER BY at DESC LIMIT $limit;",
        )
        .bind(("id", id.clone()))
        .bind(("limit", TIMELINE_LIMIT as i64))
        .await?;
    let customer: Vec<CustomerRecord> = response.take(0)?;
    let Some(customer) = customer.into_iter().next() else { return Ok(None) };
    let contacts: Vec<ContactRecord> = response.take(1)?;
    let timeline: Vec<TouchpointRecord> = response.take(2)?;
    Ok(Some((
        customer.into_customer(),
        contacts.into_iter().map(ContactRecord::into_contact).collect(),
        timeline.into_iter().map(TouchpointRecord::into_touchpoint).collect(),
    )))
}

pub async fn contacts_of(db: &Db, customer: &RecordId) -> StoreResult<Vec<Contact>> {
    let contacts: Vec<ContactRecord> = db
        .query("SELECT * FROM contact WHERE customer = $id ORDER BY created_at")
        .bind(("id", customer.clone()))
        .await?
        .take(0)?;
    Ok(contacts.into_iter().map(ContactRecord::into_contact).collect())
}

pub async fn get_contact(db: &Db, id: &RecordId) -> StoreResult<Option<Contact>> {
    let record: Option<ContactRecord> =
        db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?;
    Ok(record.map(ContactRecord::into_contact))
}

pub async fn insert_contact(db: &Db, row: NewContact, events: &[Event]) -> StoreResult<Option<Contact>> {
    let created: Vec<ContactRecord> = db
        .transact(transaction("CREATE $id CONTENT $row RETURN AFTER;"))
        .bind(("id", row.id.clone()))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    Ok(created.into_iter().next().map(ContactRecord::into_contact))
}

pub async fn update_contact(db: &Db, id: &RecordId, patch: ContactPatch, events: &[Event]) -> StoreResult<Option<Contact>> {
    let updated: Vec<ContactRecord> = db
        .transact(transaction("UPDATE $id MERGE $patch RETURN AFTER;"))
        .bind(("id", id.clone()))
        .bind(("patch", patch))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    Ok(updated.into_iter().next().map(ContactRecord::into_contact))
}

pub async fn delete_contact(db: &Db, id: &RecordId, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("DELETE $id;"))
        .bind(("id", id.clone()))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// One touchpoint by its id (a keyed follow-up sent again finds the one already logged).
pub async fn get_touchpoint(db: &Db, id: &RecordId) -> StoreResult<Option<TouchpointRecord>> {
    let row: Option<TouchpointRecord> = db.select(id.clone()).await?;
    Ok(row)
}

/// Records a touchpoint and moves the customer's last-contact time forward, atomically.
pub async fn insert_touchpoint(db: &Db, row: TouchpointRecord, now: DateTime<Utc>, events: &[Event]) -> StoreResult<Option<Customer>> {
    let mut response = db
        .transact(transaction(
            "CREATE $id CONTENT $row;
             UPDATE $customer SET
                 last_contact_at = IF last_contact_at = NONE OR last_contact_at < $at THEN $at ELSE last_contact_at END,
                 updated_at = $now
                 RETURN AFTER;",
        ))
        .bind(("id", row.id.clone()))
        .bind(("customer", row.customer.clone()))
        .bind(("at", row.at))
        .bind(("now", now))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    // Results are numbered by statement, BEGIN included: the UPDATE is the third.
    let updated: Vec<CustomerRecord> = response.take(2)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// Sets the lifecycle stage (a deal's start or win moves it), bumping the version so an
/// edit opened before sees the change.
pub async fn set_stage(db: &Db, id: &RecordId, stage: &str, now: DateTime<Utc>, events: &[Event]) -> StoreResult<Option<Customer>> {
    let updated: Vec<CustomerRecord> = db
        .transact(transaction("UPDATE $id SET stage = $stage, updated_at = $now, version = version + 1 RETURN AFTER;"))
        .bind(("id", id.clone()))
        .bind(("stage", stage.to_string()))
        .bind(("now", now))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// A note on the timeline that is not contact with the customer (Kehu's own words about a
/// pool move, a merge, a deal's end), with its events: the last-contact time stays.
pub async fn add_note(db: &Db, note: TouchpointRecord, events: &[Event]) -> StoreResult<Option<Customer>> {
    let customer = note.customer.clone();
    let found: Vec<CustomerRecord> = db
        .transact(transaction("CREATE $id CONTENT $note; SELECT * FROM $customer;"))
        .bind(("id", note.id.clone()))
        .bind(("note", note))
        .bind(("customer", customer))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(2)?;
    Ok(found.into_iter().next().map(CustomerRecord::into_customer))
}

/// Gives the customer to `to` ("" for the pool) if it still belongs to `from` — two people
/// claiming the same pool customer at once cannot both get it — and notes why on its
/// timeline, with the events, in one transaction. `None` if the owner had changed (then
/// nothing was written).
pub async fn set_owner(
    db: &Db,
    id: &RecordId,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
    note: TouchpointRecord,
    events: &[Event],
) -> StoreResult<Option<Customer>> {
    let response = db
        .transact(transaction(&format!(
            "LET $moved = (UPDATE $id SET owner = $to, updated_at = $now, version = version + 1 WHERE owner = $from RETURN AFTER);
             IF array::len($moved) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             CREATE $note_id CONTENT $note;
             SELECT * FROM $id;"
        )))
        .bind(("id", id.clone()))
        .bind(("from", from.to_string()))
        .bind(("to", to.to_string()))
        .bind(("now", now))
        .bind(("note_id", note.id.clone()))
        .bind(("note", note))
        .bind(("events", event_rows(events)))
        .await;
    Ok(unless_moved(response, 4)?.map(CustomerRecord::into_customer))
}

/// Moves every customer of `from` to `to` ("" for the pool) in one statement, with the
/// events (one per customer, made by `event_of` from each customer as it was); returns them.
pub async fn reassign_all(
    db: &Db,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
    event_of: impl Fn(&str, &str) -> Event,
) -> StoreResult<Vec<Customer>> {
    // The customers first (their ids and names name the events), then the move and the
    // events together; a customer gained meanwhile moves without a line of its own.
    #[derive(SurrealValue)]
    struct Owned {
        id: RecordId,
        name: String,
    }
    let owned: Vec<Owned> = db.query("SELECT id, name FROM customer WHERE owner = $from").bind(("from", from.to_string())).await?.take(0)?;
    let events: Vec<Event> = owned.iter().map(|c| event_of(&key_of(&c.id), &c.name)).collect();
    let updated: Vec<CustomerRecord> = db
        .transact(transaction("UPDATE customer SET owner = $to, updated_at = $now, version = version + 1 WHERE owner = $from RETURN AFTER;"))
        .bind(("from", from.to_string()))
        .bind(("to", to.to_string()))
        .bind(("now", now))
        .bind(("events", event_rows(&events)))
        .await?
        .check()?
        .take(1)?;
    Ok(updated.into_iter().map(CustomerRecord::into_customer).collect())
}

/// Carries `from`'s contacts, timeline, deals, do-not-disturb windows, reminders, care dates,
/// orders, tickets and surveys over to `into`, saves `into`'s merged fields, notes the merge on its timeline
/// and removes `from`, with the events, in one transaction.
pub async fn merge(
    db: &Db,
    into: &RecordId,
    from: &RecordId,
    merged: CustomerPatch,
    tags: Vec<String>,
    last_contact_at: Option<DateTime<Utc>>,
    note: TouchpointRecord,
    events: &[Event],
) -> StoreResult<Customer> {
    let mut response = db
        .transact(transaction(
            "UPDATE contact SET customer = $into WHERE customer = $from;
             UPDATE touchpoint SET customer = $into WHERE customer = $from;
             UPDATE deal SET customer = $into WHERE customer = $from;
             UPDATE dnd_window SET customer = $into WHERE customer = $from;
             UPDATE reminder SET customer = $into WHERE customer = $from;
             UPDATE care_date SET customer = $into WHERE customer = $from;
             UPDATE sales_order SET customer = $into WHERE customer = $from;
             UPDATE ticket SET customer = $into WHERE customer = $from;
             UPDATE survey SET customer = $into WHERE customer = $from;
             UPDATE $into MERGE $merged;
             UPDATE $into SET tags = $tags, last_contact_at = $last;
             DELETE $from;
             CREATE $note_id CONTENT $note;
             SELECT * FROM $into;",
        ))
        .bind(("into", into.clone()))
        .bind(("from", from.clone()))
        .bind(("merged", merged))
        .bind(("tags", tags))
        .bind(("last", last_contact_at))
        .bind(("note_id", note.id.clone()))
        .bind(("note", note))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    // Numbered by statement, BEGIN included.
    let updated: Vec<CustomerRecord> = response.take(14)?;
    updated
        .into_iter()
        .next()
        .map(CustomerRecord::into_customer)
        .ok_or_else(|| StoreError::Broken("the merged customer was not returned".into()))
}

/// The canonical keys a new or edited customer is compared by; empty keys are skipped.
#[derive(Clone, Debug, Default)]
pub struct DuplicateKeys {
    pub name_key: String,
    pub phone_key: String,
    pub email_key: String,
    pub credit_code_key: String,
}

/// Customers that share a name, phone or email key with the given ones, directly or
/// through one of their contacts; `exclude` is the customer being edited. Each with its
/// region, so the caller can tell which of them the asker may see.
pub async fn find_duplicates(db: &Db, keys: &DuplicateKeys, exclude: Option<&RecordId>) -> StoreResult<Vec<(DuplicateHit, String)>> {
    let mut statements = Vec::new();
    let mut fields = Vec::new();
    if !keys.name_key.is_empty() {
        statements.push("SELECT id, name, owner, region FROM customer WHERE name_key = $name_key LIMIT 10");
        fields.push(DuplicateField::Name);
    }
    if !keys.phone_key.is_empty() {
        statements.push("SELECT id, name, owner, region FROM customer WHERE phone_key = $phone_key LIMIT 10");
        fields.push(DuplicateField::Phone);
        statements.push(
            "SELECT customer AS id, customer.name AS name, customer.owner AS owner, customer.region AS region FROM contact WHERE phone_key = $phone_key LIMIT 10",
        );
        fields.push(DuplicateField::Phone);
    }
    if !keys.email_key.is_empty() {
        statements.push("SELECT id, name, owner, region FROM customer WHERE email_key = $email_key LIMIT 10");
        fields.push(DuplicateField::Email);
        statements.push(
            "SELECT customer AS id, customer.name AS name, customer.owner AS owner, customer.region AS region FROM contact WHERE email_key = $email_key LIMIT 10",
        );
        fields.push(DuplicateField::Email);
    }
    if !keys.credit_code_key.is_empty() {
        statements.push("SELECT id, name, owner, region FROM customer WHERE credit_code_key = $credit_code_key LIMIT 10");
        fields.push(DuplicateField::CreditCode);
    }
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let mut response = db
        .query(statements.join(";\n"))
        .bind(("name_key", keys.name_key.clone()))
        .bind(("phone_key", keys.phone_key.clone()))
        .bind(("email_key", keys.email_key.clone()))
        .bind(("credit_code_key", keys.credit_code_key.clone()))
        .await?;
    let mut hits: BTreeMap<String, (DuplicateHit, String)> = BTreeMap::new();
    for (index, field) in fields.into_iter().enumerate() {
        let found: Vec<DuplicateRecord> = response.take(index)?;
        for record in found {
            if exclude == Some(&record.id) {
                continue;
            }
            let id = key_of(&record.id);
            let (hit, _) = hits.entry(id.clone()).or_insert_with(|| {
                let hit = DuplicateHit {
                    id: Some(id),
                    name: Some(record.name),
                    owner: record.owner,
                    owner_name: String::new(),
                    matched_on: Vec::new(),
                    elsewhere: false,
                };
                (hit, record.region)
            });
            if !hit.matched_on.contains(&field) {
                hit.matched_on.push(field);
            }
        }
    }
    let mut hits: Vec<(DuplicateHit, String)> = hits.into_values().collect();
    for (hit, _) in &mut hits {
        hit.matched_on.sort();
    }
    Ok(hits)
}

/// Everything the directory is built from: all customers and, per customer, its contacts.
pub async fn directory_snapshot(db: &Db) -> StoreResult<(Vec<Customer>, HashMap<String, Vec<SearchContact>>)> {
    let mut response = db
        .query(
            // Notes and addresses are not listed or searched: leave them (up to 5000 and 300
            // characters each) behind.
            "SELECT id, kind, name, industry, region, source, stage, owner, phone, email, credit_code, tags,
                    created_at, updated_at, last_contact_at, version, '' AS notes, '' AS address FROM customer;
             SELECT customer, name, phone, email FROM contact;",
        )
        .await?;
    let customers: Vec<CustomerRecord> = response.take(0)?;
    let contacts: Vec<DirectoryContact> = response.take(1)?;
    let customers = customers.into_iter().map(CustomerRecord::into_customer).collect();
    Ok((customers, by_customer(contacts)))
}

/// The contacts' search text of some customers (those a bulk write changed), by customer.
pub async fn search_contacts_of(db: &Db, customers: Vec<RecordId>) -> StoreResult<HashMap<String, Vec<SearchContact>>> {
    let contacts: Vec<DirectoryContact> =
        db.query("SELECT customer, name, phone, email FROM contact WHERE customer IN $customers").bind(("customers", customers)).await?.take(0)?;
    Ok(by_customer(contacts))
}

fn by_customer(contacts: Vec<DirectoryContact>) -> HashMap<String, Vec<SearchContact>> {
    let mut by_customer: HashMap<String, Vec<SearchContact>> = HashMap::new();
    for c in contacts {
        by_customer.entry(key_of(&c.customer)).or_default().push(SearchContact { name: c.name, phone: c.phone, email: c.email });
    }
    by_customer
}

/// The visits logged between two moments, oldest first.
pub async fn visits_between(db: &Db, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<TouchpointRecord>> {
    Ok(db
        .query("SELECT * FROM touchpoint WHERE kind = 'visit' AND at >= $from AND at < $to ORDER BY at")
        .bind(("from", from))
        .bind(("to", to))
        .await?
        .take(0)?)
}
