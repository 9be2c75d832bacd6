//! `GET /api/live/reminders`: the live header badge. Every open page of a user holds one
//! server-sent-event stream carrying the count of their due reminders, sent when it
//! changes; the backend's live hub says when to recount.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use kehu_backend::accounts::signin;
use kehu_backend::live::Signal;
use kehu_backend::reminders::center;
use kehu_backend::AppState;
use tokio::sync::broadcast;

use super::caller::SignedIn;

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
            // sends it to the sign-in page. An open tab alone does not keep a session alive.
            signin::still_signed_in(&self.state, &self.token).await.ok()?;
            let count = match center::due_count(&self.state, &self.username).await {
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
pub async fn reminder_events(State(state): State<AppState>, SignedIn(caller): SignedIn, headers: HeaderMap) -> Response {
    // The stream checks the session again on every change, so it needs the token itself.
    let Some(token) = signin::session_token(&state, headers.get(COOKIE).and_then(|h| h.to_str().ok())) else {
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
