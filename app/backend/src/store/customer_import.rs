//! What a customer import reads and writes: the duplicate keys of every customer, the batches
//! (new customers with their contacts, updates under a version check, their events — one
//! transaction each), the record of each import kept for undo, and saved column mappings.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::customers::import::{ImportField, PlanCounts};

use super::transact::Transact;
use super::customer_rows::{CustomerPatch, CustomerRecord, NewContact, NewCustomer};
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::key_of;
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

/// Customers' full rows as they are now: those a batch will update (for the merge and for
/// putting them back on undo), those an export takes.
pub async fn current(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<CustomerRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db.query("SELECT * FROM $ids").bind(("ids", ids)).await?.take(0)?)
}

/// One update of a batch: applied only if the customer is still at `expected` (the patch's
/// version is `expected + 1`); `add_tags` are added to its tags.
#[derive(Debug, Clone, SurrealValue)]
pub struct Update {
    pub id: RecordId,
    pub patch: CustomerPatch,
    pub add_tags: Vec<String>,
    pub expected: i64,
}

/// An updated customer as it was before an import, what the import added, and the version
/// the import left it at: undo puts it back only if it is still at that version.
#[derive(Debug, Clone, SurrealValue)]
pub struct Before {
    pub id: RecordId,
    pub patch: CustomerPatch,
    pub added_tags: Vec<String>,
    pub added_contacts: Vec<RecordId>,
    pub version_after: i64,
}

/// A batch of an import.
#[derive(Debug, Default)]
pub struct Batch {
    pub creates: Vec<NewCustomer>,
    pub contacts: Vec<NewContact>,
    pub updates: Vec<Update>,
    pub befores: Vec<Before>,
    pub events: Vec<Event>,
}

/// Writes a batch in one transaction: new customers and their contacts, updates (the whole
/// batch fails if someone changed one of them meanwhile — nothing of it is written), events,
/// and what undo needs, as a record of the batch (the import's own record stays small, so a
/// batch costs the same at the end of a big file as at its start). `Ok(false)` for a changed
/// customer. Every part is one statement over the whole batch (see [`GuardedUpdates`]).
pub async fn write_batch(db: &Db, import: &RecordId, batch: Batch) -> StoreResult<bool> {
    let created: Vec<RecordId> = batch.creates.iter().map(|c| c.id.clone()).collect();
    let updates = GuardedUpdates::of(batch.updates.iter().map(|u| (&u.id, u.patch.clone(), u.expected, &u.add_tags)), "array::union");
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             INSERT INTO customer $creates RETURN NONE;
             INSERT INTO contact $contacts RETURN NONE;
             {}
             CREATE customer_import_batch CONTENT {{ import: $import, created: $created, updated: $befores }};
             {APPEND}
             COMMIT TRANSACTION;",
            updates.statements
        ))
        .bind(updates.bindings)
        .bind(("creates", batch.creates))
        .bind(("contacts", batch.contacts))
        .bind(("import", import.clone()))
        .bind(("created", created))
        .bind(("befores", batch.befores))
        .bind(("events", event_rows(&batch.events)))
        .await;
    Ok(as_expected(response)?.is_some())
}

/// Customers updated in one transaction only if each is still at its expected version (else
/// `NOT_AS_EXPECTED` is thrown and nothing is written): their patches in one statement,
/// `MERGE $patches[record::id(id)]`, and tags added or taken with one `UPDATE` per distinct
/// tag list (a file mostly gives every row the same tags). Shared by an import's batches and
/// their undo, instead of a loop of statements per customer. (Measured in a debug build, an
/// update still costs about as much as in the loop: the time goes into what SurrealDB does
/// per updated record, which is still to be found.)
struct GuardedUpdates {
    statements: String,
    bindings: Vec<surrealdb::types::Value>,
}

impl GuardedUpdates {
    /// Each customer as (id, patch, expected version, tags); `tags_function` is `array::union`
    /// (add) or `array::complement` (take away).
    fn of<'a>(updates: impl Iterator<Item = (&'a RecordId, CustomerPatch, i64, &'a Vec<String>)>, tags_function: &str) -> GuardedUpdates {
        let (mut ids, mut expected, mut patches) = (Vec::new(), Vec::new(), surrealdb::types::Object::new());
        let mut tag_groups: Vec<(&Vec<String>, Vec<RecordId>)> = Vec::new();
        for (id, patch, version, tags) in updates {
            ids.push(id.clone());
            expected.push(version);
            patches.insert(key_of(id), patch);
            if tags.is_empty() {
                continue;
            }
            match tag_groups.iter_mut().find(|(t, _)| *t == tags) {
                Some((_, group)) => group.push(id.clone()),
                None => tag_groups.push((tags, vec![id.clone()])),
            }
        }
        let mut statements = format!(
            "LET $found = (SELECT VALUE version FROM $ids);
             IF $found != $expected {{ THROW '{NOT_AS_EXPECTED}' }};
             UPDATE $ids MERGE $patches[record::id(id)] RETURN NONE;\n"
        );
        let mut bindings = vec![
            "ids".into_value(),
            ids.into_value(),
            "expected".into_value(),
            expected.into_value(),
            "patches".into_value(),
            surrealdb::types::Value::Object(patches),
        ];
        for (i, (tags, group)) in tag_groups.into_iter().enumerate() {
            statements.push_str(&format!("UPDATE $tag_ids_{i} SET tags = {tags_function}(tags, $tags_{i}) RETURN NONE;\n"));
            bindings.extend([format!("tag_ids_{i}").into_value(), group.into_value(), format!("tags_{i}").into_value(), tags.clone().into_value()]);
        }
        GuardedUpdates { statements, bindings }
    }
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

/// An import with everything its batches created and updated.
pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<ImportRecord>> {
    #[derive(SurrealValue)]
    struct BatchRow {
        created: Vec<RecordId>,
        updated: Vec<Before>,
    }
    let mut response = db
        .query("SELECT * FROM ONLY $id; SELECT created, updated FROM customer_import_batch WHERE import = $id;")
        .bind(("id", id.clone()))
        .await?;
    let record: Option<ImportRecord> = response.take(0)?;
    let batches: Vec<BatchRow> = response.take(1)?;
    Ok(record.map(|mut r| {
        for b in batches {
            r.created.extend(b.created);
            r.updated.extend(b.updated);
        }
        r
    }))
}

/// The newest imports (of one user, or everyone's), without their lists of records.
pub async fn recent(db: &Db, by: Option<&str>, limit: usize) -> StoreResult<Vec<ImportRecord>> {
    let query = match by {
        Some(_) => "SELECT *, [] AS created, [] AS updated FROM customer_import WHERE by = $by ORDER BY at DESC LIMIT $limit",
        None => "SELECT *, [] AS created, [] AS updated FROM customer_import ORDER BY at DESC LIMIT $limit",
    };
    Ok(db.query(query).bind(("by", by.unwrap_or_default().to_string())).bind(("limit", limit as i64)).await?.take(0)?)
}

/// What an import's counts were in the end (rows that would have changed nothing are
/// counted as duplicates once the import saw them).
pub async fn finish(db: &Db, id: &RecordId, counts: PlanCounts) -> StoreResult<()> {
    let n = |v: u64| v.min(i64::MAX as u64) as i64;
    db.query(
        "UPDATE $id SET create = $c, update = $u, skip_duplicate = $sd, skip_not_found = $snf, duplicate_in_file = $dif, refuse = $r",
    )
    .bind(("id", id.clone()))
    .bind(("c", n(counts.create)))
    .bind(("u", n(counts.update)))
    .bind(("sd", n(counts.skip_duplicate)))
    .bind(("snf", n(counts.skip_not_found)))
    .bind(("dif", n(counts.duplicate_in_file)))
    .bind(("r", n(counts.refuse)))
    .await?
    .check()?;
    Ok(())
}

/// Removes the customers an import created that nothing happened to since — still at
/// version 1, untouched since they were created, no follow-up logged, no deal and no order —
/// with their contacts, and the events of those removed (`events` are keyed by customer),
/// in one transaction. Returns those removed.
pub async fn remove_created(db: &Db, ids: Vec<RecordId>, events: &[Event]) -> StoreResult<Vec<RecordId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut response = db
        .transact(
            "BEGIN TRANSACTION;
             LET $gone = (DELETE $ids WHERE version = 1 AND updated_at = created_at AND last_contact_at = NONE
                 AND array::len((SELECT VALUE id FROM deal WHERE customer = $parent.id LIMIT 1)) = 0
                 AND array::len((SELECT VALUE id FROM sales_order WHERE customer = $parent.id LIMIT 1)) = 0
                 RETURN BEFORE);
             LET $gone_ids = $gone.map(|$c| $c.id);
             LET $keys = $gone_ids.map(|$c| <string> record::id($c));
             DELETE contact WHERE customer IN $gone_ids;
             INSERT INTO event (SELECT * FROM $events WHERE customer IN $keys);
             RETURN $gone_ids;
             COMMIT TRANSACTION;",
        )
        .bind(("ids", ids))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    // The answer of `RETURN $gone_ids`, the statement before COMMIT (BEGIN and COMMIT have
    // answers of their own).
    let gone: Vec<RecordId> = response.take(response.num_statements().saturating_sub(2))?;
    Ok(gone)
}

/// The stored versions of customers, by id (a customer gone is left out).
pub async fn versions(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<(RecordId, i64)>> {
    #[derive(SurrealValue)]
    struct Version {
        id: RecordId,
        version: i64,
    }
    let rows: Vec<Version> = db.query("SELECT id, version FROM $ids").bind(("ids", ids)).await?.take(0)?;
    Ok(rows.into_iter().map(|r| (r.id, r.version)).collect())
}

/// Puts updated customers back as they were, in one transaction, if none was changed since
/// the import (`Ok(false)` otherwise, and nothing is written): their fields, minus the tags
/// and contacts the import added; with their events.
pub async fn restore(db: &Db, befores: &[&Before], events: &[Event]) -> StoreResult<bool> {
    if befores.is_empty() {
        return Ok(true);
    }
    let puts_back = befores.iter().map(|b| {
        let mut patch = b.patch.clone();
        patch.version = b.version_after + 1;
        (&b.id, patch, b.version_after, &b.added_tags)
    });
    let updates = GuardedUpdates::of(puts_back, "array::complement");
    let contacts: Vec<RecordId> = befores.iter().flat_map(|b| b.added_contacts.iter().cloned()).collect();
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             {}
             DELETE $contacts;
             {APPEND}
             COMMIT TRANSACTION;",
            updates.statements
        ))
        .bind(updates.bindings)
        .bind(("contacts", contacts))
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
    #[derive(SurrealValue)]
    struct Saved {
        mapping: Vec<String>,
    }
    let found: Option<Saved> =
        db.query("SELECT mapping FROM ONLY $id").bind(("id", RecordId::new("import_mapping", signature.to_string()))).await?.take(0)?;
    Ok(found.map(|m| m.mapping.iter().map(|f| ImportField::parse(f)).collect()))
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
