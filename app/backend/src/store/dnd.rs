//! SurrealDB queries for do-not-disturb windows, and how they look in the store.

use chrono::{DateTime, NaiveTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;
use super::events::create_with;
use super::guard::delete_with;
use crate::events::Event;
use super::ids::{date_to_datetime, key_of};
use kehu_domain::reminders::types::{DndRule, DndWindow};

pub const DND: &str = "dnd_window";

#[derive(Debug, SurrealValue)]
pub struct DndRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub kind: String,
    pub from_day: Option<DateTime<Utc>>,
    pub to_day: Option<DateTime<Utc>>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    pub reason: String,
    pub actor: String,
    pub created_at: DateTime<Utc>,
}

impl DndRecord {
    pub fn new(id: RecordId, customer: RecordId, rule: &DndRule, reason: &str, actor: &str, at: DateTime<Utc>) -> Self {
        let hhmm = |t: &NaiveTime| t.format("%H:%M").to_string();
        let (kind, from_day, to_day, not_before, not_after) = match rule {
            DndRule::Dates { from, to } => ("dates", Some(date_to_datetime(*from)), Some(date_to_datetime(*to)), None, None),
            DndRule::Hours { not_before, not_after } => ("hours", None, None, Some(hhmm(not_before)), Some(hhmm(not_after))),
        };
        DndRecord {
            id,
            customer,
            kind: kind.into(),
            from_day,
            to_day,
            not_before,
            not_after,
            reason: reason.into(),
            actor: actor.into(),
            created_at: at,
        }
    }

    /// The window, or `None` for a row a hand edit left incomplete.
    pub fn into_window(self) -> Option<DndWindow> {
        let time = |t: &Option<String>| t.as_deref().and_then(|t| NaiveTime::parse_from_str(t, "%H:%M").ok());
        let rule = match self.kind.as_str() {
            "dates" => DndRule::Dates { from: self.from_day?.date_naive(), to: self.to_day?.date_naive() },
            _ => DndRule::Hours { not_before: time(&self.not_before)?, not_after: time(&self.not_after)? },
        };
        Some(DndWindow { id: key_of(&self.id), customer_id: key_of(&self.customer), rule, reason: self.reason, created_at: self.created_at })
    }
}

pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<DndWindow>> {
    let rows: Vec<DndRecord> = db
        .query("SELECT * FROM dnd_window WHERE customer = $customer ORDER BY created_at")
        .bind(("customer", customer.clone()))
        .await?
        .take(0)?;
    Ok(rows.into_iter().filter_map(DndRecord::into_window).collect())
}

pub async fn insert(db: &Db, row: DndRecord, events: &[Event]) -> StoreResult<()> {
    create_with(db, row.id.clone(), row, events).await
}

/// Removes a window of this customer; false if there was none.
pub async fn remove(db: &Db, id: &RecordId, customer: &RecordId, events: &[Event]) -> StoreResult<bool> {
    delete_with(db, id, Some(customer), events).await
}
