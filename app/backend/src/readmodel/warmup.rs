//! Whether the read models are loaded yet. A server answers within seconds of starting,
//! while the directory, deal and order books load in the background (at a million orders
//! that takes half a minute): sign-in and the password change work at once; everything a
//! signed-in person does waits for the models (`AppError::Warming`), so nothing is read
//! half-loaded and no write lands in a model that a load in progress would then overwrite.

use std::time::Duration;

use kehu_domain::error::{AppError, AppResult};
use tokio::sync::watch;

/// How long a page waits before asking again while the models load.
pub const RETRY_AFTER: Duration = Duration::from_secs(3);

pub struct Warmup {
    loaded: watch::Sender<bool>,
}

/// Loaded: a state opened with every model loaded before it is used (tests, commands).
impl Default for Warmup {
    fn default() -> Self {
        Warmup { loaded: watch::Sender::new(true) }
    }
}

impl Warmup {
    /// Not loaded yet: the state is served before its models are in.
    pub fn pending() -> Self {
        Warmup { loaded: watch::Sender::new(false) }
    }

    pub fn is_loaded(&self) -> bool {
        *self.loaded.borrow()
    }

    pub fn mark_loaded(&self) {
        self.loaded.send_replace(true);
    }

    /// Refuses, with when to try again, until the models are loaded.
    pub fn check(&self) -> AppResult<()> {
        if self.is_loaded() {
            Ok(())
        } else {
            Err(AppError::Warming { retry_after_secs: RETRY_AFTER.as_secs() })
        }
    }

    /// Resolves once the models are loaded (background work waits on it).
    pub async fn loaded(&self) {
        let mut seen = self.loaded.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail while we hold it.
        let _ = seen.wait_for(|loaded| *loaded).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pending_refuses_until_marked_and_then_wakes_whoever_waits() {
        let warmup = std::sync::Arc::new(Warmup::pending());
        assert_eq!(warmup.check(), Err(AppError::Warming { retry_after_secs: 3 }));
        let waiter = tokio::spawn({
            let warmup = warmup.clone();
            async move { warmup.loaded().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        warmup.mark_loaded();
        tokio::time::timeout(Duration::from_secs(5), waiter).await.expect("the waiter woke").expect("it ran");
        assert_eq!(warmup.check(), Ok(()));
        assert!(Warmup::default().is_loaded());
    }
}
