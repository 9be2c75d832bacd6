//! Live reminder badges: every open page of a user holds one server-sent-event stream that
//! carries the count of their due reminders, sent when it changes.
//!
//! Why this shape: changes come from two places — a person handling a reminder (or the
//! engine adding some), which the service announces for the owners concerned; and time
//! passing a reminder's due moment, which nobody writes. The due watcher sleeps until the
//! next open reminder falls due (or until woken by a change, which may bring that moment
//! nearer), then announces the owners whose reminders fell due. Each stream recounts only
//! when its user is named, so a change costs one small query per open page of that user.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::{broadcast, Notify};

use super::accounts::{cookie_value, SESSION_COOKIE};
use super::due_cache::DueCache;
use super::state::AppState;
use super::{account_service, reminder_service, reminder_store};

#[derive(Clone, Debug)]
pub enum Signal {
    /// These users' reminders changed.
    Users(Arc<Vec<String>>),
    /// Possibly everyone's (the engine ran, or settings changed).
    Everyone,
    /// The server is stopping: streams end so it can.
    Shutdown,
}

pub struct LiveHub {
    signals: broadcast::Sender<Signal>,
    wake: Notify,
    /// Each user's due moments between changes; forgotten with every signal sent here.
    pub due: DueCache,
}

impl Default for LiveHub {
    fn default() -> Self {
        LiveHub { signals: broadcast::channel(256).0, wake: Notify::new(), due: DueCache::default() }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Signal> {
        self.signals.subscribe()
    }

    /// Tells these users' pages to recount, and the due watcher to look again.
    pub fn changed_for(&self, users: Vec<String>) {
        let users: Vec<String> = users.into_iter().filter(|u| !u.is_empty()).collect();
        self.due.forget(&users);
        if !users.is_empty() {
            // No receiver (no page open) is not an error.
            let _ = self.signals.send(Signal::Users(Arc::new(users)));
        }
        self.wake.notify_one();
    }

    pub fn changed_for_everyone(&self) {
        self.due.forget_everyone();
        let _ = self.signals.send(Signal::Everyone);
        self.wake.notify_one();
    }

    pub fn shutdown(&self) {
        let _ = self.signals.send(Signal::Shutdown);
    }
}

/// The longest the watcher sleeps without looking: bounds the delay after a clock jump.
const WATCH_AT_MOST: Duration = Duration::from_secs(60);

/// Runs for the life of the server: announces owners as their reminders fall due.
pub async fn watch_due(state: AppState) {
    let mut last = state.clock.now();
    loop {
        let now = state.clock.now();
        match reminder_store::fell_due(&state.db, last, now).await {
            Ok(owners) if !owners.is_empty() => state.live.changed_for(owners),
            Ok(_) => {}
            Err(e) => tracing::warn!("checking for reminders that fell due failed: {e}"),
        }
        last = now;
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

struct Stream {
    state: AppState,
    token: String,
    username: String,
    signals: broadcast::Receiver<Signal>,
    sent: Option<u32>,
}

impl Stream {
    /// The next count to send, or `None` when the stream should end (server stopping,
    /// session over).
    async fn next(&mut self) -> Option<u32> {
        loop {
            if self.sent.is_some() {
                match self.signals.recv().await {
                    Ok(Signal::Users(users)) if !users.contains(&self.username) => continue,
                    Ok(Signal::Shutdown) | Err(broadcast::error::RecvError::Closed) => return None,
                    // Lagged behind: some signal may have been ours, recount.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                }
            }
            // A signed-out or expired session ends the stream; the page's own next request
            // sends it to the sign-in page.
            account_service::resolve(&self.state, &self.token).await.ok()?;
            let count = match reminder_service::due_count(&self.state, &self.username).await {
                Ok(n) => n,
                Err(e) => {
                    // Wait a little before trying again, so a store that is down is not
                    // hammered by every open page.
                    tracing::warn!("counting reminders for the live badge failed: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if self.sent != Some(count) {
                self.sent = Some(count);
                return Some(count);
            }
        }
    }
}

/// `GET /api/live/reminders`: the signed-in user's due-reminder count as server-sent events
/// (`event: reminders`, `data: <count>`), first at once, then on every change. The browser's
/// EventSource reconnects by itself (after `retry` ms) when the server restarts.
pub async fn reminder_events(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let token = headers
        .get(COOKIE)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| cookie_value(h, SESSION_COOKIE))
        .map(str::to_string);
    let Some(token) = token else { return StatusCode::UNAUTHORIZED.into_response() };
    let Ok(caller) = account_service::resolve(&state, &token).await else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let stream = Stream { signals: state.live.subscribe(), state, token, username: caller.user.username, sent: None };
    let events = futures::stream::unfold(stream, |mut s| async move {
        let first = s.sent.is_none();
        let count = s.next().await?;
        let mut event = Event::default().event("reminders").data(count.to_string());
        if first {
            event = event.retry(Duration::from_secs(1));
        }
        Some((Ok::<_, Infallible>(event), s))
    });
    Sse::new(events).keep_alive(KeepAlive::default()).into_response()
}
