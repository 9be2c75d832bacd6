//! Collecting a form's field problems while cleaning its values: the one helper every
//! validator in the domain uses (customers, deals, reminders, orders).

use chrono::{Datelike, NaiveDate};

use crate::customers::normalize::clean_line;
use crate::money::parse_money;
use crate::problem::{FieldError, Problem};

/// Collects field errors while cleaning values.
#[derive(Default)]
pub(crate) struct Check {
    pub(crate) errors: Vec<FieldError>,
}

impl Check {
    pub(crate) fn fail(&mut self, field: &str, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    /// A single-line text; `required` rejects blank. Returns the cleaned value.
    pub(crate) fn line(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        // Count at most max+1 characters: a 10 MB paste is rejected without walking it.
        if value.chars().nth(max).is_some() {
            self.fail(field, Problem::TooLong { max });
            return String::new();
        }
        let cleaned = clean_line(value);
        if required && cleaned.is_empty() {
            self.fail(field, Problem::Required);
        }
        cleaned
    }

    /// Multi-line text: kept as typed apart from surrounding space.
    pub(crate) fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        if value.chars().nth(max).is_some() {
            self.fail(field, Problem::TooLong { max });
            return String::new();
        }
        let trimmed = value.trim().to_string();
        if required && trimmed.is_empty() {
            self.fail(field, Problem::Required);
        }
        trimmed
    }

    /// An optional `YYYY-MM-DD` date; `past_only` rejects dates after `today`.
    pub(crate) fn date(&mut self, field: &str, value: &str, today: NaiveDate, past_only: bool) -> Option<NaiveDate> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") else {
            self.fail(field, Problem::InvalidDate);
            return None;
        };
        if date.year() < 1900 {
            self.fail(field, Problem::DateTooOld);
            None
        } else if past_only && date > today {
            self.fail(field, Problem::DateInFuture);
            None
        } else if date.year() > today.year() + 100 {
            // A year like 10000 is a typo, not a plan.
            self.fail(field, Problem::InvalidDate);
            None
        } else {
            Some(date)
        }
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }

    pub(crate) fn money(&mut self, field: &str, value: &str, required: bool) -> i64 {
        if value.trim().is_empty() {
            if required {
                self.fail(field, Problem::Required);
            }
            return 0;
        }
        if value.len() > 40 {
            self.fail(field, Problem::InvalidAmount);
            return 0;
        }
        parse_money(value).unwrap_or_else(|problem| {
            self.fail(field, problem);
            0
        })
    }

    /// A whole number in `min..=max`.
    pub(crate) fn whole(&mut self, field: &str, value: &str, min: u32, max: u32) -> Option<u32> {
        match value.trim().parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                self.fail(field, Problem::OutOfRange { min: min as i64, max: max as i64 });
                None
            }
        }
    }

    pub(crate) fn required_date(&mut self, field: &str, value: &str, today: NaiveDate) -> Option<NaiveDate> {
        if value.trim().is_empty() {
            self.fail(field, Problem::Required);
            return None;
        }
        self.date(field, value, today, false)
    }
}
