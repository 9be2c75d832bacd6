//! The webhook sender's handle in the application state: how it is woken, the turn its
//! passes take, and its HTTP client (made once, on first use).

use std::sync::OnceLock;

use tokio::sync::{Mutex, Notify};

use super::send::client;
use crate::store::error::{StoreError, StoreResult};

/// The sender's handle in the application state.
#[derive(Default)]
pub struct WebhookSender {
    pub(super) wake: Notify,
    /// Held by a pass, so passes take turns (the background loop, a test, "send again").
    pub(super) turn: Mutex<()>,
    client: OnceLock<reqwest::Client>,
}

impl WebhookSender {
    /// Something was committed: look at the feed soon.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(super) fn client(&self) -> StoreResult<&reqwest::Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let made = client().map_err(|e| StoreError::Broken(format!("the webhook HTTP client could not be made: {e}")))?;
        Ok(self.client.get_or_init(|| made))
    }
}

