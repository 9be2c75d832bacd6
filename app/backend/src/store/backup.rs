//! Backup and restore: the whole store as SurrealQL (SurrealDB's own export, one consistent
//! read), and that file brought into an empty store. Schema and the migration ledger travel
//! with the data, so a restored store opens like the original.

use std::path::Path;

use super::db::Db;

/// Writes the store's content to `path`.
pub async fn backup(db: &Db, path: &Path) -> Result<(), String> {
    db.export(path).await.map_err(|e| format!("exporting the store to {} failed: {e}", path.display()))
}

/// The store's content as SurrealQL text, for a backup asked of a running server.
pub async fn backup_text(db: &Db) -> Result<Vec<u8>, String> {
    use futures::StreamExt;
    let mut stream = db.export(()).await.map_err(|e| format!("exporting the store failed: {e}"))?;
    let mut out = Vec::new();
    while let Some(chunk) = stream.next().await {
        out.extend(chunk.map_err(|e| format!("exporting the store failed: {e}"))?);
    }
    Ok(out)
}

/// Connects to a store without bringing its schema up to date: a restore brings its own.
pub use super::open::connect;

/// Brings a backup into `db`, which must be empty (a store Kehu never opened): restoring
/// over data would mix two companies' customers.
pub async fn restore(db: &Db, path: &Path) -> Result<(), String> {
    let applied: Result<Vec<i64>, _> = match db.query("SELECT VALUE version FROM kehu_migration").await {
        Ok(mut r) => r.take(0),
        Err(e) => Err(e),
    };
    if applied.is_ok_and(|v| !v.is_empty()) {
        return Err("this store already holds Kehu data: restore into an empty one (a new --data directory)".into());
    }
    db.import(path).await.map_err(|e| format!("restoring {} failed: {e}", path.display()))
}
