//! One owner's open reminders, as the server keeps them between changes: when each falls
//! due, its kind and its key, nothing else. From that list the reminder center picks what it
//! shows and counts by kind, and the header badge counts what is due, at any moment, without
//! asking the store — a rep with thousands of customers has thousands of open reminders, and
//! counting them there on every visit took most of the center's time.

use chrono::{DateTime, Utc};

use super::types::{KindCount, ReminderKind};

/// An open reminder, reduced to what choosing and counting need.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenReminder {
    pub due: DateTime<Utc>,
    pub kind: ReminderKind,
    /// The reminder's key in the store.
    pub key: String,
}

/// An owner's open reminders in the order they fall due.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpenList {
    by_due: Vec<OpenReminder>,
}

/// What the center shows at a moment: the keys of the first reminders due by then and of
/// the first coming up to the horizon (of one kind, or all), and how many of every kind
/// there are in each part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Window {
    pub due: Vec<String>,
    pub upcoming: Vec<String>,
    pub counts: Vec<KindCount>,
}

impl OpenList {
    pub fn new(mut reminders: Vec<OpenReminder>) -> Self {
        // Stable: reminders due at the same moment keep the order the store gave them.
        reminders.sort_by_key(|r| r.due);
        OpenList { by_due: reminders }
    }

    /// How many are due at `now`: the header badge.
    pub fn due_count(&self, now: DateTime<Utc>) -> u32 {
        self.by_due.partition_point(|r| r.due <= now) as u32
    }

    /// Due by `now`, and coming up after `now` to `horizon` (inclusive); the lists hold at
    /// most `limit` keys each, of `only` that kind when given; the counts cover every kind,
    /// so the page can offer each kind to narrow the lists by.
    pub fn window(&self, now: DateTime<Utc>, horizon: DateTime<Utc>, only: Option<ReminderKind>, limit: usize) -> Window {
        let due_end = self.by_due.partition_point(|r| r.due <= now);
        let upcoming_end = due_end + self.by_due[due_end..].partition_point(|r| r.due <= horizon);
        let (due, upcoming) = (&self.by_due[..due_end], &self.by_due[due_end..upcoming_end]);
        let first = |part: &[OpenReminder]| -> Vec<String> {
            part.iter().filter(|r| only.is_none_or(|k| k == r.kind)).take(limit).map(|r| r.key.clone()).collect()
        };
        let mut tally = [(0u32, 0u32); ReminderKind::ALL.len()];
        let slot = |kind: ReminderKind| ReminderKind::ALL.iter().position(|k| *k == kind).unwrap_or_default();
        for r in due {
            tally[slot(r.kind)].0 += 1;
        }
        for r in upcoming {
            tally[slot(r.kind)].1 += 1;
        }
        let counts = ReminderKind::ALL
            .into_iter()
            .zip(tally)
            .filter(|(_, (d, u))| d + u > 0)
            .map(|(kind, (due, upcoming))| KindCount { kind, due, upcoming })
            .collect();
        Window { due: first(due), upcoming: first(upcoming), counts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 0, 0, 0).unwrap() + Duration::hours(hour)
    }

    fn open(key: &str, kind: ReminderKind, hour: i64) -> OpenReminder {
        OpenReminder { due: at(hour), kind, key: key.into() }
    }

    fn list() -> OpenList {
        // Given out of order, as a store without an ORDER BY might.
        OpenList::new(vec![
            open("late", ReminderKind::Birthday, 100),
            open("c", ReminderKind::Churn, 2),
            open("a", ReminderKind::Churn, 1),
            open("b", ReminderKind::Birthday, 2),
            open("d", ReminderKind::Renewal, 5),
            open("e", ReminderKind::Churn, 8),
            open("f", ReminderKind::Birthday, 9),
        ])
    }

    #[test]
    fn the_badge_counts_what_is_due_at_each_moment_a_reminder_due_now_included() {
        let list = list();
        assert_eq!(list.due_count(at(0)), 0);
        assert_eq!(list.due_count(at(1)), 1, "due at this very moment counts");
        assert_eq!(list.due_count(at(2)), 3);
        assert_eq!(list.due_count(at(1000)), 7);
        assert_eq!(OpenList::default().due_count(at(5)), 0);
    }

    #[test]
    fn the_window_splits_at_now_and_the_horizon_and_lists_in_due_order() {
        let window = list().window(at(2), at(9), None, 100);
        assert_eq!(window.due, vec!["a", "c", "b"]);
        assert_eq!(window.upcoming, vec!["d", "e", "f"], "the horizon itself is inside, beyond it is not");
        let counts: Vec<_> = window.counts.iter().map(|c| (c.kind, c.due, c.upcoming)).collect();
        assert_eq!(
            counts,
            vec![(ReminderKind::Birthday, 1, 1), (ReminderKind::Renewal, 0, 1), (ReminderKind::Churn, 2, 1)],
            "every kind counted, in the kinds' fixed order, kinds with none left out"
        );
    }

    #[test]
    fn narrowed_to_a_kind_and_cut_at_the_limit_the_counts_still_cover_every_kind() {
        let list = list();
        let churn = list.window(at(2), at(9), Some(ReminderKind::Churn), 100);
        assert_eq!((churn.due, churn.upcoming), (vec!["a".to_string(), "c".to_string()], vec!["e".to_string()]));
        assert_eq!(churn.counts, list.window(at(2), at(9), None, 100).counts);
        let first = list.window(at(2), at(9), None, 2);
        assert_eq!((first.due, first.upcoming), (vec!["a".to_string(), "c".to_string()], vec!["d".to_string(), "e".to_string()]));
        let nothing = list.window(at(0), at(0), None, 100);
        assert_eq!(nothing, Window::default());
    }
}
