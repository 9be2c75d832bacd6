//! Background work runs in one process at a time: the reminder engine and insight batch,
//! recycling, announcing due reminders and the webhook sender do their rounds only where
//! `is_mine()` holds. Alone on its store (embedded), a process always does them. With other
//! replicas, a keeper renews a lease in the store every third of its period; when the holder
//! dies, another takes the lease over within one period and starts doing the work.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::store::db::Db;
use crate::store::leases;

/// The lease's name in the store.
const JOBS: &str = "background_jobs";
/// How long a taken lease lasts without renewal: how soon a dead holder's work moves on.
pub const PERIOD: Duration = Duration::from_secs(30);

pub struct JobsLease {
    mine: AtomicBool,
    /// This process, as the lease names it.
    holder: String,
    /// Counts the times the lease became this process's (see `gains`).
    gains: tokio::sync::watch::Sender<u64>,
}

impl Default for JobsLease {
    /// Mine: a process alone on its store does its background work without asking.
    fn default() -> Self {
        let mut bytes = [0u8; 6];
        // Without randomness (never seen) the time still tells processes apart.
        let holder = match getrandom::fill(&mut bytes) {
            Ok(()) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => format!("{:x}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()),
        };
        JobsLease { mine: AtomicBool::new(true), holder, gains: tokio::sync::watch::Sender::new(0) }
    }
}

impl JobsLease {
    /// Whether this process should do the background work now.
    pub fn is_mine(&self) -> bool {
        self.mine.load(Ordering::Relaxed)
    }

    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Changes each time the lease becomes this process's: a round that runs every ten
    /// minutes runs at once then, instead of waiting for its next turn — a new replica's first
    /// round came before it held the lease, and a replica taking over from a dead one must not
    /// leave the work undone for ten minutes.
    pub fn gains(&self) -> tokio::sync::watch::Receiver<u64> {
        self.gains.subscribe()
    }
}

/// Shares the background work with other replicas through the lease: none until it is taken.
/// Gives the keeper's task (aborting it is what a process dying looks like, in tests).
/// Called with the state's store and lease (`state.db`, `state.jobs`).
pub fn keep(db: Db, jobs: Arc<JobsLease>, period: Duration) -> tokio::task::JoinHandle<()> {
    jobs.mine.store(false, Ordering::Relaxed);
    tokio::spawn(async move {
        let mut every = tokio::time::interval(period / 3);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            let mine = match leases::take(&db, JOBS, &jobs.holder, period).await {
                Ok(holder) => holder == jobs.holder,
                Err(e) => {
                    // Unsure whether it is still ours: stop rather than risk two doing it.
                    tracing::warn!("renewing the background-work lease failed: {e}");
                    false
                }
            };
            if mine != jobs.mine.swap(mine, Ordering::Relaxed) {
                tracing::info!("background work {} here", if mine { "runs" } else { "stopped: another replica holds the lease" });
                if mine {
                    jobs.gains.send_modify(|n| *n += 1);
                }
            }
        }
    })
}

/// Hands the lease back when this process stops cleanly, so another takes it at once.
pub async fn let_go(db: &Db, jobs: &JobsLease) {
    if jobs.is_mine() {
        jobs.mine.store(false, Ordering::Relaxed);
        if let Err(e) = leases::give_up(db, JOBS, &jobs.holder).await {
            tracing::warn!("handing back the background-work lease failed (it runs out by itself): {e}");
        }
    }
}
