//! What every request handler can reach: the store, the directory, users and sessions, the
//! policies, and the clock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};

use super::accounts::{SessionPolicy, Sessions, Throttle, Users};
use super::db::{self, Credentials, Db, StoreError};
use super::deal_book::DealBook;
use super::deal_store;
use super::directory::Directory;
use super::import_jobs::ImportJobs;
use super::insight_batch::InsightBook;
use super::live::LiveHub;
use super::order_book::OrderBook;
use super::{account_store, customer_store, order_store, product_store};
use crate::customers::pool::RecycleRules;

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

    /// A clock a test moves by hand.
    pub fn manual(start: DateTime<Utc>) -> (Self, Arc<Mutex<DateTime<Utc>>>) {
        let now = Arc::new(Mutex::new(start));
        let read = now.clone();
        (Clock(Arc::new(move || *read.lock().unwrap_or_else(|p| p.into_inner()))), now)
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The installation's rules, from Leptos.toml.
#[derive(Clone, Debug)]
pub struct Policy {
    pub session: SessionPolicy,
    pub recycle: RecycleRules,
    /// Whether the session cookie is marked Secure (set when served over HTTPS).
    pub secure_cookies: bool,
    pub default_max_customers: u32,
    /// The funnel's stages, their rules and the conversion alert thresholds.
    pub pipeline: crate::pipeline::types::Pipeline,
    /// The installation's local time: reminders fall due at a local time of day.
    pub offset: crate::format::DisplayOffset,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session: SessionPolicy::default(),
            recycle: RecycleRules::default(),
            secure_cookies: false,
            default_max_customers: crate::accounts::types::DEFAULT_MAX_CUSTOMERS,
            pipeline: crate::pipeline::types::Pipeline::default(),
            offset: crate::format::DisplayOffset::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub directory: Arc<Directory>,
    /// Open deals and the closed deals' record, for the board.
    pub deals: Arc<DealBook>,
    pub users: Arc<Users>,
    pub sessions: Arc<Sessions>,
    /// Failed sign-ins per account, and per client address.
    pub account_throttle: Arc<Throttle>,
    pub address_throttle: Arc<Throttle>,
    /// The one-time token that opens the "create admin" page while no admin exists.
    pub setup_token: Arc<Mutex<Option<String>>>,
    pub policy: Policy,
    pub clock: Clock,
    /// Tells open pages (the header badge) that a user's reminders changed.
    pub live: Arc<LiveHub>,
    /// Every order and the product catalogue, for the insight batch and the reports.
    pub orders: Arc<OrderBook>,
    /// The insight batch's latest scores.
    pub insight: Arc<InsightBook>,
    /// Order imports started from the page, and their status.
    pub imports: Arc<ImportJobs>,
    /// Held by a full reminder-engine run, so runs take turns.
    pub reminder_runs: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    /// Opens the store at `url` (migrating it) and loads the directory and users from it.
    pub async fn open(url: &str, credentials: Option<Credentials>, clock: Clock) -> Result<Self, StoreError> {
        Self::open_with(url, credentials, clock, Policy::default()).await
    }

    pub async fn open_with(url: &str, credentials: Option<Credentials>, clock: Clock, policy: Policy) -> Result<Self, StoreError> {
        let db = db::open(url, credentials).await?;
        let state = AppState {
            db,
            directory: Arc::new(Directory::default()),
            deals: Arc::new(DealBook::default()),
            users: Arc::new(Users::default()),
            sessions: Arc::new(Sessions::default()),
            account_throttle: Arc::new(Throttle::new(5, Duration::from_secs(15 * 60))),
            address_throttle: Arc::new(Throttle::new(30, Duration::from_secs(15 * 60))),
            setup_token: Arc::new(Mutex::new(None)),
            policy,
            clock,
            live: Arc::new(LiveHub::default()),
            orders: Arc::new(OrderBook::default()),
            insight: Arc::new(InsightBook::default()),
            imports: Arc::new(ImportJobs::default()),
            reminder_runs: Arc::new(tokio::sync::Mutex::new(())),
        };
        state.reload_users().await?;
        state.reload_directory().await?;
        state.reload_deals().await?;
        state.reload_orders().await?;
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

    /// Rebuilds the deal book from the store (start-up, and after bulk loads).
    pub async fn reload_deals(&self) -> Result<(), StoreError> {
        let wrap = |e: crate::error::AppError| StoreError::Migration(format!("reading deals: {e}"));
        let open = deal_store::open_deals(&self.db).await.map_err(wrap)?;
        let closed = deal_store::closed_outcomes(&self.db).await.map_err(wrap)?;
        let open = open.into_iter().map(|r| r.into_deal()).collect();
        self.deals.load(open, &closed, self.policy.pipeline.stages.len());
        Ok(())
    }

    /// Rebuilds the order book from the store (start-up, and after bulk loads).
    pub async fn reload_orders(&self) -> Result<(), StoreError> {
        let wrap = |e: crate::error::AppError| StoreError::Migration(format!("reading orders: {e}"));
        let products = product_store::all(&self.db).await.map_err(wrap)?;
        let orders = order_store::all(&self.db).await.map_err(wrap)?;
        self.orders.load(products, orders);
        Ok(())
    }

    pub async fn reload_users(&self) -> Result<(), StoreError> {
        let users = account_store::all_users(&self.db)
            .await
            .map_err(|e| StoreError::Migration(format!("reading users: {e}")))?;
        self.users.replace_all(users);
        Ok(())
    }
}
