//! SurrealDB queries for customers, contacts and touchpoints, and nothing else: no rules,
//! no validation. Every value reaches SurrealQL as a bound parameter.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use super::db::Db;
use crate::accounts::rules::Scope;
use super::directory::SearchContact;
use super::records::*;
use crate::customers::types::{Contact, Customer, DuplicateField, DuplicateHit, Touchpoint};
use crate::error::{AppError, AppResult};

/// The newest touchpoints a profile shows; older ones stay in the store.
pub const TIMELINE_LIMIT: usize = 500;

/// The caller's scope as a WHERE condition on customers; bind it with [`scope_params`].
const IN_SCOPE: &str = "($all OR owner = '' OR owner IN $owners OR region IN $regions)";

/// `(all, owners, regions)` for [`IN_SCOPE`].
fn scope_params(scope: &Scope) -> (bool, Vec<String>, Vec<String>) {
    match scope {
        Scope::All => (true, Vec::new(), Vec::new()),
        Scope::Limited { owners, regions } => (false, owners.iter().cloned().collect(), regions.iter().cloned().collect()),
    }
}

/// The customer, if `scope` covers it.
pub async fn get_visible(db: &Db, id: &RecordId, scope: &Scope) -> AppResult<Option<Customer>> {
    let (all, owners, regions) = scope_params(scope);
    let found: Vec<CustomerRecord> = db
        .query(format!("SELECT * FROM $id WHERE {IN_SCOPE}"))
        .bind(("id", id.clone()))
        .bind(("all", all))
        .bind(("owners", owners))
        .bind(("regions", regions))
        .await?
        .take(0)?;
    Ok(found.into_iter().next().map(CustomerRecord::into_customer))
}

/// Creates the customer and returns it as stored.
pub async fn insert_customer(db: &Db, row: NewCustomer) -> AppResult<Customer> {
    let created: Option<CustomerRecord> = db
        .query("CREATE ONLY $id CONTENT $row RETURN AFTER")
        .bind(("id", row.id.clone()))
        .bind(("row", row))
        .await?
        .take(0)?;
    created
        .map(CustomerRecord::into_customer)
        .ok_or_else(|| AppError::Store("the new customer was not returned".into()))
}

/// Bulk insert for demo data and imports: one transaction per call.
pub async fn insert_batch(
    db: &Db,
    customers: Vec<NewCustomer>,
    contacts: Vec<NewContact>,
    touchpoints: Vec<TouchpointRecord>,
) -> AppResult<()> {
    db.query(
        "BEGIN TRANSACTION;
         INSERT INTO customer $customers;
         INSERT INTO contact $contacts;
         INSERT INTO touchpoint $touchpoints;
         COMMIT TRANSACTION;",
    )
    .bind(("customers", customers))
    .bind(("contacts", contacts))
    .bind(("touchpoints", touchpoints))
    .await?
    .check()?;
    Ok(())
}

pub async fn get_customer(db: &Db, id: &RecordId) -> AppResult<Option<Customer>> {
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
) -> AppResult<Customer> {
    patch.version = expected_version + 1;
    let mut response = db
        .query("UPDATE $id MERGE $patch WHERE version = $expected RETURN AFTER")
        .bind(("id", id.clone()))
        .bind(("patch", patch))
        .bind(("expected", expected_version))
        .await?;
    let updated: Vec<CustomerRecord> = response.take(0)?;
    match updated.into_iter().next() {
        Some(record) => Ok(record.into_customer()),
        None => match get_customer(db, id).await? {
            Some(now) => Err(AppError::Conflict(Box::new(now))),
            None => Err(AppError::NotFound),
        },
    }
}

pub async fn set_tags(db: &Db, id: &RecordId, tags: Vec<String>, now: DateTime<Utc>) -> AppResult<Option<Customer>> {
    let updated: Vec<CustomerRecord> = db
        .query("UPDATE $id SET tags = $tags, updated_at = $now RETURN AFTER")
        .bind(("id", id.clone()))
        .bind(("tags", tags))
        .bind(("now", now))
        .await?
        .take(0)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// The customer, their contacts and newest touchpoints, in one round trip; `None` unless
/// `scope` covers the customer (then its contacts and timeline are not returned either).
pub async fn profile(db: &Db, id: &RecordId, scope: &Scope) -> AppResult<Option<(Customer, Vec<Contact>, Vec<Touchpoint>)>> {
    let (all, owners, regions) = scope_params(scope);
    let mut response = db
        .query(format!(
            "SELECT * FROM $id WHERE {IN_SCOPE};
             SELECT * FROM contact WHERE customer = $id ORDER BY created_at;
             SELECT * FROM touchpoint WHERE customer = $id ORDER BY at DESC LIMIT $limit;"
        ))
        .bind(("id", id.clone()))
        .bind(("limit", TIMELINE_LIMIT as i64))
        .bind(("all", all))
        .bind(("owners", owners))
        .bind(("regions", regions))
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

pub async fn contacts_of(db: &Db, customer: &RecordId) -> AppResult<Vec<Contact>> {
    let contacts: Vec<ContactRecord> = db
        .query("SELECT * FROM contact WHERE customer = $id ORDER BY created_at")
        .bind(("id", customer.clone()))
        .await?
        .take(0)?;
    Ok(contacts.into_iter().map(ContactRecord::into_contact).collect())
}

pub async fn get_contact(db: &Db, id: &RecordId) -> AppResult<Option<Contact>> {
    let record: Option<ContactRecord> =
        db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?;
    Ok(record.map(ContactRecord::into_contact))
}

pub async fn insert_contact(db: &Db, row: NewContact) -> AppResult<()> {
    db.query("CREATE $id CONTENT $row").bind(("id", row.id.clone())).bind(("row", row)).await?.check()?;
    Ok(())
}

pub async fn update_contact(db: &Db, id: &RecordId, patch: ContactPatch) -> AppResult<Option<Contact>> {
    let updated: Vec<ContactRecord> = db
        .query("UPDATE $id MERGE $patch RETURN AFTER")
        .bind(("id", id.clone()))
        .bind(("patch", patch))
        .await?
        .take(0)?;
    Ok(updated.into_iter().next().map(ContactRecord::into_contact))
}

pub async fn delete_contact(db: &Db, id: &RecordId) -> AppResult<()> {
    db.query("DELETE $id").bind(("id", id.clone())).await?.check()?;
    Ok(())
}

/// Records a touchpoint and moves the customer's last-contact time forward, atomically.
pub async fn insert_touchpoint(db: &Db, row: TouchpointRecord, now: DateTime<Utc>) -> AppResult<Option<Customer>> {
    let mut response = db
        .query(
            "BEGIN TRANSACTION;
             CREATE $id CONTENT $row;
             UPDATE $customer SET
                 last_contact_at = IF last_contact_at = NONE OR last_contact_at < $at THEN $at ELSE last_contact_at END,
                 updated_at = $now
                 RETURN AFTER;
             COMMIT TRANSACTION;",
        )
        .bind(("id", row.id.clone()))
        .bind(("customer", row.customer.clone()))
        .bind(("at", row.at))
        .bind(("now", now))
        .bind(("row", row))
        .await?;
    // Results are numbered by statement, BEGIN included: the UPDATE is the third.
    let updated: Vec<CustomerRecord> = response.take(2)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// A touchpoint that is not contact with the customer (a note Kehu writes about a pool move
/// or a merge): recorded without moving the last-contact time.
pub async fn insert_touchpoint_quietly(db: &Db, row: TouchpointRecord) -> AppResult<()> {
    db.query("CREATE $id CONTENT $row").bind(("id", row.id.clone())).bind(("row", row)).await?.check()?;
    Ok(())
}

/// Sets the lifecycle stage (a deal's start or win moves it), bumping the version so an
/// edit opened before sees the change.
pub async fn set_stage(db: &Db, id: &RecordId, stage: &str, now: DateTime<Utc>) -> AppResult<Option<Customer>> {
    let updated: Vec<CustomerRecord> = db
        .query("UPDATE $id SET stage = $stage, updated_at = $now, version = version + 1 RETURN AFTER")
        .bind(("id", id.clone()))
        .bind(("stage", stage.to_string()))
        .bind(("now", now))
        .await?
        .take(0)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// Gives the customer to `to` ("" for the pool) if it still belongs to `from`: two people
/// claiming the same pool customer at once cannot both get it. Returns the customer as
/// saved, or `None` if the owner had changed.
pub async fn set_owner(db: &Db, id: &RecordId, from: &str, to: &str, now: DateTime<Utc>) -> AppResult<Option<Customer>> {
    let updated: Vec<CustomerRecord> = db
        .query("UPDATE $id SET owner = $to, updated_at = $now WHERE owner = $from RETURN AFTER")
        .bind(("id", id.clone()))
        .bind(("from", from.to_string()))
        .bind(("to", to.to_string()))
        .bind(("now", now))
        .await?
        .take(0)?;
    Ok(updated.into_iter().next().map(CustomerRecord::into_customer))
}

/// Moves every customer of `from` to `to` ("" for the pool) in one statement; returns them.
pub async fn reassign_all(db: &Db, from: &str, to: &str, now: DateTime<Utc>) -> AppResult<Vec<Customer>> {
    let updated: Vec<CustomerRecord> = db
        .query("UPDATE customer SET owner = $to, updated_at = $now WHERE owner = $from RETURN AFTER")
        .bind(("from", from.to_string()))
        .bind(("to", to.to_string()))
        .bind(("now", now))
        .await?
        .take(0)?;
    Ok(updated.into_iter().map(CustomerRecord::into_customer).collect())
}

/// Carries `from`'s contacts, timeline, deals, do-not-disturb windows, reminders and care dates over to `into`, saves `into`'s merged fields and
/// removes `from`, in one transaction.
pub async fn merge(
    db: &Db,
    into: &RecordId,
    from: &RecordId,
    merged: CustomerPatch,
    tags: Vec<String>,
    last_contact_at: Option<DateTime<Utc>>,
) -> AppResult<Customer> {
    let mut response = db
        .query(
            "BEGIN TRANSACTION;
             UPDATE contact SET customer = $into WHERE customer = $from;
             UPDATE touchpoint SET customer = $into WHERE customer = $from;
             UPDATE deal SET customer = $into WHERE customer = $from;
             UPDATE dnd_window SET customer = $into WHERE customer = $from;
             UPDATE reminder SET customer = $into WHERE customer = $from;
             UPDATE care_date SET customer = $into WHERE customer = $from;
             UPDATE sales_order SET customer = $into WHERE customer = $from;
             UPDATE $into MERGE $merged;
             UPDATE $into SET tags = $tags, last_contact_at = $last RETURN AFTER;
             DELETE $from;
             COMMIT TRANSACTION;",
        )
        .bind(("into", into.clone()))
        .bind(("from", from.clone()))
        .bind(("merged", merged))
        .bind(("tags", tags))
        .bind(("last", last_contact_at))
        .await?;
    // Numbered by statement, BEGIN included.
    let updated: Vec<CustomerRecord> = response.take(9)?;
    updated
        .into_iter()
        .next()
        .map(CustomerRecord::into_customer)
        .ok_or_else(|| AppError::Store("the merged customer was not returned".into()))
}

/// The canonical keys a new or edited customer is compared by; empty keys are skipped.
#[derive(Clone, Debug, Default)]
pub struct DuplicateKeys {
    pub name_key: String,
    pub phone_key: String,
    pub email_key: String,
}

/// Customers that share a name, phone or email key with the given ones, directly or
/// through one of their contacts; `exclude` is the customer being edited. Each with its
/// region, so the caller can tell which of them the asker may see.
pub async fn find_duplicates(db: &Db, keys: &DuplicateKeys, exclude: Option<&RecordId>) -> AppResult<Vec<(DuplicateHit, String)>> {
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
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let mut response = db
        .query(statements.join(";\n"))
        .bind(("name_key", keys.name_key.clone()))
        .bind(("phone_key", keys.phone_key.clone()))
        .bind(("email_key", keys.email_key.clone()))
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
pub async fn directory_snapshot(db: &Db) -> AppResult<(Vec<Customer>, HashMap<String, Vec<SearchContact>>)> {
    let mut response = db
        .query(
            // Notes are not listed or searched: leave them (up to 5000 characters each) behind.
            "SELECT id, kind, name, industry, region, source, stage, owner, phone, email, tags,
                    created_at, updated_at, last_contact_at, version, '' AS notes FROM customer;
             SELECT customer, name, phone, email FROM contact;",
        )
        .await?;
    let customers: Vec<CustomerRecord> = response.take(0)?;
    let contacts: Vec<DirectoryContact> = response.take(1)?;
    let customers = customers.into_iter().map(CustomerRecord::into_customer).collect();
    let mut by_customer: HashMap<String, Vec<SearchContact>> = HashMap::new();
    for c in contacts {
        by_customer.entry(key_of(&c.customer)).or_default().push(SearchContact {
            name: c.name,
            phone: c.phone,
            email: c.email,
        });
    }
    Ok((customers, by_customer))
}

pub fn search_contacts(contacts: &[Contact]) -> Vec<SearchContact> {
    contacts
        .iter()
        .map(|c| SearchContact { name: c.name.clone(), phone: c.phone.clone(), email: c.email.clone() })
        .collect()
}
