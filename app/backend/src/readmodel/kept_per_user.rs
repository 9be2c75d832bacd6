//! Something worked out per user from the store (a badge count, their open reminders), kept
//! between changes so pages asked for again and again do not ask the store each time.
//!
//! Why this is safe: every write to reminders already tells the live hub whose reminders
//! changed (or that everyone's may have), and the hub forgets those users here. Two guards
//! cover what a signal could miss: a value that raced a change is not kept, and nothing is
//! kept longer than `KEEP_AT_MOST`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The longest a value is trusted without a signal.
const KEEP_AT_MOST: Duration = Duration::from_secs(60);

struct Inner<T> {
    /// Goes up with every change, so a value worked out before one can tell.
    version: u64,
    users: HashMap<String, (T, Instant)>,
}

pub struct KeptPerUser<T> {
    inner: Mutex<Inner<T>>,
}

impl<T> Default for KeptPerUser<T> {
    fn default() -> Self {
        KeptPerUser { inner: Mutex::new(Inner { version: 0, users: HashMap::new() }) }
    }
}

impl<T: Clone> KeptPerUser<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<T>> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The user's kept value, unless it is older than `KEEP_AT_MOST` (work it out from the
    /// store and `keep` it otherwise).
    pub fn get(&self, user: &str) -> Option<T> {
        let inner = self.lock();
        let (value, kept) = inner.users.get(user)?;
        (kept.elapsed() < KEEP_AT_MOST).then(|| value.clone())
    }

    /// The version to hand back to `keep`: take it before reading the store.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Keeps a user's value, read when the cache was at `version`: if anything changed
    /// since, the value may have missed it, and it is dropped.
    pub fn keep(&self, user: &str, version: u64, value: T) {
        let mut inner = self.lock();
        if inner.version == version {
            inner.users.insert(user.to_string(), (value, Instant::now()));
        }
    }

    pub fn forget(&self, users: &[String]) {
        let mut inner = self.lock();
        inner.version += 1;
        for user in users {
            inner.users.remove(user);
        }
    }

    pub fn forget_everyone(&self) {
        let mut inner = self.lock();
        inner.version += 1;
        inner.users.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_forgets_the_user_and_a_value_that_raced_it_is_dropped() {
        let kept = KeptPerUser::<u32>::default();
        assert_eq!(kept.get("li"), None);
        kept.keep("li", kept.version(), 1);
        kept.keep("wang", kept.version(), 2);
        assert_eq!((kept.get("li"), kept.get("wang")), (Some(1), Some(2)));
        kept.forget(&["li".to_string()]);
        assert_eq!((kept.get("li"), kept.get("wang")), (None, Some(2)));

        let before = kept.version();
        kept.forget(&["zhao".to_string()]);
        kept.keep("li", before, 3);
        assert_eq!(kept.get("li"), None, "read before a change: not kept");

        kept.forget_everyone();
        assert_eq!(kept.get("wang"), None);
    }
}
