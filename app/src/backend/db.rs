//! Opening the store. One URL chooses it: `surrealkv://<dir>` (the embedded default),
//! `mem://` (tests) or `ws://host:port` (a remote SurrealDB when one machine is not enough).

use surrealdb::engine::any::{self, Any};
use surrealdb::Surreal;

use super::migrations;

pub type Db = Surreal<Any>;

#[derive(Debug)]
pub enum StoreError {
    /// The URL names no store this build can open.
    BadUrl(String),
    Db(surrealdb::Error),
    Migration(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::BadUrl(msg) => write!(f, "{msg}"),
            StoreError::Db(e) => write!(f, "{e}"),
            StoreError::Migration(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<surrealdb::Error> for StoreError {
    fn from(e: surrealdb::Error) -> Self {
        StoreError::Db(e)
    }
}

pub const NAMESPACE: &str = "kehu";
pub const DATABASE: &str = "main";

/// Checks the scheme before handing the URL to SurrealDB, so a typo gets a message that
/// says what would work.
pub fn check_url(url: &str) -> Result<(), StoreError> {
    let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or("");
    match scheme {
        "surrealkv" | "mem" | "ws" => Ok(()),
        "wss" => Err(StoreError::BadUrl(
            "wss:// is not built in; put the remote SurrealDB behind a private network and use ws://".into(),
        )),
        _ => Err(StoreError::BadUrl(format!(
            "cannot open data store '{url}': use surrealkv://<directory>, mem:// or ws://<host>:<port>"
        ))),
    }
}

/// A remote store's root credentials (embedded stores need none).
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// Opens the store at `url`, selects Kehu's namespace and database, and brings the schema
/// up to date.
pub async fn open(url: &str, credentials: Option<Credentials>) -> Result<Db, StoreError> {
    check_url(url)?;
    let db = any::connect(url).await.map_err(|e| StoreError::BadUrl(format!("cannot open data store '{url}': {e}")))?;
    if let Some(c) = credentials {
        db.signin(surrealdb::opt::auth::Root { username: c.username, password: c.password })
            .await
            .map_err(|e| StoreError::BadUrl(format!("signing in to '{url}' failed: {e}")))?;
    }
    db.use_ns(NAMESPACE).use_db(DATABASE).await?;
    migrations::migrate(&db).await?;
    Ok(db)
}
