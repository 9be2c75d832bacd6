//! The reminder center's own rules: how many reminders a list shows and how the totals by
//! kind add up; reminders grouped by local day and, within a day, by kind; and what a snooze
//! may be set to.

use chrono::{Datelike, DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Utc};

use super::types::{KindCount, MyReminders, Reminder, ReminderKind};
use crate::problem::{FieldError, Problem};

/// The furthest a reminder can be snoozed: a year.
pub const SNOOZE_MAX_DAYS: i64 = 366;

/// How many reminders each list (due now, coming up) shows at most. A rep who owns thousands
/// of customers can have thousands open; the first hundred and the counts by kind (to narrow
/// the list by) serve them better than a page that takes seconds to draw.
pub const LISTED_AT_MOST: usize = 100;

impl MyReminders {
    fn counted(&self) -> impl Iterator<Item = &KindCount> {
        self.counts.iter().filter(move |c| self.only.is_none_or(|k| k == c.kind))
    }

    /// How many are due now in all, of the kind the lists are narrowed to or of every kind.
    pub fn due_total(&self) -> u32 {
        self.counted().map(|c| c.due).sum()
    }

    /// How many come up within the horizon in all, likewise.
    pub fn upcoming_total(&self) -> u32 {
        self.counted().map(|c| c.upcoming).sum()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct KindGroup {
    pub kind: ReminderKind,
    pub items: Vec<Reminder>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DayGroup {
    /// The local day they fall due.
    pub day: NaiveDate,
    pub kinds: Vec<KindGroup>,
}

/// Reminders by local day (in the order given, which is by due time) and, within a day, by
/// kind in the kinds' fixed order, so the same kinds always sit in the same place.
pub fn group_by_day_and_kind(reminders: &[Reminder], offset: FixedOffset) -> Vec<DayGroup> {
    let mut days: Vec<DayGroup> = Vec::new();
    for r in reminders {
        let day = r.due.with_timezone(&offset).date_naive();
        let at = days.iter().position(|g| g.day == day).unwrap_or_else(|| {
            days.push(DayGroup { day, kinds: Vec::new() });
            days.len() - 1
        });
        let group = &mut days[at];
        match group.kinds.iter_mut().find(|k| k.kind == r.kind) {
            Some(k) => k.items.push(r.clone()),
            None => group.kinds.push(KindGroup { kind: r.kind, items: vec![r.clone()] }),
        }
    }
    days.sort_by_key(|g| g.day);
    for g in &mut days {
        g.kinds.sort_by_key(|k| k.kind);
    }
    days
}

/// A snooze time as typed in a `datetime-local` input (`2026-11-23T14:30`, seconds optional),
/// read in local time: it must lie in the future and within a year.
pub fn parse_snooze(value: &str, now: DateTime<Utc>, offset: FixedOffset) -> Result<DateTime<Utc>, Vec<FieldError>> {
    let fail = |p| Err(vec![FieldError::new("until", p)]);
    let value = value.trim();
    if value.is_empty() {
        return fail(Problem::Required);
    }
    let local = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"));
    let Ok(local) = local else { return fail(Problem::InvalidDate) };
    // A year far outside the plausible would overflow the arithmetic below.
    if !crate::check::YEARS.contains(&local.year()) {
        return fail(Problem::InvalidDate);
    }
    let Some(until) = local.checked_sub_signed(Duration::seconds(offset.local_minus_utc() as i64)).map(|t| t.and_utc()) else {
        return fail(Problem::InvalidDate);
    };
    if until <= now {
        return fail(Problem::NotInFuture);
    }
    if until - now > Duration::days(SNOOZE_MAX_DAYS) {
        return fail(Problem::OutOfRange { min: 0, max: SNOOZE_MAX_DAYS });
    }
    Ok(until)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_snooze_to_an_impossible_year_is_refused_not_a_crash() {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
        for value in ["-262144-01-01T00:00", "+262143-12-31T23:59", "0000-01-01T00:00"] {
            assert_eq!(parse_snooze(value, now, beijing()), Err(vec![FieldError::new("until", Problem::InvalidDate)]), "{value}");
        }
    }

    fn beijing() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn reminder(id: &str, kind: ReminderKind, due: DateTime<Utc>) -> Reminder {
        Reminder {
            id: id.into(),
            kind,
            customer_id: "c1".into(),
            customer_name: "华为".into(),
            subject: String::new(),
            due,
            rule_due: due,
            moved_by: None,
            snoozed: false,
        }
    }

    #[test]
    fn grouped_by_local_day_then_kind() {
        // 23:30 UTC on the 1st is the 2nd in Beijing.
        let late = Utc.with_ymd_and_hms(2026, 12, 1, 23, 30, 0).unwrap();
        let morning = Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0).unwrap();
        let list = vec![
            reminder("a", ReminderKind::Renewal, morning),
            reminder("b", ReminderKind::Birthday, morning),
            reminder("c", ReminderKind::Renewal, morning),
            reminder("d", ReminderKind::NextStep, late),
        ];
        let groups = group_by_day_and_kind(&list, beijing());
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].day, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let kinds: Vec<_> = groups[0].kinds.iter().map(|k| (k.kind, k.items.len())).collect();
        assert_eq!(kinds, vec![(ReminderKind::Birthday, 1), (ReminderKind::Renewal, 2)]);
        assert_eq!(groups[1].day, NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        assert_eq!(groups[1].kinds[0].items[0].id, "d");
    }

    #[test]
    fn totals_follow_the_kind_the_lists_are_narrowed_to() {
        let count = |kind, due, upcoming| KindCount { kind, due, upcoming };
        let counts = vec![count(ReminderKind::Birthday, 2, 4), count(ReminderKind::Renewal, 0, 1), count(ReminderKind::Churn, 3000, 0)];
        let mut mine = MyReminders { counts, ..MyReminders::default() };
        assert_eq!((mine.due_total(), mine.upcoming_total()), (3002, 5));
        mine.only = Some(ReminderKind::Birthday);
        assert_eq!((mine.due_total(), mine.upcoming_total()), (2, 4));
        mine.only = Some(ReminderKind::Season);
        assert_eq!((mine.due_total(), mine.upcoming_total()), (0, 0));
    }

    #[test]
    fn a_snooze_is_local_time_in_the_future_within_a_year() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(); // 10:00 in Beijing
        assert_eq!(parse_snooze("2026-11-23T14:30", now, beijing()), Ok(Utc.with_ymd_and_hms(2026, 11, 23, 6, 30, 0).unwrap()));
        let problem = |v: &str| parse_snooze(v, now, beijing()).unwrap_err()[0].problem.clone();
        assert_eq!(problem(""), Problem::Required);
        assert_eq!(problem("tomorrow"), Problem::InvalidDate);
        assert_eq!(problem("2026-11-23T09:59"), Problem::NotInFuture);
        assert_eq!(problem("2028-01-01T09:00"), Problem::OutOfRange { min: 0, max: SNOOZE_MAX_DAYS });
    }
}
