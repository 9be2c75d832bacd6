//! When a reminder is news. A reminder is announced once when it falls due (the live badge,
//! and a `reminder_due` event that webhooks and group robots may subscribe to), and again
//! when a snooze brings it back. One made long after its due moment — by an import, a first
//! engine run, a customer fact entered late — is backlog: it shows in the reminder center,
//! but posting hundreds of those to a team group at once would drown the news.

use chrono::{DateTime, Duration, Utc};

/// A reminder made more than this long after it fell due is not announced.
pub const NEWS_FOR: Duration = Duration::hours(1);

/// When a reminder made at `now`, due at `due`, is to be announced; `None` for backlog.
pub fn announce_at(due: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (due > now - NEWS_FOR).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn future_and_just_due_reminders_are_news_backlog_is_not() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 9, 0, 0).unwrap();
        let tomorrow = now + Duration::days(1);
        assert_eq!(announce_at(tomorrow, now), Some(tomorrow), "announced when it falls due");
        let just = now - Duration::minutes(20);
        assert_eq!(announce_at(just, now), Some(just), "made right after its moment: still news");
        assert_eq!(announce_at(now - NEWS_FOR, now), None);
        assert_eq!(announce_at(now - Duration::days(30), now), None, "an imported backlog is not posted");
    }
}
