//! The event table: how an event is stored, the statement that appends a change's events
//! inside that change's transaction, and reading them back as the audit log.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::audit::types::{AuditEntry, EventKind, FieldChange};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use crate::events::Event;

/// Appends the events bound as `$events`. Every write that is a change puts this last in its
/// transaction, so the change and its events commit together or not at all.
const VIA_API: &str = "api";

pub const APPEND: &str = "INSERT INTO event $events;";

/// Wraps `statements` in one transaction that also appends the events bound as `$events`.
/// Statement `i` of `statements` answers at index `i + 1` (BEGIN is 0).
pub fn transaction(statements: &str) -> String {
    format!("BEGIN TRANSACTION;\n{statements}\n{APPEND}\nCOMMIT TRANSACTION;")
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ChangeRow {
    field: String,
    before: String,
    after: String,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct EventRow {
    at: DateTime<Utc>,
    actor: String,
    kind: String,
    customer: String,
    subject: String,
    changes: Vec<ChangeRow>,
    /// `api` for a change made through the REST API, else none.
    via: Option<String>,
}

/// The rows to bind as `$events`.
pub fn rows(events: &[Event]) -> Vec<EventRow> {
    events
        .iter()
        .map(|e| EventRow {
            at: e.at,
            actor: e.actor.clone(),
            kind: e.kind.as_str().to_string(),
            customer: e.customer.clone(),
            subject: e.subject.clone(),
            changes: e
                .changes
                .iter()
                .map(|c| ChangeRow { field: c.field.clone(), before: c.before.clone(), after: c.after.clone() })
                .collect(),
            via: e.via_api.then(|| VIA_API.to_string()),
        })
        .collect()
}

/// Creates one record with its events, in one transaction.
pub async fn create_with<R: SurrealValue + 'static>(db: &Db, id: RecordId, row: R, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("CREATE $id CONTENT $row;"))
        .bind(("id", id))
        .bind(("row", row))
        .bind(("events", rows(events)))
        .await?
        .check()?;
    Ok(())
}

fn into_entry(r: EventRow, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> Option<AuditEntry> {
    Some(AuditEntry {
        at: r.at,
        actor_name: name_of(&r.actor),
        actor: r.actor,
        kind: EventKind::parse(&r.kind)?,
        customer: r.customer,
        subject: r.subject,
        changes: r.changes.into_iter().map(|c| FieldChange { field: c.field, before: c.before, after: c.after }).collect(),
        via_api: r.via.as_deref() == Some(VIA_API),
    })
}

/// Everything recorded about one customer, newest first.
pub async fn of_customer(db: &Db, customer: &str, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> StoreResult<Vec<AuditEntry>> {
    let records: Vec<EventRow> = db
        .query("SELECT at, actor, kind, customer, subject, changes, via FROM event WHERE customer = $customer ORDER BY at DESC LIMIT 500")
        .bind(("customer", customer.to_string()))
        .await?
        .take(0)?;
    Ok(records.into_iter().filter_map(|r| into_entry(r, name_of)).collect())
}

/// The newest entries, for the audit page (notices left out); the caller filters by what the
/// reader may see.
pub async fn recent(db: &Db, limit: usize, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> StoreResult<Vec<AuditEntry>> {
    let records: Vec<EventRow> = db
        .query("SELECT at, actor, kind, customer, subject, changes, via FROM event WHERE kind NOT IN $notices ORDER BY at DESC LIMIT $limit")
        .bind(("limit", limit as i64))
        .bind(("notices", EventKind::ALL.iter().filter(|k| k.is_notice()).map(|k| k.as_str().to_string()).collect::<Vec<_>>()))
        .await?
        .take(0)?;
    Ok(records.into_iter().filter_map(|r| into_entry(r, name_of)).collect())
}
