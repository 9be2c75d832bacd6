//! Competitors (竞品) and what the competitor report reads: follow-ups of the last months and
//! every deal's competitor fields.

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
    pub customer: RecordId,
    pub title: String,
    pub competitor: String,
    pub lost_reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// The most follow-ups one competitor report reads (the newest of the period).
pub const NOTES_AT_MOST: usize = 200_000;

/// The follow-ups since `since` (the newest `NOTES_AT_MOST`), and the deals started or closed
/// since then, for the competitor report.
pub async fn mentions_since(db: &Db, since: DateTime<Utc>) -> StoreResult<(Vec<NoteRow>, Vec<DealRow>)> {
    let mut response = db
        .query(
            "SELECT customer, summary, next_step, at FROM touchpoint WHERE at >= $since ORDER BY at DESC LIMIT $notes;
             SELECT customer, title, competitor, lost_reason, status, created_at FROM deal WHERE created_at >= $since OR closed_at >= $since;",
        )
        .bind(("notes", NOTES_AT_MOST as i64))
        .bind(("since", since))
        .await?;
    Ok((response.take(0)?, response.take(1)?))
}
