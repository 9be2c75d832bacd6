//! Competitors (竞品) and what the competitor report's mentions are matched in: follow-ups of
//! the report's period and the deals started or closed in it.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::insight::competitors::Competitor;

use super::db::Db;
use super::error::StoreResult;
use super::events::create_with;
use super::guard::delete_with;
use super::ids::key_of;
use crate::events::Event;

pub const COMPETITOR: &str = "competitor";

#[derive(Debug, Clone, SurrealValue)]
pub struct CompetitorRecord {
    pub id: RecordId,
    pub name: String,
    pub aliases: Vec<String>,
    pub created_at: DateTime<Utc>,
}

pub async fn all(db: &Db) -> StoreResult<Vec<Competitor>> {
    let rows: Vec<CompetitorRecord> = db.query("SELECT * FROM competitor ORDER BY name").await?.take(0)?;
    Ok(rows.into_iter().map(|r| Competitor { id: key_of(&r.id), name: r.name, aliases: r.aliases }).collect())
}

pub async fn insert(db: &Db, row: CompetitorRecord, events: &[Event]) -> StoreResult<()> {
    create_with(db, row.id.clone(), row, events).await
}

/// Removes a competitor with the events; false if there was none (nothing written).
pub async fn remove(db: &Db, id: &RecordId, events: &[Event]) -> StoreResult<bool> {
    delete_with(db, id, None, events).await
}

#[derive(Debug, SurrealValue)]
pub struct NoteRow {
    pub customer: RecordId,
    pub summary: String,
    pub next_step: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
pub struct DealRow {
    pub id: RecordId,
    pub customer: RecordId,
    pub title: String,
    pub competitor: String,
    pub lost_reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Everyone's follow-ups since `since`, and the deals started or closed since then.
pub async fn mentions_since(db: &Db, since: DateTime<Utc>) -> StoreResult<(Vec<NoteRow>, Vec<DealRow>)> {
    let mut response = db
        .query(
            "SELECT customer, summary, next_step, at FROM touchpoint WHERE at >= $since;
             SELECT id, customer, title, competitor, lost_reason, status, created_at, closed_at FROM deal
                 WHERE created_at >= $since OR closed_at >= $since;",
        )
        .bind(("since", since))
        .await?;
    Ok((response.take(0)?, response.take(1)?))
}

/// One customer's follow-ups since `since`.
pub async fn notes_since(db: &Db, since: DateTime<Utc>, customer: &RecordId) -> StoreResult<Vec<NoteRow>> {
    let rows = db
        .query("SELECT customer, summary, next_step, at FROM touchpoint WHERE customer = $customer AND at >= $since")
        .bind(("since", since))
        .bind(("customer", customer.clone()))
        .await?
        .take(0)?;
    Ok(rows)
}
