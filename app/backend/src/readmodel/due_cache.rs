//! Each user's count of due reminders for the header badge (asked for on every page), kept
//! between changes (`KeptPerUser`) when their open reminders are not kept whole
//! (`LiveHub::open`). Time passing is covered by keeping, with the count, the moment the
//! user's next reminder falls due: the count is good until then.

use chrono::{DateTime, Utc};

use super::kept_per_user::KeptPerUser;

pub type DueCache = KeptPerUser<DueCount>;

/// A user's due count at `counted_at`, good until `next_due`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DueCount {
    pub due: u32,
    pub counted_at: DateTime<Utc>,
    /// When the next of their open reminders falls due; none: nothing more will by itself.
    pub next_due: Option<DateTime<Utc>>,
}

impl DueCount {
    /// The count at `now`, if it still holds then.
    pub fn at(&self, now: DateTime<Utc>) -> Option<u32> {
        (now >= self.counted_at && self.next_due.is_none_or(|next| now < next)).then_some(self.due)
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
    fn a_count_holds_until_the_next_reminder_falls_due() {
        let count = DueCount { due: 2, counted_at: at(9), next_due: Some(at(12)) };
        assert_eq!(count.at(at(9)), Some(2));
        assert_eq!(count.at(at(11)), Some(2));
        assert_eq!(count.at(at(12)), None, "one more fell due: count again");
        assert_eq!(count.at(at(8)), None, "a clock set back: count again");
        let nothing_open = DueCount { due: 0, counted_at: at(9), next_due: None };
        assert_eq!(nothing_open.at(at(23)), Some(0), "nothing open: nothing falls due by itself");
    }
}
