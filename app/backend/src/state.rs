//! What every request handler and background job can reach: the store, the read models,
//! users and sessions, the live hub, the policies and the clock. Opening it loads every read
//! model from the store; a server instead starts with the accounts only and loads the rest
//! in the background (`starting`, `warm_up`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::accounts::gate::PasswordGate;
use crate::accounts::registry::Users;
use crate::accounts::sessions::Sessions;
use crate::accounts::throttle::Throttle;
use crate::clock::Clock;
use crate::insight::import_jobs::ImportJobs;
use crate::live::LiveHub;
use crate::policy::Policy;
use crate::readmodel::deal_book::DealBook;
use crate::readmodel::directory::Directory;
use crate::readmodel::insight_book::InsightBook;
use crate::readmodel::order_book::OrderBook;
use crate::store::db::{Credentials, Db, Remote, StartError};
use crate::store::error::StoreError;
use crate::store::open::open;
use crate::store::{accounts as account_store, customers as customer_store, deals as deal_store};
use crate::store::{orders as order_store, products as product_store};

/// The window failed sign-ins are counted in, and the longest anyone is made to wait.
const FIFTEEN_MINUTES: Duration = Duration::from_secs(15 * 60);

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub directory: Arc<Directory>,
    /// Open deals and the closed deals' record, for the board.
    pub deals: Arc<DealBook>,
    pub users: Arc<Users>,
    pub sessions: Arc<Sessions>,
    /// Failed sign-ins per (account, client), and per client across accounts.
    pub pair_throttle: Arc<Throttle>,
    pub client_throttle: Arc<Throttle>,
    /// Every password hash and check takes its turn here (bounded memory under a flood).
    pub password_gate: Arc<PasswordGate>,
    /// The one-time token that opens the "create admin" page while no admin exists.
    pub setup_token: Arc<Mutex<Option<String>>>,
    /// Held while the first admin is created, so two can never be.
    pub setup_running: Arc<tokio::sync::Mutex<()>>,
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
    /// Every service ticket, and who holds which customer's (a service agent's sight).
    pub tickets: Arc<crate::readmodel::ticket_book::TicketBook>,
    /// What each person achieved (deals, payments, follow-ups, orders), for targets.
    pub performance: Arc<crate::readmodel::performance_book::PerformanceBook>,
    /// Competitors named in notes and deals, for the competitor report (built on first need).
    pub mentions: Arc<crate::readmodel::mention_book::MentionBook>,
    /// Each API token's rate window and last written use.
    pub api: Arc<crate::platform::gate::ApiGate>,
    /// The webhook sender's wake-up call, turn and HTTP client.
    pub webhooks: Arc<crate::platform::webhooks::sender::WebhookSender>,
    /// Whether this process does the background work (always, unless other replicas share
    /// the store: then whoever holds the lease).
    pub jobs: Arc<crate::replica::lease::JobsLease>,
    /// Whether the read models are loaded yet (see `starting`).
    pub warmup: Arc<crate::readmodel::warmup::Warmup>,
}

impl AppState {
    /// Opens the store at `url` (migrating it) and loads the directory and users from it.
    pub async fn open(url: &str, credentials: Option<Credentials>, clock: Clock) -> Result<Self, StartError> {
        Self::open_with(url, &Remote { credentials, ca_file: None }, clock, Policy::default()).await
    }

    pub async fn open_with(url: &str, remote: &Remote, clock: Clock, policy: Policy) -> Result<Self, StartError> {
        let db = open(url, remote).await?;
        Self::on(db, clock, policy).await
    }

    /// A state over a store already open (and migrated): what a second replica on the same
    /// store is, which is how the tests make one.
    pub async fn on(db: Db, clock: Clock, policy: Policy) -> Result<Self, StartError> {
        let state = Self::starting(db, clock, policy).await?;
        state.warm_up().await?;
        Ok(state)
    }

    /// A state with its accounts loaded and every other read model still to load: people
    /// can sign in, and everything else answers `AppError::Warming` until `warm_up` is done.
    /// What a server serves from its first seconds.
    pub async fn starting(db: Db, clock: Clock, policy: Policy) -> Result<Self, StartError> {
        let state = AppState {
            db,
            directory: Arc::new(Directory::default()),
            deals: Arc::new(DealBook::default()),
            users: Arc::new(Users::default()),
            sessions: Arc::new(Sessions::default()),
            pair_throttle: Arc::new(Throttle::new(5, FIFTEEN_MINUTES, FIFTEEN_MINUTES)),
            client_throttle: Arc::new(Throttle::new(30, FIFTEEN_MINUTES, FIFTEEN_MINUTES)),
            password_gate: Arc::new(PasswordGate::default()),
            setup_token: Arc::new(Mutex::new(None)),
            setup_running: Arc::new(tokio::sync::Mutex::new(())),
            policy,
            clock,
            live: Arc::new(LiveHub::default()),
            orders: Arc::new(OrderBook::default()),
            insight: Arc::new(InsightBook::default()),
            imports: Arc::new(ImportJobs::default()),
            reminder_runs: Arc::new(tokio::sync::Mutex::new(())),
            tickets: Arc::default(),
            performance: Arc::default(),
            mentions: Arc::default(),
            api: Arc::default(),
            webhooks: Arc::default(),
            jobs: Arc::default(),
            warmup: Arc::new(crate::readmodel::warmup::Warmup::pending()),
        };
        state.reload_users().await?;
        Ok(state)
    }

    /// Loads every read model but the accounts (`starting` loaded them) and then lets
    /// requests and background work in.
    pub async fn warm_up(&self) -> Result<(), StartError> {
        self.load_models().await?;
        self.warmup.mark_loaded();
        Ok(())
    }

    /// Loads every read model from the store (a replica after another's bulk write).
    pub async fn load_all(&self) -> Result<(), StartError> {
        self.reload_users().await?;
        self.load_models().await
    }

    /// The read models besides the accounts: directory, deals, orders, tickets, performance.
    async fn load_models(&self) -> Result<(), StartError> {
        self.reload_directory().await?;
        self.reload_deals().await?;
        self.reload_orders().await?;
        let tickets = crate::store::tickets::all(&self.db).await.map_err(|e| load("tickets", e))?;
        self.tickets.load(tickets);
        self.reload_performance().await
    }

    /// Rebuilds the directory from the store (start-up, and after bulk loads).
    pub async fn reload_directory(&self) -> Result<(), StartError> {
        let (customers, contacts) = customer_store::directory_snapshot(&self.db).await.map_err(|e| load("customers", e))?;
        let fresh = Directory::build(customers, contacts);
        // Swap contents in place so every clone of the state sees the new directory.
        self.directory.replace_with(fresh);
        // A bulk write (demo data, another replica's) follows none of its notes one by one:
        // the competitor mentions are matched again on their next need.
        self.mentions.lock().await.forget();
        Ok(())
    }

    /// Rebuilds the deal book from the store (start-up, and after bulk loads).
    pub async fn reload_deals(&self) -> Result<(), StartError> {
        let open = deal_store::open_deals(&self.db).await.map_err(|e| load("deals", e))?;
        let closed = deal_store::closed_outcomes(&self.db).await.map_err(|e| load("deals", e))?;
        let open = open.into_iter().map(|r| r.into_deal()).collect();
        self.deals.load(open, &closed, self.policy.pipeline.stages.len());
        Ok(())
    }

    /// Rebuilds the order book from the store (start-up, and after bulk loads).
    pub async fn reload_orders(&self) -> Result<(), StartError> {
        let products = product_store::all(&self.db).await.map_err(|e| load("products", e))?;
        let orders = order_store::all(&self.db).await.map_err(|e| load("orders", e))?;
        self.orders.load(products, orders);
        Ok(())
    }

    /// Rebuilds the performance book from the store, the order book and the directory
    /// (start-up, after the orders and customers are loaded; and after bulk loads).
    pub async fn reload_performance(&self) -> Result<(), StartError> {
        use crate::store::performance as perf;
        let deals = perf::closed_deals(&self.db, None).await.map_err(|e| load("deals", e))?;
        let users = self.users.all();
        let follow_ups = perf::follow_ups(&self.db, None, |author| users.iter().find(|u| u.display_name == author).map(|u| u.username.clone()))
            .await
            .map_err(|e| load("follow-ups", e))?;
        let owners: std::collections::HashMap<String, String> =
            self.directory.rows().live().filter(|(row, _)| !row.owner.is_empty()).map(|(row, _)| (row.id.clone(), row.owner.clone())).collect();
        let mut orders = Vec::new();
        self.orders.each_order(|customer, day, total| {
            if let Some(owner) = owners.get(customer) {
                orders.push((owner.clone(), day, total));
            }
        });
        self.performance.load(self.policy.offset.0, deals, follow_ups, orders);
        Ok(())
    }

    pub async fn reload_users(&self) -> Result<(), StartError> {
        let users = account_store::all_users(&self.db).await.map_err(|e| load("users", e))?;
        self.users.replace_all(users);
        Ok(())
    }
}

fn load(what: &'static str, e: StoreError) -> StartError {
    StartError::Load { what, detail: e.to_string() }
}
