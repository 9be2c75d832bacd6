//! Opening the store: connect, sign in to a remote one, select Kehu's namespace and
//! database, and bring the schema up to date.

use surrealdb::engine::any;

use super::db::{check_url, Credentials, Db, StartError, DATABASE, NAMESPACE};
use super::migrations;

pub async fn open(url: &str, credentials: Option<Credentials>) -> Result<Db, StartError> {
    let db = connect(url, credentials).await?;
    migrations::migrate(&db).await?;
    Ok(db)
}

/// Connects and selects Kehu's namespace and database, without touching the schema.
pub async fn connect(url: &str, credentials: Option<Credentials>) -> Result<Db, StartError> {
    check_url(url)?;
    let db = any::connect(url).await.map_err(|e| StartError::BadUrl(format!("cannot open data store '{url}': {e}")))?;
    if let Some(c) = credentials {
        db.signin(surrealdb::opt::auth::Root { username: c.username, password: c.password })
            .await
            .map_err(|e| StartError::BadUrl(format!("signing in to '{url}' failed: {e}")))?;
    }
    db.use_ns(NAMESPACE).use_db(DATABASE).await?;
    // Embedded stores have no scheme of a remote server (see `check_url`).
    let remote = url.starts_with("ws://");
    Ok(Db::new(db, remote))
}
