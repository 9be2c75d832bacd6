//! Each user's count of due reminders, kept between changes so the header badge (asked for on
//! every page) does not count in the store each time. A rep with tens of thousands of
//! customers has thousands of open reminders once the insight rules add churn and repurchase
//! warnings, and counting them in the store takes tens of milliseconds.
//!
//! Why this is safe: every write to reminders already tells the live hub whose reminders
//! changed (or that everyone's may have), and the hub forgets those users here. Time passing
//! is covered by keeping, with the count, the moment the user's next reminder falls due: the
//! count is good until then. Two guards cover what a signal could miss: a count that raced a
//! change is not kept, and nothing is kept longer than `KEEP_AT_MOST`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// The longest a count is trusted without a signal.
const KEEP_AT_MOST: Duration = Duration::from_secs(60);

/// A user's due count at `counted_at`, good until `next_due`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DueCount {
    pub due: u32,
    pub counted_at: DateTime<Utc>,
    /// When the next of their open reminders falls due; none: nothing more will by itself.
    pub next_due: Option<DateTime<Utc>>,
}

impl DueCount {
    fn holds_at(&self, now: DateTime<Utc>) -> bool {
        now >= self.counted_at && self.next_due.is_none_or(|next| now < next)
    }
}

#[derive(Default)]
struct Inner {
    /// Goes up with every change, so a count that started before one can tell.
    version: u64,
    users: HashMap<String, (DueCount, Instant)>,
}

#[derive(Default)]
pub struct DueCache {
    inner: Mutex<Inner>,
}

impl DueCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The user's kept count if it still holds at `now` (count in the store and `keep` it
    /// otherwise).
    pub fn due_count(&self, user: &str, now: DateTime<Utc>) -> Option<u32> {
        let inner = self.lock();
        let (count, kept) = inner.users.get(user)?;
        (kept.elapsed() < KEEP_AT_MOST && count.holds_at(now)).then_some(count.due)
    }

    /// The version to hand back to `keep` after counting.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Keeps a user's count, made when the cache was at `version`: if anything changed
    /// since, the count may have missed it, and it is dropped.
    pub fn keep(&self, user: &str, version: u64, count: DueCount) {
        let mut inner = self.lock();
        if inner.version == version {
            inner.users.insert(user.to_string(), (count, Instant::now()));
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
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, hour, 0, 0).single().unwrap_or_default()
    }

    fn count(due: u32, counted_at: DateTime<Utc>, next_due: Option<DateTime<Utc>>) -> DueCount {
        DueCount { due, counted_at, next_due }
    }

    #[test]
    fn a_count_holds_until_the_next_reminder_falls_due() {
        let cache = DueCache::default();
        assert_eq!(cache.due_count("li", at(9)), None);
        cache.keep("li", cache.version(), count(2, at(9), Some(at(12))));
        assert_eq!(cache.due_count("li", at(9)), Some(2));
        assert_eq!(cache.due_count("li", at(11)), Some(2));
        assert_eq!(cache.due_count("li", at(12)), None, "one more fell due: count again");
        assert_eq!(cache.due_count("li", at(8)), None, "a clock set back: count again");
        assert_eq!(cache.due_count("wang", at(9)), None);
        cache.keep("wang", cache.version(), count(0, at(9), None));
        assert_eq!(cache.due_count("wang", at(23)), Some(0), "nothing open: nothing falls due by itself");
    }

    #[test]
    fn a_change_forgets_the_user_and_a_count_that_raced_it_is_dropped() {
        let cache = DueCache::default();
        cache.keep("li", cache.version(), count(1, at(8), None));
        cache.keep("wang", cache.version(), count(1, at(8), None));
        cache.forget(&["li".to_string()]);
        assert_eq!(cache.due_count("li", at(9)), None);
        assert_eq!(cache.due_count("wang", at(9)), Some(1));

        let before = cache.version();
        cache.forget(&["zhao".to_string()]);
        cache.keep("li", before, count(1, at(8), None));
        assert_eq!(cache.due_count("li", at(9)), None, "counted before a change: not kept");

        cache.forget_everyone();
        assert_eq!(cache.due_count("wang", at(9)), None);
    }
}
