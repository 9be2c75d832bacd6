//! What a customer import reads and writes: the duplicate keys of every customer, the batches
//! (new customers with their contacts, updates under a version check, their events — one
//! transaction each), the record of each import kept for undo, and saved column mappings.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::customers::import::{ImportField, PlanCounts};

use super::customer_rows::{CustomerPatch, CustomerRecord, NewContact, NewCustomer};
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use crate::events::Event;

/// A customer as duplicate detection sees it.
#[derive(Debug, Clone, SurrealValue)]
pub struct KeyRow {
    pub id: RecordId,
    pub owner: String,
    pub region: String,
    pub name_key: String,
    pub phone_key: String,
    pub email_key: String,
    pub credit_code_key: String,
}

/// A contact's keys, for matching a row to the customer the contact belongs to.
#[derive(Debug, Clone, SurrealValue)]
pub struct ContactKeyRow {
    pub customer: RecordId,
    pub phone_key: String,
    pub email_key: String,
}

/// Every customer's and contact's keys, in one round trip.
pub async fn keys(db: &Db) -> StoreResult<(Vec<KeyRow>, Vec<ContactKeyRow>)> {
    let mut r = db
        .query(
            "SELECT id, owner, region, name_key, phone_key, email_key, credit_code_key FROM customer;
             SELECT customer, phone_key, email_key FROM contact;",
        )
        .await?;
    Ok((r.take(0)?, r.take(1)?))
}

/// The customers a batch will update, as they are now (their full rows, for the merge and
/// for putting them back on undo).
pub async fn current(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<CustomerRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db.query("SELECT * FROM $ids").bind(("ids", ids)).await?.take(0)?)
}

/// One update of a batch: applied only if the customer is still at `expected`.
#[derive(Debug, Clone, SurrealValue)]
pub struct Update {
    pub id: RecordId,
    pub patch: CustomerPatch,
    pub tags: Vec<String>,
    pub expected: i64,
}

/// Writes a batch in one transaction: new customers and their contacts, updates (the whole
/// batch fails if someone changed one of them meanwhile — nothing of it is written), events.
/// `Ok(false)` for that case.
pub async fn write_batch(db: &Db, creates: Vec<NewCustomer>, contacts: Vec<NewContact>, updates: Vec<Update>, events: &[Event]) -> StoreResult<bool> {
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             INSERT INTO customer $creates RETURN NONE;
             INSERT INTO contact $contacts RETURN NONE;
             FOR $u IN $updates {{
                 LET $done = (UPDATE $u.id MERGE $u.patch WHERE version = $u.expected RETURN AFTER);
                 IF array::len($done) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
                 UPDATE $u.id SET tags = $u.tags;
             }};
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("creates", creates))
        .bind(("contacts", contacts))
        .bind(("updates", updates))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}

/// An updated customer as it was before an import, and the version the import left it at.
#[derive(Debug, Clone, SurrealValue)]
pub struct Before {
    pub id: RecordId,
    pub patch: CustomerPatch,
    pub tags: Vec<String>,
    pub version_after: i64,
}

/// An import, kept for the list of imports and for undo.
#[derive(Debug, Clone, SurrealValue)]
pub struct ImportRecord {
    pub id: RecordId,
    pub by: String,
    pub at: DateTime<Utc>,
    pub file: String,
    pub create: i64,
    pub update: i64,
    pub skip_duplicate: i64,
    pub skip_not_found: i64,
    pub duplicate_in_file: i64,
    pub refuse: i64,
    pub created: Vec<RecordId>,
    pub updated: Vec<Before>,
    pub undone_at: Option<DateTime<Utc>>,
}

impl ImportRecord {
    pub fn counts(&self) -> PlanCounts {
        let n = |v: i64| v.max(0) as u64;
        PlanCounts {
            create: n(self.create),
            update: n(self.update),
            skip_duplicate: n(self.skip_duplicate),
            skip_not_found: n(self.skip_not_found),
            duplicate_in_file: n(self.duplicate_in_file),
            refuse: n(self.refuse),
        }
    }
}

pub async fn save(db: &Db, record: ImportRecord) -> StoreResult<()> {
    db.query("CREATE $id CONTENT $row").bind(("id", record.id.clone())).bind(("row", record)).await?.check()?;
    Ok(())
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<ImportRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// The newest imports (of one user, or everyone's), without their lists of records.
pub async fn recent(db: &Db, by: Option<&str>, limit: usize) -> StoreResult<Vec<ImportRecord>> {
    let query = match by {
        Some(_) => "SELECT *, [] AS created, [] AS updated FROM customer_import WHERE by = $by ORDER BY at DESC LIMIT $limit",
        None => "SELECT *, [] AS created, [] AS updated FROM customer_import ORDER BY at DESC LIMIT $limit",
    };
    Ok(db.query(query).bind(("by", by.unwrap_or_default().to_string())).bind(("limit", limit as i64)).await?.take(0)?)
}

/// Removes the customers an import created that nobody changed since (still at version 1,
/// not touched after `at`), with their contacts and the events; returns those removed.
pub async fn remove_created(db: &Db, ids: Vec<RecordId>, at: DateTime<Utc>, events: &[Event]) -> StoreResult<Vec<RecordId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let gone: Vec<RecordId> = db
        .query(format!(
            "BEGIN TRANSACTION;
             LET $gone = (DELETE $ids WHERE version = 1 AND updated_at <= $at RETURN BEFORE);
             FOR $c IN $gone {{ DELETE contact WHERE customer = $c.id; }};
             SELECT VALUE id FROM $gone;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("ids", ids))
        .bind(("at", at))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(3)?;
    Ok(gone)
}

/// Puts one updated customer back as it was, if nobody changed it since; with its event.
pub async fn restore(db: &Db, before: &Before, events: &[Event]) -> StoreResult<bool> {
    let mut patch = before.patch.clone();
    patch.version = before.version_after + 1;
    let response = db
        .query(format!(
            "BEGIN TRANSACTION;
             LET $done = (UPDATE $id MERGE $patch WHERE version = $after RETURN AFTER);
             IF array::len($done) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             UPDATE $id SET tags = $tags;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("id", before.id.clone()))
        .bind(("patch", patch))
        .bind(("after", before.version_after))
        .bind(("tags", before.tags.clone()))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}

pub async fn mark_undone(db: &Db, id: &RecordId, at: DateTime<Utc>) -> StoreResult<()> {
    db.query("UPDATE $id SET undone_at = $at").bind(("id", id.clone())).bind(("at", at)).await?.check()?;
    Ok(())
}

/// The mapping last used for a header row with this signature (fields by name, "" for a
/// column left out).
pub async fn mapping_for(db: &Db, signature: &str) -> StoreResult<Option<Vec<Option<ImportField>>>> {
    let found: Option<Vec<String>> =
        db.query("SELECT VALUE mapping FROM ONLY $id").bind(("id", RecordId::new("import_mapping", signature.to_string()))).await?.take(0)?;
    Ok(found.map(|m| m.iter().map(|f| ImportField::parse(f)).collect()))
}

pub async fn remember_mapping(db: &Db, signature: &str, mapping: &[Option<ImportField>]) -> StoreResult<()> {
    let names: Vec<String> = mapping.iter().map(|f| f.map(|f| f.as_str().to_string()).unwrap_or_default()).collect();
    db.query("UPSERT $id CONTENT { mapping: $mapping }")
        .bind(("id", RecordId::new("import_mapping", signature.to_string())))
        .bind(("mapping", names))
        .await?
        .check()?;
    Ok(())
}
