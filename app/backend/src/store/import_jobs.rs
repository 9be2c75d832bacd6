//! Import jobs as stored (see `insight::import_jobs` for what they are): the latest status,
//! whose job it is, and when it was last saved, on the store's clock.

use std::time::Duration;

use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;

/// A stored job as a status poll reads it.
#[derive(Debug, Clone, SurrealValue)]
pub struct JobRow {
    pub owner: String,
    /// The `ImportStatus` as JSON.
    pub status: String,
    pub finished: bool,
    /// Not saved for longer than the staleness asked about: its server stopped.
    pub stale: bool,
}

fn key(id: &str) -> RecordId {
    RecordId::new("import_job", id)
}

/// Saves the job's latest status (now, on the store's clock).
pub async fn save(db: &Db, id: &str, owner: &str, status: String, finished: bool) -> StoreResult<()> {
    db.query("UPSERT $id SET owner = $owner, status = $status, finished = $finished, saved_at = time::now() RETURN NONE")
        .bind(("id", key(id)))
        .bind(("owner", owner.to_string()))
        .bind(("status", status))
        .bind(("finished", finished))
        .await?
        .check()?;
    Ok(())
}

/// The job `id`, with whether it went unsaved for longer than `stale_after`.
pub async fn get(db: &Db, id: &str, stale_after: Duration) -> StoreResult<Option<JobRow>> {
    let stale_after = format!("{}ms", stale_after.as_millis().max(1));
    Ok(db
        .query(format!("SELECT owner, status, finished, saved_at < time::now() - {stale_after} AS stale FROM ONLY $id"))
        .bind(("id", key(id)))
        .await?
        .take(0)?)
}

/// Forgets jobs last saved more than `age` ago (finished or long stopped).
pub async fn prune(db: &Db, age: Duration) -> StoreResult<()> {
    let age = format!("{}ms", age.as_millis().max(1));
    db.query(format!("DELETE import_job WHERE saved_at < time::now() - {age}")).await?.check()?;
    Ok(())
}
