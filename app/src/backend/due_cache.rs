//! Each user's open reminders' due moments, kept between changes so the header badge is a
//! binary search instead of a count over the store. A rep with tens of thousands of customers
//! has thousands of open reminders once the insight rules add churn and repurchase warnings,
//! and counting them in the store took ~40 ms for every page that asked.
//!
//! Why this is safe: every write to reminders already tells the live hub whose reminders
//! changed (or that everyone's may have), and the hub forgets those users here. Time passing
//! needs no signal, because what is kept is the due moments, not the count. Two guards cover
//! what a signal could miss: a load that raced a change is not kept, and nothing is kept
//! longer than `KEEP_AT_MOST`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// The longest a user's due moments are trusted without a signal.
const KEEP_AT_MOST: Duration = Duration::from_secs(60);

struct Entry {
    /// Sorted.
    dues: Vec<DateTime<Utc>>,
    loaded: Instant,
}

#[derive(Default)]
struct Inner {
    /// Goes up with every change, so a load that started before one can tell.
    version: u64,
    users: HashMap<String, Entry>,
}

#[derive(Default)]
pub struct DueCache {
    inner: Mutex<Inner>,
}

impl DueCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many of the user's kept due moments are at or before `now`; `None` when nothing
    /// current is kept (load it and `keep` it).
    pub fn due_count(&self, user: &str, now: DateTime<Utc>) -> Option<u32> {
        let inner = self.lock();
        let entry = inner.users.get(user).filter(|e| e.loaded.elapsed() < KEEP_AT_MOST)?;
        Some(entry.dues.partition_point(|d| *d <= now) as u32)
    }

    /// The version to hand back to `keep` after loading.
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Keeps a user's due moments, loaded when the cache was at `version`: if anything
    /// changed since, the load may have missed it, and it is dropped.
    pub fn keep(&self, user: &str, version: u64, mut dues: Vec<DateTime<Utc>>) {
        let mut inner = self.lock();
        if inner.version != version {
            return;
        }
        dues.sort_unstable();
        inner.users.insert(user.to_string(), Entry { dues, loaded: Instant::now() });
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

    #[test]
    fn counts_what_is_due_as_time_passes() {
        let cache = DueCache::default();
        assert_eq!(cache.due_count("li", at(9)), None);
        cache.keep("li", cache.version(), vec![at(12), at(8), at(10)]);
        assert_eq!(cache.due_count("li", at(7)), Some(0));
        assert_eq!(cache.due_count("li", at(10)), Some(2));
        assert_eq!(cache.due_count("li", at(13)), Some(3));
        assert_eq!(cache.due_count("wang", at(13)), None);
    }

    #[test]
    fn a_change_forgets_the_user_and_a_load_that_raced_it_is_dropped() {
        let cache = DueCache::default();
        cache.keep("li", cache.version(), vec![at(8)]);
        cache.keep("wang", cache.version(), vec![at(8)]);
        cache.forget(&["li".to_string()]);
        assert_eq!(cache.due_count("li", at(9)), None);
        assert_eq!(cache.due_count("wang", at(9)), Some(1));

        let before = cache.version();
        cache.forget(&["zhao".to_string()]);
        cache.keep("li", before, vec![at(8)]);
        assert_eq!(cache.due_count("li", at(9)), None, "loaded before a change: not kept");

        cache.forget_everyone();
        assert_eq!(cache.due_count("wang", at(9)), None);
    }
}
