//! What every request handler can reach: the store, the directory and the clock.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::customer_store;
use super::db::{self, Credentials, Db, StoreError};
use super::directory::Directory;

/// The time, injectable so tests can travel in it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Clock(Arc::new(Utc::now))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub directory: Arc<Directory>,
    pub clock: Clock,
}

impl AppState {
    /// Opens the store at `url` (migrating it) and builds the directory from it.
    pub async fn open(url: &str, credentials: Option<Credentials>, clock: Clock) -> Result<Self, StoreError> {
        let db = db::open(url, credentials).await?;
        let state = AppState { db, directory: Arc::new(Directory::default()), clock };
        state.reload_directory().await?;
        Ok(state)
    }

    /// Rebuilds the directory from the store (start-up, and after bulk loads).
    pub async fn reload_directory(&self) -> Result<(), StoreError> {
        let (customers, contacts) = customer_store::directory_snapshot(&self.db)
            .await
            .map_err(|e| StoreError::Migration(format!("reading customers for the directory: {e}")))?;
        let fresh = Directory::build(customers, contacts);
        // Swap contents in place so every clone of the state sees the new directory.
        self.directory.replace_with(fresh);
        Ok(())
    }
}
