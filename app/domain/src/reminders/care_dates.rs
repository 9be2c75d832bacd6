//! A customer's care dates (关怀日) as typed: a name and a month-day, checked by field.

use serde::{Deserialize, Serialize};

use crate::check::Check;
use crate::problem::{FieldError, Problem};

pub const LABEL_MAX: usize = 30;
/// More than this is a calendar, not a list of dates that matter.
pub const PER_CUSTOMER_MAX: usize = 20;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareDateInput {
    pub label: String,
    /// `MM-DD`, e.g. `02-17`; 29 February is allowed (kept on the 28th in other years).
    pub date: String,
}

/// A month-day: `02-17`, `2-17` or `2月17日`.
pub fn parse_month_day(value: &str) -> Option<(u32, u32)> {
    let cleaned = value.trim().trim_end_matches('日').replace('月', "-");
    let (m, d) = cleaned.split_once('-')?;
    let (month, day): (u32, u32) = (m.trim().parse().ok()?, d.trim().parse().ok()?);
    // A leap year accepts every real month-day, 29 February included.
    chrono::NaiveDate::from_ymd_opt(2024, month, day).map(|_| (month, day))
}

pub fn validate_care_date(input: &CareDateInput) -> Result<(String, u32, u32), Vec<FieldError>> {
    let mut c = Check::default();
    let label = c.line("label", &input.label, LABEL_MAX, true);
    let date = if input.date.trim().is_empty() {
        c.fail("date", Problem::Required);
        None
    } else {
        let parsed = parse_month_day(&input.date);
        if parsed.is_none() {
            c.fail("date", Problem::InvalidDate);
        }
        parsed
    };
    match date {
        Some((month, day)) if c.errors.is_empty() => Ok((label, month, day)),
        _ => Err(c.errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days_are_read_loosely_and_checked() {
        assert_eq!(parse_month_day("02-17"), Some((2, 17)));
        assert_eq!(parse_month_day(" 2-29 "), Some((2, 29)));
        assert_eq!(parse_month_day("9月10日"), Some((9, 10)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("soon"), None);
    }

    #[test]
    fn a_care_date_needs_a_name_and_a_real_day() {
        let ok = CareDateInput { label: "春节".into(), date: "02-17".into() };
        assert_eq!(validate_care_date(&ok), Ok(("春节".into(), 2, 17)));
        let errors = validate_care_date(&CareDateInput { label: " ".into(), date: "04-31".into() }).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.problem.clone())).collect();
        assert_eq!(fields, vec![("label", Problem::Required), ("date", Problem::InvalidDate)]);
    }
}
