//! Writing and reading the audit log.

use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

use super::db::Db;
use crate::audit::types::{AuditAction, AuditEntry, FieldChange};
use crate::error::AppResult;

#[derive(Debug, Clone, SurrealValue)]
struct ChangeRecord {
    field: String,
    before: String,
    after: String,
}

#[derive(Debug, SurrealValue)]
struct AuditRecord {
    at: DateTime<Utc>,
    actor: String,
    action: String,
    customer: String,
    subject: String,
    changes: Vec<ChangeRecord>,
}

/// One audit line. `customer` is the customer concerned ("" for users and teams).
#[derive(Debug, Clone)]
pub struct Audit<'a> {
    pub actor: &'a str,
    pub action: AuditAction,
    pub customer: &'a str,
    pub subject: &'a str,
    pub changes: Vec<FieldChange>,
}

pub async fn record(db: &Db, entry: Audit<'_>, at: DateTime<Utc>) -> AppResult<()> {
    let row = AuditRecord {
        at,
        actor: entry.actor.to_string(),
        action: entry.action.as_str().to_string(),
        customer: entry.customer.to_string(),
        subject: entry.subject.to_string(),
        changes: entry
            .changes
            .into_iter()
            .map(|c| ChangeRecord { field: c.field, before: c.before, after: c.after })
            .collect(),
    };
    db.query("CREATE audit CONTENT $row").bind(("row", row)).await?.check()?;
    Ok(())
}

fn into_entry(r: AuditRecord, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> Option<AuditEntry> {
    Some(AuditEntry {
        at: r.at,
        actor_name: name_of(&r.actor),
        actor: r.actor,
        action: AuditAction::parse(&r.action)?,
        customer: r.customer,
        subject: r.subject,
        changes: r.changes.into_iter().map(|c| FieldChange { field: c.field, before: c.before, after: c.after }).collect(),
    })
}

/// Everything recorded about one customer, newest first.
pub async fn of_customer(db: &Db, customer: &str, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> AppResult<Vec<AuditEntry>> {
    let records: Vec<AuditRecord> = db
        .query("SELECT * FROM audit WHERE customer = $customer ORDER BY at DESC LIMIT 500")
        .bind(("customer", customer.to_string()))
        .await?
        .take(0)?;
    Ok(records.into_iter().filter_map(|r| into_entry(r, name_of)).collect())
}

/// The newest entries, for the audit page; the caller filters by what the reader may see.
pub async fn recent(db: &Db, limit: usize, name_of: &(dyn Fn(&str) -> String + Send + Sync)) -> AppResult<Vec<AuditEntry>> {
    let records: Vec<AuditRecord> = db
        .query("SELECT * FROM audit ORDER BY at DESC LIMIT $limit")
        .bind(("limit", limit as i64))
        .await?
        .take(0)?;
    Ok(records.into_iter().filter_map(|r| into_entry(r, name_of)).collect())
}
