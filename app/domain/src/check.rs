//! Collecting a form's field problems while cleaning its values: the one helper every
//! validator in the domain uses (customers, deals, reminders, orders).

use chrono::{Datelike, NaiveDate};

use crate::customers::normalize::clean_line;
use crate::money::parse_money;
use crate::problem::{FieldError, Problem};

/// The years a date typed into Kehu may have: anything outside is a typo, and far outside it
/// (year 262143) date arithmetic would overflow.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// A `YYYY-MM-DD` day within [`YEARS`].
pub fn parse_day(text: &str) -> Result<NaiveDate, Problem> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| Problem::InvalidDate)?;
    match day.year() {
        y if y < *YEARS.start() => Err(Problem::DateTooOld),
        y if y > *YEARS.end() => Err(Problem::InvalidDate),
        _ => Ok(day),
    }
}

/// Characters nobody types on purpose into a CRM and that change how text reads or ends: the
/// C0 and C1 controls (NUL, ESC, …) and the bidirectional overrides and isolates (U+202A–E,
/// U+2066–9) that make "evil.exe" display as "exe.live".
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Collects field errors while cleaning values.
#[derive(Default)]
pub struct Check {
    pub errors: Vec<FieldError>,
}

impl Check {
    pub fn fail(&mut self, field: &str, problem: Problem) {
        self.errors.push(FieldError::new(field, problem));
    }

    /// A single-line text; `required` rejects blank. Returns the cleaned value.
    pub fn line(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        // Count at most max+1 characters: a 10 MB paste is rejected without walking it.
        if value.chars().nth(max).is_some() {
            self.fail(field, Problem::TooLong { max });
            return String::new();
        }
        // Tabs and line breaks only separate words here; every other control is refused.
        if value.chars().any(|c| is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r')) {
            self.fail(field, Problem::ControlCharacters);
            return String::new();
        }
        let cleaned = clean_line(value);
        if required && cleaned.is_empty() {
            self.fail(field, Problem::Required);
        }
        cleaned
    }

    /// Multi-line text: kept as typed apart from surrounding space.
    pub fn text(&mut self, field: &str, value: &str, max: usize, required: bool) -> String {
        if value.chars().nth(max).is_some() {
            self.fail(field, Problem::TooLong { max });
            return String::new();
        }
        if value.chars().any(|c| is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r')) {
            self.fail(field, Problem::ControlCharacters);
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

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FieldError>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_bounded_so_arithmetic_cannot_overflow() {
        assert_eq!(parse_day("2026-12-31").map(|d| d.year()), Ok(2026));
        assert_eq!(parse_day("+262142-12-31"), Err(Problem::InvalidDate));
        assert_eq!(parse_day("-262144-01-01"), Err(Problem::InvalidDate));
        assert_eq!(parse_day("1899-12-31"), Err(Problem::DateTooOld));
        assert_eq!(parse_day("2026-02-30"), Err(Problem::InvalidDate));
    }

    #[test]
    fn control_characters_and_direction_overrides_are_refused_by_field() {
        let mut c = Check::default();
        assert_eq!(c.line("name", "\u{202E}evil\u{0000}name", 200, true), "");
        assert_eq!(c.line("city", "Beijing\u{001B}[31m", 200, false), "");
        assert_eq!(c.text("notes", "第一行\n第二行\t缩进", 200, false), "第一行\n第二行\t缩进");
        assert_eq!(c.text("summary", "a\u{2067}b", 200, false), "");
        assert_eq!(c.line("title", "经理\u{0085}", 200, false), "", "a C1 control");
        let fields: Vec<(&str, &Problem)> = c.errors.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
        assert_eq!(
            fields,
            vec![
                ("name", &Problem::ControlCharacters),
                ("city", &Problem::ControlCharacters),
                ("summary", &Problem::ControlCharacters),
                ("title", &Problem::ControlCharacters),
            ]
        );
        // What people do type stays: emoji, full-width, Arabic and Hebrew letters.
        let mut ok = Check::default();
        assert_eq!(ok.line("name", "星河 🚀 ＡＢＣ مرحبا שלום", 200, true), "星河 🚀 ＡＢＣ مرحبا שלום");
        assert!(ok.errors.is_empty());
    }
}
