//! Progress against a target: what it was on each day (a target changed mid-period is kept as
//! history, not overwritten), the pace line ("应完成 55%，实际 48%"), when someone behind pace
//! is warned, and the milestones (50 / 90 / 100 %) a change crosses.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::Period;

/// One value of a target, from a day on (until the next change).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetChange {
    pub from: NaiveDate,
    pub amount: i64,
}

/// What the target was on `day`: the last change made on or before it (the first one for a
/// day before any change — a target set late still counts for the whole period).
pub fn target_on(history: &[TargetChange], day: NaiveDate) -> Option<i64> {
    let mut sorted: Vec<&TargetChange> = history.iter().collect();
    sorted.sort_by_key(|c| c.from);
    sorted.iter().rev().find(|c| c.from <= day).or(sorted.first()).map(|c| c.amount)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    pub target: i64,
    pub actual: i64,
    /// What should be done by now if the target is spread evenly over the period's days.
    pub expected: i64,
    /// Of the target, in percent (one decimal).
    pub expected_percent: f64,
    pub actual_percent: f64,
}

impl Pace {
    /// Percentage points behind the pace line (negative: ahead).
    pub fn behind_points(&self) -> f64 {
        ((self.expected_percent - self.actual_percent) * 10.0).round() / 10.0
    }
}

fn percent(part: f64, whole: f64) -> f64 {
    if whole <= 0.0 { 0.0 } else { (part * 1000.0 / whole).round() / 10.0 }
}

/// Progress on `today` (the end of the day counted as passed).
pub fn pace(period: Period, target: i64, actual: i64, today: NaiveDate) -> Pace {
    let share = period.elapsed_share(today);
    let expected = (target as f64 * share).round() as i64;
    Pace { target, actual, expected, expected_percent: (share * 1000.0).round() / 10.0, actual_percent: percent(actual as f64, target as f64) }
}

/// When someone behind pace is warned: from this day of the period on, when they are more
/// than this many percentage points behind.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WarnRule {
    pub from_day: u32,
    pub behind_points: f64,
}

impl Default for WarnRule {
    fn default() -> Self {
        WarnRule { from_day: 15, behind_points: 10.0 }
    }
}

pub fn should_warn(period: Period, p: &Pace, today: NaiveDate, rule: &WarnRule) -> bool {
    period.contains(today) && p.target > 0 && period.day_number(today) >= i64::from(rule.from_day) && p.behind_points() > rule.behind_points
}

pub const MILESTONES: [u32; 3] = [50, 90, 100];

/// The milestones crossed going from `before` to `after` (in percent of the target).
pub fn milestones_crossed(before: f64, after: f64) -> Vec<u32> {
    MILESTONES.into_iter().filter(|m| before < f64::from(*m) && after >= f64::from(*m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_pace_line_on_months_of_every_length_and_a_quarter() {
        // 14 of February's 28 days passed: half should be done.
        let feb = pace(Period::Month(2027, 2), 100_000, 40_000, d(2027, 2, 14));
        assert_eq!((feb.expected, feb.expected_percent, feb.actual_percent), (50_000, 50.0, 40.0));
        assert_eq!(feb.behind_points(), 10.0);
        // The same day in a leap February: 14 of 29.
        assert_eq!(pace(Period::Month(2028, 2), 29_000, 0, d(2028, 2, 14)).expected, 14_000);
        assert_eq!(pace(Period::Month(2027, 4), 30_000, 0, d(2027, 4, 10)).expected, 10_000);
        assert_eq!(pace(Period::Month(2027, 1), 31_000, 0, d(2027, 1, 31)).expected_percent, 100.0);
        // Q3 has 92 days; on 15 August 46 have passed.
        let q3 = pace(Period::Quarter(2027, 3), 920, 480, d(2027, 8, 15));
        assert_eq!((q3.expected, q3.expected_percent, q3.actual_percent), (460, 50.0, 52.2));
        assert!(q3.behind_points() < 0.0, "ahead");
        // No target: nothing to be behind.
        assert_eq!(pace(Period::Month(2027, 2), 0, 10, d(2027, 2, 14)).actual_percent, 0.0);
    }

    #[test]
    fn a_target_changed_mid_period_is_kept_as_history() {
        let history = vec![TargetChange { from: d(2027, 7, 1), amount: 100 }, TargetChange { from: d(2027, 7, 16), amount: 150 }];
        assert_eq!(target_on(&history, d(2027, 7, 15)), Some(100));
        assert_eq!(target_on(&history, d(2027, 7, 16)), Some(150));
        assert_eq!(target_on(&history, d(2027, 6, 30)), Some(100), "set late: counts for the whole period");
        assert_eq!(target_on(&[], d(2027, 7, 1)), None);
        // The pace follows the target as it is now.
        let now = target_on(&history, d(2027, 7, 20)).unwrap();
        assert_eq!(pace(Period::Month(2027, 7), now, 60, d(2027, 7, 20)).actual_percent, 40.0);
    }

    #[test]
    fn warnings_start_on_the_configured_day_and_need_a_real_gap() {
        let rule = WarnRule::default();
        let month = Period::Month(2027, 3);
        let behind = |day: u32, actual: i64| should_warn(month, &pace(month, 3100, actual, d(2027, 3, day)), d(2027, 3, day), &rule);
        assert!(!behind(14, 0), "before the 15th nobody is warned");
        assert!(behind(15, 0));
        assert!(!behind(15, 1500), "on pace");
        assert!(!behind(15, 1200), "9.7 points behind is within the threshold");
        assert!(behind(15, 1100));
        assert!(!should_warn(month, &pace(month, 0, 0, d(2027, 3, 20)), d(2027, 3, 20), &rule), "no target");
        assert!(!should_warn(month, &pace(month, 3100, 0, d(2027, 4, 20)), d(2027, 4, 20), &rule), "over");
    }

    #[test]
    fn milestones_are_announced_once_when_crossed() {
        assert_eq!(milestones_crossed(40.0, 55.0), vec![50]);
        assert_eq!(milestones_crossed(49.9, 100.0), vec![50, 90, 100]);
        assert!(milestones_crossed(50.0, 60.0).is_empty());
        assert!(milestones_crossed(95.0, 80.0).is_empty());
    }
}
