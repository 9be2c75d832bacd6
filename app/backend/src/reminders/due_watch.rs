//! Announcing reminders as they fall due: nobody writes when time passes a reminder's due
//! moment, so this watcher sleeps until the next open reminder falls due (or until woken by
//! a change, which may bring that moment nearer), then announces what fell due (`announcer`)
//! and tells the live hub whose it was.

use std::time::Duration;

use super::announcer::announce_due;
use crate::state::AppState;
use crate::store::reminders as reminder_store;

/// The longest the watcher sleeps without looking: bounds the delay after a clock jump.
const WATCH_AT_MOST: Duration = Duration::from_secs(60);

/// Runs for the life of the server: announces owners as their reminders fall due.
pub async fn watch_due(state: AppState) {
    loop {
        let now = state.clock.now();
        // Another replica holds the background work: it announces, and this one hears of it
        // through the event feed.
        let announced = if state.jobs.is_mine() { announce_due(&state, now).await } else { Ok(Vec::new()) };
        match announced {
            Ok(owners) if !owners.is_empty() => state.live.changed_for(owners),
            Ok(_) => {}
            Err(e) => tracing::warn!("announcing the reminders that fell due failed: {e}"),
        }
        let next = reminder_store::next_due(&state.db, None, now).await.ok().flatten();
        let wait = next
            .and_then(|at| (at - now).to_std().ok())
            .map(|d| d + Duration::from_millis(20))
            .unwrap_or(WATCH_AT_MOST)
            .min(WATCH_AT_MOST);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.live.wake.notified() => {}
        }
    }
}

