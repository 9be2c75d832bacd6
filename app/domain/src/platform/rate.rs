//! How many API requests a token may make: a fixed window of one minute. Past the limit a
//! request is refused with the seconds until the window turns (the `Retry-After`).

use chrono::{DateTime, Duration, Utc};

/// A token's current window: when it began and how many requests it has admitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateWindow {
    pub started: DateTime<Utc>,
    pub count: u32,
}

impl RateWindow {
    pub fn new(now: DateTime<Utc>) -> Self {
        RateWindow { started: now, count: 0 }
    }

    /// Admits one request at `now` under `limit` per minute, or says how many whole seconds
    /// (at least 1) until the next one is admitted.
    pub fn admit(&mut self, now: DateTime<Utc>, limit: u32) -> Result<(), u64> {
        let end = self.started + Duration::minutes(1);
        if now >= end {
            *self = RateWindow::new(now);
        }
        if self.count < limit {
            self.count += 1;
            return Ok(());
        }
        let wait = (self.started + Duration::minutes(1) - now).num_milliseconds().max(0) as u64;
        Err(wait.div_ceil(1000).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_limit_holds_within_a_minute_and_the_wait_is_what_remains() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
        let mut window = RateWindow::new(t0);
        for i in 0..3 {
            assert_eq!(window.admit(t0 + Duration::seconds(i), 3), Ok(()));
        }
        assert_eq!(window.admit(t0 + Duration::seconds(20), 3), Err(40));
        assert_eq!(window.admit(t0 + Duration::milliseconds(59_500), 3), Err(1), "never 0: the header must make the client wait");
        assert_eq!(window.admit(t0 + Duration::seconds(60), 3), Ok(()), "a new window");
        assert_eq!(window.count, 1);
    }

    #[test]
    fn a_limit_of_zero_admits_nothing() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
        assert_eq!(RateWindow::new(t0).admit(t0, 0), Err(60));
    }
}
