//! Several Kehu processes on one remote store (`--data ws://…`): each keeps its read models
//! (directory, deal and order books, tickets, performance, users) in memory, so each must
//! learn what the others committed. Every change writes its events in its own transaction,
//! and the event table has a change feed in commit order; a replica tails it from the moment
//! it loaded its read models and reads again what each batch of events names (`plan`,
//! `apply`). Its own commits come back too and are read again, which changes nothing (every
//! step puts the stored state), so no process needs to know which commits were its own.
//!
//! Sessions: another process may end one (a sign-out), which is not an event; a replica
//! believes its cached sessions only for a second and then asks the store again.
//!
//! Background work (reminder runs, the insight batch, recycling, due announcements, the
//! webhook sender) runs on one replica at a time, the holder of a lease (`lease`).

pub mod apply;
pub mod lease;
pub mod plan;

use std::time::Duration;

use crate::state::AppState;
use crate::store::error::StoreResult;
use crate::store::feed::{feed, last_stamp, Since};

/// How often the feed is looked at: a write on one replica shows on the others within this
/// and the time to read what it names.
const POLL: Duration = Duration::from_millis(250);
/// Commits read at a time.
const PAGE: u32 = 500;
/// How long a cached session is believed.
const SESSION_TRUST: Duration = Duration::from_secs(1);

/// Where this replica starts: the newest commit before it loads its read models (call it
/// before `AppState::on` or `AppState::starting`), so nothing committed while it loads is missed.
pub async fn starting_point(db: &crate::store::db::Db) -> StoreResult<Option<i64>> {
    last_stamp(db).await
}

/// Follows the other replicas from `after` (see `starting_point`), for as long as the server
/// runs, beginning once the read models are loaded (what they already hold is read again,
/// which changes nothing).
pub fn start(state: AppState, after: Option<i64>) {
    state.sessions.trust_for(SESSION_TRUST);
    tokio::spawn(async move {
        state.warmup.loaded().await;
        let mut since = after.map_or(0, |stamp| stamp + 1);
        let mut failing = false;
        let mut every = tokio::time::interval(POLL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            match catch_up(&state, since).await {
                Ok(next) => {
                    if failing {
                        tracing::info!("following the other replicas again");
                    }
                    (since, failing) = (next, false);
                }
                // Said once per outage, not four times a second; the next look retries
                // from the same point, so nothing is skipped.
                Err(e) if !failing => {
                    tracing::error!("following the other replicas failed (retrying): {e}");
                    failing = true;
                }
                Err(_) => {}
            }
        }
    });
}

/// Applies what was committed from `since` on; gives where to look next time.
pub async fn catch_up(state: &AppState, mut since: i64) -> StoreResult<i64> {
    loop {
        let page = feed(&state.db, Since::Stamp(since), PAGE).await?;
        let Some(last) = page.last().map(|set| set.versionstamp) else { return Ok(since) };
        let plan = plan::plan(page.iter().flat_map(|set| set.events.iter()));
        if !plan.is_empty() {
            apply::apply(state, plan).await?;
        }
        since = last + 1;
        if page.len() < PAGE as usize {
            return Ok(since);
        }
    }
}
