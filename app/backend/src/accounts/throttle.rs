//! Slowing down password guessing without letting anyone lock anyone out.
//!
//! Failed sign-ins are counted per key in a sliding window: per (account, client) — so a
//! guesser slows down only themselves, and the account's owner signs in from their own
//! device as usual — and per client across accounts (a guesser trying many accounts). Past a
//! free allowance every further attempt waits twice as long as the one before, up to a cap:
//! a person who mistyped a few times barely notices, a script is slowed to a handful of
//! guesses an hour. An attempt is counted *before* its password is checked, so a flood of
//! parallel attempts cannot all pass while the first are still being checked; a success
//! takes its attempt back. Old entries are pruned, so the map cannot grow without bound.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

/// Keys kept before a failure prunes the ones whose window has passed.
const PRUNE_ABOVE: usize = 10_000;

pub struct Throttle {
    window: chrono::Duration,
    /// Failures in the window before any waiting.
    free: usize,
    max_wait: chrono::Duration,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl Throttle {
    pub fn new(free: usize, window: Duration, max_wait: Duration) -> Self {
        let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::minutes(15));
        let max_wait = chrono::Duration::from_std(max_wait).unwrap_or(chrono::Duration::minutes(15));
        Throttle { window, free, max_wait, failures: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<DateTime<Utc>>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Some(seconds to wait)` while `key` must wait before its next attempt.
    pub fn wait_for(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        let mut failures = self.lock();
        let list = failures.get_mut(key)?;
        while list.front().is_some_and(|t| now - *t >= self.window) {
            list.pop_front();
        }
        let beyond = list.len().checked_sub(self.free)?;
        let last = *list.back()?;
        // With the allowance used up: 1 s after the last failure, then 2, 4, 8 … up to the cap.
        let wait = chrono::Duration::seconds(1i64 << beyond.min(20)).min(self.max_wait);
        let left = last + wait - now;
        (left > chrono::Duration::zero()).then(|| left.num_seconds().max(1) as u64)
    }

    /// Counts a failed (or not yet checked) attempt.
    pub fn fail(&self, key: &str, now: DateTime<Utc>) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE {
            let window = self.window;
            failures.retain(|_, list| list.back().is_some_and(|t| now - *t < window));
        }
        failures.entry(key.to_string()).or_default().push_back(now);
    }

    /// Takes back the latest attempt of `key` (it turned out to be right).
    pub fn forgive_last(&self, key: &str) {
        let mut failures = self.lock();
        if let Some(list) = failures.get_mut(key) {
            list.pop_back();
            if list.is_empty() {
                failures.remove(key);
            }
        }
    }

    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Forgets every key whose window has passed.
    pub fn prune(&self, now: DateTime<Utc>) {
        let window = self.window;
        self.lock().retain(|_, list| list.back().is_some_and(|t| now - *t < window));
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn waits_grow_past_the_allowance_and_the_window_forgives() {
        let t = Throttle::new(3, Duration::from_secs(900), Duration::from_secs(600));
        let s = chrono::Duration::seconds;
        for i in 0..3 {
            assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(i)), None, "free attempts");
            t.fail("wang|1.2.3.4", t0() + s(i));
        }
        // The allowance used up: the next attempt 1 s after the last, then 2, 4, 8 …
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(2)), Some(1));
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(3)), None);
        t.fail("wang|1.2.3.4", t0() + s(3));
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(3)), Some(2));
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(5)), None);
        t.fail("wang|1.2.3.4", t0() + s(5));
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(5)), Some(4));
        for i in 0..20 {
            t.fail("wang|1.2.3.4", t0() + s(10 + i));
        }
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(30)), Some(599), "capped at the maximum");
        assert_eq!(t.wait_for("wang|5.6.7.8", t0() + s(30)), None, "another client is not affected");
        assert_eq!(t.wait_for("wang|1.2.3.4", t0() + s(30 + 900)), None, "the window slides");
    }

    #[test]
    fn a_right_password_takes_its_attempt_back_and_old_keys_are_pruned() {
        let t = Throttle::new(1, Duration::from_secs(60), Duration::from_secs(60));
        t.fail("li", t0());
        t.forgive_last("li");
        assert_eq!(t.wait_for("li", t0()), None, "nothing left against it");
        t.fail("li", t0());
        t.fail("zhao", t0());
        assert_eq!(t.len(), 2);
        t.prune(t0() + chrono::Duration::seconds(61));
        assert!(t.is_empty());
    }
}
