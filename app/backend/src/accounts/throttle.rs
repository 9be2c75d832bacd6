//! Failed sign-ins per key (an account, an address) in a sliding window.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

pub struct Throttle {
    window: Duration,
    limit: usize,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl Throttle {
    pub fn new(limit: usize, window: Duration) -> Self {
        Throttle { window, limit, failures: Mutex::new(HashMap::new()) }
    }

    /// `Some(seconds to wait)` while `key` has used up its attempts.
    pub fn blocked_for(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::minutes(15));
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let list = failures.get_mut(key)?;
        while list.front().is_some_and(|t| now - *t >= window) {
            list.pop_front();
        }
        if list.len() < self.limit {
            return None;
        }
        let oldest = *list.front()?;
        Some((oldest + window - now).num_seconds().max(1) as u64)
    }

    pub fn fail(&self, key: &str, now: DateTime<Utc>) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).entry(key.to_string()).or_default().push_back(now);
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn throttle_blocks_then_forgives() {
        let t = Throttle::new(3, Duration::from_secs(600));
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        for i in 0..3 {
            assert_eq!(t.blocked_for("wang", t0), None);
            t.fail("wang", t0 + chrono::Duration::seconds(i));
        }
        assert_eq!(t.blocked_for("wang", t0 + chrono::Duration::seconds(10)), Some(590));
        assert_eq!(t.blocked_for("li", t0), None, "other keys are not affected");
        assert_eq!(t.blocked_for("wang", t0 + chrono::Duration::seconds(601)), None, "the window slides");
        t.fail("li", t0);
        t.clear("li");
        assert_eq!(t.blocked_for("li", t0), None);
    }
}
