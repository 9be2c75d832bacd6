//! A follow-up as the browser sends it: with a key the browser chose and the time it was
//! written. The key makes sending it exactly once (a retry after a lost answer, or the
//! offline outbox sending it later, finds the follow-up already logged instead of logging it
//! twice); the time keeps a follow-up written offline at 10:42 on the timeline at 10:42.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::types::TouchpointInput;

/// A follow-up written this long ago still keeps the time it was written; an older one
/// (a phone left offline for weeks) is logged at the time it arrives, so nothing lands far
/// back in a timeline others already read.
pub const KEEP_WRITTEN_TIME_FOR_DAYS: i64 = 7;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyedFollowUp {
    /// Chosen by the browser, unique per follow-up (see `valid_key`).
    pub key: String,
    pub customer_id: String,
    /// Shown in the outbox while it waits; the server does not trust it.
    #[serde(default)]
    pub customer_name: String,
    /// The username that wrote it: the browser's outbox sends it only in that user's session
    /// (the server takes the writer from the session, never from here).
    pub user: String,
    pub input: TouchpointInput,
    pub written_at: DateTime<Utc>,
}

/// A key the browser may choose: 16–64 letters, digits or dashes (a UUID fits).
pub fn valid_key(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// When the follow-up is logged as having happened: when it was written, unless that is in
/// the future (a phone's clock ahead) or older than `KEEP_WRITTEN_TIME_FOR_DAYS`.
pub fn logged_at(written_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    if written_at > now || now - written_at > Duration::days(KEEP_WRITTEN_TIME_FOR_DAYS) {
        now
    } else {
        written_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, h, m, 0).unwrap()
    }

    #[test]
    fn a_follow_up_written_offline_keeps_its_time() {
        assert_eq!(logged_at(at(2, 42), at(6, 0)), at(2, 42));
        assert_eq!(logged_at(at(6, 0), at(6, 0)), at(6, 0));
    }

    #[test]
    fn a_clock_ahead_or_a_week_old_draft_is_logged_now() {
        assert_eq!(logged_at(at(7, 0), at(6, 0)), at(6, 0), "the phone's clock is ahead");
        let now = at(6, 0);
        let eight_days = now - Duration::days(8);
        assert_eq!(logged_at(eight_days, now), now);
        let six_days = now - Duration::days(6);
        assert_eq!(logged_at(six_days, now), six_days);
    }

    #[test]
    fn keys_are_uuid_like() {
        assert!(valid_key("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(valid_key("abcdef0123456789"));
        assert!(!valid_key("short"));
        assert!(!valid_key("has space in it 12345"));
        assert!(!valid_key("touchpoint:⟨x⟩-0123456789"));
        assert!(!valid_key(&"a".repeat(65)));
    }
}
