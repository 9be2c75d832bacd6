//! Do-not-disturb (免打扰): checking a window as typed, and moving an outreach reminder out
//! of every window to the first time the customer may be contacted, saying which window moved
//! it.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use super::types::{DndRule, DndWindow};
use crate::check::Check;
use crate::problem::{FieldError, Problem};

/// The longest date window: a year. Longer is "never contact", which is a different decision.
pub const DATES_MAX_DAYS: i64 = 366;
pub const REASON_MAX: usize = 200;

/// A window as typed: either dates (`from`, `to`) or hours (`not_before`, `not_after`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DndInput {
    pub from: String,
    pub to: String,
    pub not_before: String,
    pub not_after: String,
    pub reason: String,
}

fn time(check: &mut Check, field: &str, value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    NaiveTime::parse_from_str(value, "%H:%M").ok().or_else(|| {
        check.fail(field, Problem::InvalidTime);
        None
    })
}

/// Checks a window: dates that run forward for at most a year and have not already ended,
/// or hours with the start before the end; and a reason.
pub fn validate_dnd(input: &DndInput, today: NaiveDate) -> Result<(DndRule, String), Vec<FieldError>> {
    let mut c = Check::default();
    let reason = c.line("reason", &input.reason, REASON_MAX, true);
    let from = c.date("from", &input.from, today, false);
    let to = c.date("to", &input.to, today, false);
    let not_before = time(&mut c, "not_before", &input.not_before);
    let not_after = time(&mut c, "not_after", &input.not_after);
    let has_dates = !input.from.trim().is_empty() || !input.to.trim().is_empty();
    let has_hours = !input.not_before.trim().is_empty() || !input.not_after.trim().is_empty();
    let rule = match (has_dates, has_hours) {
        (true, true) => {
            c.fail("from", Problem::EitherDatesOrHours);
            None
        }
        (false, false) => {
            c.fail("from", Problem::Required);
            None
        }
        (true, false) => match (from, to) {
            (Some(from), Some(to)) if to < from => {
                c.fail("to", Problem::EndBeforeStart);
                None
            }
            (Some(_), Some(to)) if to < today => {
                c.fail("to", Problem::DateTooOld);
                None
            }
            (Some(from), Some(to)) if to - from >= Duration::days(DATES_MAX_DAYS) => {
                c.fail("to", Problem::OutOfRange { min: 1, max: DATES_MAX_DAYS });
                None
            }
            (Some(from), Some(to)) => Some(DndRule::Dates { from, to }),
            (from, to) => {
                for (field, value, parsed) in [("from", &input.from, from), ("to", &input.to, to)] {
                    if value.trim().is_empty() && parsed.is_none() {
                        c.fail(field, Problem::Required);
                    }
                }
                None
            }
        },
        (false, true) => {
            let not_before = not_before.unwrap_or(NaiveTime::MIN);
            let not_after = not_after.unwrap_or_else(|| NaiveTime::from_hms_opt(23, 59, 0).unwrap_or(NaiveTime::MIN));
            if not_after <= not_before {
                c.fail("not_after", Problem::EndBeforeStart);
                None
            } else {
                Some(DndRule::Hours { not_before, not_after })
            }
        }
    };
    match rule {
        Some(rule) if c.errors.is_empty() => Ok((rule, reason)),
        _ => Err(c.errors),
    }
}

/// A window in a line, language-neutral (dates and times), for the audit log.
pub fn describe(rule: &DndRule) -> String {
    match rule {
        DndRule::Dates { from, to } => format!("{from} – {to}"),
        DndRule::Hours { not_before, not_after } => format!("{} – {}", not_before.format("%H:%M"), not_after.format("%H:%M")),
    }
}

/// Whether a window is in force on `today` (hour windows always are).
pub fn in_force(rule: &DndRule, today: NaiveDate) -> bool {
    match rule {
        DndRule::Dates { from, to } => *from <= today && today <= *to,
        DndRule::Hours { .. } => true,
    }
}

/// Whether a window is still in force today (hour windows always are).
pub fn is_active(rule: &DndRule, today: NaiveDate) -> bool {
    match rule {
        DndRule::Dates { to, .. } => *to >= today,
        DndRule::Hours { .. } => true,
    }
}

/// The first moment at or after `due` outside every window, in UTC, and the window that
/// moved it last (`None` if `due` was already allowed). Windows are read in local time.
pub fn first_allowed<'a>(due: DateTime<Utc>, windows: &'a [DndWindow], offset: FixedOffset) -> (DateTime<Utc>, Option<&'a DndWindow>) {
    let mut at = due.with_timezone(&offset).naive_local();
    let mut moved_by = None;
    // Each pass moves the time forward past one window; a few passes settle any mix of
    // date and hour windows (an hour window alone moves at most to the next morning).
    for _ in 0..(2 * windows.len() + 2) {
        let mut moved = false;
        for window in windows {
            let next = match &window.rule {
                DndRule::Dates { from, to } if at.date() >= *from && at.date() <= *to => {
                    // Keep the time of day the rule chose, on the day after the window.
                    Some((*to + Duration::days(1)).and_time(at.time()))
                }
                DndRule::Hours { not_before, .. } if at.time() < *not_before => Some(at.date().and_time(*not_before)),
                DndRule::Hours { not_before, not_after } if at.time() > *not_after => {
                    Some((at.date() + Duration::days(1)).and_time(*not_before))
                }
                _ => None,
            };
            if let Some(next) = next {
                at = next;
                moved = true;
                moved_by = Some(window);
            }
        }
        if !moved {
            break;
        }
    }
    let utc = (at - Duration::seconds(offset.local_minus_utc() as i64)).and_utc();
    (utc, moved_by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn beijing() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn window(id: &str, rule: DndRule) -> DndWindow {
        DndWindow { id: id.into(), customer_id: "c1".into(), rule, reason: format!("理由 {id}"), created_at: Utc::now() }
    }

    /// A local Beijing time as UTC.
    fn local(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
        beijing().with_ymd_and_hms(y, m, day, h, min, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_due_time_inside_a_week_off_moves_to_the_day_after() {
        let week = window("w", DndRule::Dates { from: d(2026, 11, 23), to: d(2026, 11, 29) });
        let windows = [week];
        let (at, by) = first_allowed(local(2026, 11, 25, 9, 0), &windows, beijing());
        assert_eq!(at, local(2026, 11, 30, 9, 0));
        assert_eq!(by.map(|w| w.id.as_str()), Some("w"));
        // Outside it: unchanged, and nothing to explain.
        assert_eq!(first_allowed(local(2026, 12, 1, 9, 0), &windows, beijing()), (local(2026, 12, 1, 9, 0), None));
    }

    #[test]
    fn never_before_nine_and_after_six_move_to_the_next_allowed_morning() {
        let hours = [window("h", DndRule::Hours { not_before: t(9, 30), not_after: t(18, 0) })];
        assert_eq!(first_allowed(local(2026, 11, 25, 8, 0), &hours, beijing()).0, local(2026, 11, 25, 9, 30));
        assert_eq!(first_allowed(local(2026, 11, 25, 20, 0), &hours, beijing()).0, local(2026, 11, 26, 9, 30));
        assert_eq!(first_allowed(local(2026, 11, 25, 12, 0), &hours, beijing()).1, None);
    }

    #[test]
    fn windows_combine_until_the_time_is_allowed_by_all() {
        // Evening due time, next morning falls in a blocked week, so it lands after the week.
        let windows = [
            window("h", DndRule::Hours { not_before: t(10, 0), not_after: t(17, 0) }),
            window("w", DndRule::Dates { from: d(2026, 11, 26), to: d(2026, 11, 27) }),
        ];
        let (at, _) = first_allowed(local(2026, 11, 25, 20, 0), &windows, beijing());
        assert_eq!(at, local(2026, 11, 28, 10, 0));
    }

    #[test]
    fn windows_are_read_in_local_time_not_utc() {
        // 2026-11-30 01:00 UTC is 09:00 on 30 November in Beijing: just after the window.
        let week = [window("w", DndRule::Dates { from: d(2026, 11, 23), to: d(2026, 11, 29) })];
        let due = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();
        assert_eq!(first_allowed(due, &week, beijing()), (due, None));
        // The same instant is still 29 November in New York, inside the window there.
        let new_york = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_ne!(first_allowed(due, &week, new_york).0, due);
    }

    #[test]
    fn malformed_windows_are_refused_by_field() {
        let today = d(2026, 11, 22);
        let input = |from: &str, to: &str, nb: &str, na: &str| DndInput {
            from: from.into(),
            to: to.into(),
            not_before: nb.into(),
            not_after: na.into(),
            reason: "客户出差".into(),
        };
        let fields = |i: DndInput| validate_dnd(&i, today).unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect::<Vec<_>>();
        assert_eq!(fields(input("2026-11-30", "2026-11-23", "", "")), vec![("to".to_string(), Problem::EndBeforeStart)]);
        assert_eq!(fields(input("2026-11-01", "2026-11-05", "", "")), vec![("to".to_string(), Problem::DateTooOld)]);
        assert_eq!(fields(input("2026-11-23", "2028-11-23", "", "")), vec![("to".to_string(), Problem::OutOfRange { min: 1, max: 366 })]);
        assert_eq!(fields(input("2026-13-01", "2026-11-30", "", "")), vec![("from".to_string(), Problem::InvalidDate)]);
        assert_eq!(fields(input("", "", "25:00", "")), vec![("not_before".to_string(), Problem::InvalidTime)]);
        assert_eq!(fields(input("", "", "18:00", "09:00")), vec![("not_after".to_string(), Problem::EndBeforeStart)]);
        assert_eq!(fields(input("2026-11-23", "2026-11-29", "09:00", "")), vec![("from".to_string(), Problem::EitherDatesOrHours)]);
        assert_eq!(fields(input("", "", "", "")), vec![("from".to_string(), Problem::Required)]);
        let no_reason = DndInput { reason: " ".into(), ..input("2026-11-23", "2026-11-29", "", "") };
        assert_eq!(fields(no_reason), vec![("reason".to_string(), Problem::Required)]);
        assert_eq!(
            validate_dnd(&input("", "", "09:00", ""), today),
            Ok((DndRule::Hours { not_before: t(9, 0), not_after: t(23, 59) }, "客户出差".to_string()))
        );
        assert!(is_active(&DndRule::Dates { from: d(2026, 11, 1), to: d(2026, 11, 22) }, today));
        assert!(!is_active(&DndRule::Dates { from: d(2026, 11, 1), to: d(2026, 11, 21) }, today));
        // Upcoming is active (still to come) but not yet in force.
        let upcoming = DndRule::Dates { from: d(2026, 11, 23), to: d(2026, 11, 29) };
        assert!(is_active(&upcoming, today) && !in_force(&upcoming, today));
        assert!(in_force(&DndRule::Dates { from: d(2026, 11, 22), to: d(2026, 11, 22) }, today));
        assert_eq!(describe(&DndRule::Hours { not_before: t(9, 0), not_after: t(18, 0) }), "09:00 – 18:00");
    }
}
