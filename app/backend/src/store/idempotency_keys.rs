//! Idempotency keys as stored (see `platform::idempotency` for what they mean).

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;

pub const API_IDEMPOTENCY: &str = "api_idempotency";

#[derive(Debug, Clone, SurrealValue)]
pub struct KeyRow {
    pub fingerprint: String,
    /// 0 while the first request runs.
    pub status: i64,
    pub body: String,
    pub location: Option<String>,
    pub at: DateTime<Utc>,
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<KeyRow>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Creates the key's claim; `false` if another request created it first.
pub async fn create(db: &Db, id: &RecordId, row: KeyRow) -> StoreResult<bool> {
    let created: Result<Option<RecordId>, _> =
        db.query("CREATE ONLY $id CONTENT $row RETURN VALUE id").bind(("id", id.clone())).bind(("row", row)).await?.take(0);
    Ok(matches!(created, Ok(Some(_))))
}

/// Takes over a stale claim made at `at`; `false` if another request took it first.
pub async fn take_over(db: &Db, id: &RecordId, at: DateTime<Utc>, row: KeyRow) -> StoreResult<bool> {
    let taken: Option<RecordId> = db
        .query("UPDATE ONLY $id CONTENT $row WHERE at = $at RETURN VALUE id")
        .bind(("id", id.clone()))
        .bind(("row", row))
        .bind(("at", at))
        .await?
        .take(0)?;
    Ok(taken.is_some())
}

pub async fn answer(db: &Db, id: &RecordId, status: i64, body: String, location: Option<String>) -> StoreResult<()> {
    db.query("UPDATE $id SET status = $status, body = $body, location = $location")
        .bind(("id", id.clone()))
        .bind(("status", status))
        .bind(("body", body))
        .bind(("location", location))
        .await?
        .check()?;
    Ok(())
}

pub async fn remove(db: &Db, id: &RecordId) -> StoreResult<()> {
    db.query("DELETE $id").bind(("id", id.clone())).await?.check()?;
    Ok(())
}

pub async fn remove_before(db: &Db, cutoff: DateTime<Utc>) -> StoreResult<()> {
    db.query("DELETE api_idempotency WHERE at < $cutoff").bind(("cutoff", cutoff)).await?.check()?;
    Ok(())
}
