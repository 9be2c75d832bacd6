//! The working calendar (工作日历): the hours a service team works on each weekday, with a
//! lunch break; public holidays; and 调休 make-up working days (a Saturday that is worked),
//! which iCal holiday feeds cannot express. SLA clocks count only the minutes inside it.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use serde::{Deserialize, Serialize};

/// How far ahead a deadline is looked for: a calendar with (almost) no working time must not
/// make the search run forever.
pub const SEARCH_DAYS: u32 = 3 * 366;

/// A stretch of working time within one day, in minutes after local midnight (`start < end`,
/// `end` at most 24:00).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u16,
    pub end: u16,
}

impl Span {
    pub fn minutes(self) -> i64 {
        i64::from(self.end) - i64::from(self.start)
    }

    fn on(self, day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        (midnight + Duration::minutes(self.start.into()), midnight + Duration::minutes(self.end.into()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendar {
    /// Minutes east of UTC in which the hours are meant (Beijing: 480). Fixed, because China
    /// has no daylight saving time; a team elsewhere sets its own.
    pub utc_offset_minutes: i32,
    /// The working spans of each weekday, Monday first, in order and not overlapping.
    pub week: [Vec<Span>; 7],
    /// Public holidays: no working time, whatever the weekday.
    pub holidays: BTreeSet<NaiveDate>,
    /// 调休: days worked although their weekday is normally free. They keep the hours of a
    /// usual working day (the first weekday that has hours).
    pub make_up_days: BTreeSet<NaiveDate>,
}

impl Default for WorkCalendar {
    /// Monday to Friday, 09:00–12:00 and 13:30–18:00, Beijing time, no holidays entered.
    fn default() -> Self {
        let day = vec![Span { start: 9 * 60, end: 12 * 60 }, Span { start: 13 * 60 + 30, end: 18 * 60 }];
        WorkCalendar {
            utc_offset_minutes: 8 * 60,
            week: [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()],
            holidays: BTreeSet::new(),
            make_up_days: BTreeSet::new(),
        }
    }
}

impl WorkCalendar {
    pub fn offset(&self) -> FixedOffset {
        // Validation keeps the offset within ±14 h; anything else falls back to UTC.
        FixedOffset::east_opt(self.utc_offset_minutes * 60).unwrap_or(Utc.fix())
    }

    fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset()).naive_local()
    }

    fn utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        (local - Duration::minutes(self.utc_offset_minutes.into())).and_utc()
    }

    /// The hours worked on a day of the calendar's own time zone.
    pub fn spans_on(&self, day: NaiveDate) -> &[Span] {
        if self.holidays.contains(&day) {
            return &[];
        }
        if self.make_up_days.contains(&day) {
            return self.week.iter().find(|spans| !spans.is_empty()).map(Vec::as_slice).unwrap_or(&[]);
        }
        &self.week[day.weekday().num_days_from_monday() as usize]
    }

    /// Whether a day is worked at all.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !self.spans_on(day).is_empty()
    }

    /// The working time between two moments (nothing when `to` is not after `from`).
    pub fn working_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        if to <= from {
            return Duration::zero();
        }
        let (from, to) = (self.local(from), self.local(to));
        let mut total = Duration::zero();
        let mut day = from.date();
        while day <= to.date() {
            for span in self.spans_on(day) {
                let (start, end) = span.on(day);
                let (start, end) = (start.max(from), end.min(to));
                if end > start {
                    total += end - start;
                }
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        total
    }

    /// The moment `work` of working time after `start`: a deadline. `None` when the calendar
    /// has too little working time to get there within [`SEARCH_DAYS`].
    pub fn add_working(&self, start: DateTime<Utc>, work: Duration) -> Option<DateTime<Utc>> {
        if work <= Duration::zero() {
            return Some(start);
        }
        let from = self.local(start);
        let mut left = work;
        let mut day = from.date();
        for _ in 0..SEARCH_DAYS {
            for span in self.spans_on(day) {
                let (span_start, end) = span.on(day);
                let begin = span_start.max(from);
                if end <= begin {
                    continue;
                }
                if end - begin >= left {
                    return Some(self.utc(begin + left));
                }
                left -= end - begin;
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The working minutes of a usual week, for the settings page ("37.5 h a week").
    pub fn weekly_minutes(&self) -> i64 {
        self.week.iter().flatten().map(|span| span.minutes()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn beijing(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        let offset = FixedOffset::east_opt(8 * 3600).unwrap();
        offset.with_ymd_and_hms(y, m, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_morning_hour_and_the_lunch_break() {
        let cal = WorkCalendar::default();
        // Wednesday 2026-12-02, 11:00 to 14:30: one hour before lunch, one after.
        assert_eq!(cal.working_between(beijing(2026, 12, 2, 11, 0), beijing(2026, 12, 2, 14, 30)), Duration::hours(2));
        // Four working hours from 11:00: 12:00 (1 h), lunch, 13:30 → 16:30.
        assert_eq!(cal.add_working(beijing(2026, 12, 2, 11, 0), Duration::hours(4)), Some(beijing(2026, 12, 2, 16, 30)));
    }

    #[test]
    fn a_ticket_raised_at_night_starts_counting_next_morning() {
        let cal = WorkCalendar::default();
        assert_eq!(cal.add_working(beijing(2026, 12, 2, 22, 0), Duration::hours(1)), Some(beijing(2026, 12, 3, 10, 0)));
        assert_eq!(cal.working_between(beijing(2026, 12, 2, 18, 0), beijing(2026, 12, 3, 9, 0)), Duration::zero());
    }

    #[test]
    fn the_weekend_is_skipped() {
        let cal = WorkCalendar::default();
        // Friday 2026-12-04 17:00 plus 2 h: one hour on Friday, one on Monday.
        assert_eq!(cal.add_working(beijing(2026, 12, 4, 17, 0), Duration::hours(2)), Some(beijing(2026, 12, 7, 10, 0)));
        assert_eq!(cal.working_between(beijing(2026, 12, 4, 17, 0), beijing(2026, 12, 7, 10, 0)), Duration::hours(2));
    }

    #[test]
    fn a_holiday_is_skipped_and_a_make_up_saturday_is_worked() {
        let mut cal = WorkCalendar::default();
        // 国庆 2026: 1–7 October off; Saturday 10 October worked (调休).
        for d in 1..=7 {
            cal.holidays.insert(day(2026, 10, d));
        }
        cal.make_up_days.insert(day(2026, 10, 10));
        assert!(!cal.is_working_day(day(2026, 10, 5)));
        assert!(cal.is_working_day(day(2026, 10, 10)));
        // Wednesday 30 September 17:00 plus 8 h: 1 h that day, the holidays skipped, then
        // Thursday 8 October gives 3 h in the morning and 4 h after lunch → 17:30.
        assert_eq!(cal.add_working(beijing(2026, 9, 30, 17, 0), Duration::hours(8)), Some(beijing(2026, 10, 8, 17, 30)));
        // Friday 9 October 17:00 plus 2 h: 1 h that day, the second on the make-up Saturday.
        assert_eq!(cal.add_working(beijing(2026, 10, 9, 17, 0), Duration::hours(2)), Some(beijing(2026, 10, 10, 10, 0)));
    }

    #[test]
    fn a_deadline_crosses_the_new_year() {
        let mut cal = WorkCalendar::default();
        cal.holidays.insert(day(2027, 1, 1));
        // Thursday 31 December 2026 16:00 plus 4 h: 2 h that day, New Year's Day off, then the
        // weekend, so Monday 4 January 2027 11:00.
        assert_eq!(cal.add_working(beijing(2026, 12, 31, 16, 0), Duration::hours(4)), Some(beijing(2027, 1, 4, 11, 0)));
        assert_eq!(cal.working_between(beijing(2026, 12, 31, 16, 0), beijing(2027, 1, 4, 11, 0)), Duration::hours(4));
    }

    #[test]
    fn hours_are_meant_in_the_calendars_own_time_zone() {
        let mut cal = WorkCalendar::default();
        // A team in Berlin in winter (UTC+1): 09:00 there is 08:00 UTC.
        cal.utc_offset_minutes = 60;
        let nine_berlin = Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap();
        assert_eq!(cal.add_working(nine_berlin, Duration::hours(1)), Some(Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap()));
        // The same moment is 16:00 in Beijing: two hours of a Beijing day are left.
        let beijing_cal = WorkCalendar::default();
        assert_eq!(beijing_cal.working_between(nine_berlin, beijing(2026, 12, 2, 23, 0)), Duration::hours(2));
    }

    #[test]
    fn a_calendar_without_working_time_gives_no_deadline() {
        let cal = WorkCalendar { week: Default::default(), ..WorkCalendar::default() };
        assert_eq!(cal.add_working(beijing(2026, 12, 2, 9, 0), Duration::hours(1)), None);
        assert_eq!(cal.add_working(beijing(2026, 12, 2, 9, 0), Duration::zero()), Some(beijing(2026, 12, 2, 9, 0)));
    }

    #[test]
    fn a_span_may_end_at_midnight() {
        let mut cal = WorkCalendar::default();
        cal.week[0] = vec![Span { start: 20 * 60, end: 24 * 60 }];
        // Monday 2026-11-30 23:00 plus 2 h: one hour to midnight, then Tuesday's 09:00–10:00.
        assert_eq!(cal.add_working(beijing(2026, 11, 30, 23, 0), Duration::hours(2)), Some(beijing(2026, 12, 1, 10, 0)));
        assert_eq!(cal.weekly_minutes(), 4 * 60 + 4 * 450);
    }
}
