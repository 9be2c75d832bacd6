//! The working calendar as an admin types it: hours per weekday ("09:00-12:00, 13:30-18:00"),
//! and holidays and 调休 days pasted one date or range per line ("2026-10-01~2026-10-07 国庆节"),
//! checked into a [`WorkCalendar`] and shown back the same way.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::{Span, WorkCalendar};
use crate::check::{parse_day, Check};
use crate::problem::{FieldError, Problem};

/// The form's names of the weekday fields, Monday first.
pub const WEEKDAY_FIELDS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// More stretches in a day than this is a typo, not a shift plan.
pub const SPANS_MAX: usize = 6;
/// A holiday range longer than this (Spring Festival is 8–9 days) is a typo.
pub const RANGE_MAX_DAYS: i64 = 60;
pub const LINES_MAX: usize = 400;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarInput {
    /// East of UTC, e.g. `+08:00` (also `UTC+8`, `8`, `-05:00`).
    pub utc_offset: String,
    /// Per weekday, Monday first: `09:00-12:00, 13:30-18:00`, empty for a free day.
    pub week: [String; 7],
    /// One date or range per line, a name after it allowed.
    pub holidays: String,
    pub make_up_days: String,
}

fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim().trim_start_matches("UTC").trim_start_matches("GMT").trim();
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "0"));
    let (hours, minutes): (i32, i32) = (hours.trim().parse().ok()?, minutes.trim().parse().ok()?);
    let total = hours * 60 + minutes;
    ((0..60).contains(&minutes) && total <= 14 * 60).then_some(sign * total)
}

/// `9:00`, `09:00` or `24:00` as minutes after midnight.
fn parse_clock(text: &str) -> Option<u16> {
    let text = text.trim().replace('：', ":");
    let (hours, minutes) = text.split_once(':')?;
    if !(1..=2).contains(&hours.len()) || minutes.len() != 2 {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let total = hours * 60 + minutes;
    (minutes < 60 && total <= 24 * 60).then_some(total)
}

/// Range separators people type between two times or two dates, made into ` ~ `.
fn normalise_ranges(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '~' | '～' | '至' | '到' | '–' | '—' => out.push_str(" ~ "),
            _ => out.push(c),
        }
    }
    out
}

/// One weekday's hours, in order and not overlapping.
fn parse_spans(text: &str) -> Result<Vec<Span>, Problem> {
    let text = normalise_ranges(text).replace(['，', '；', ';', '、'], ",");
    let mut spans = Vec::new();
    for piece in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        // "09:00-12:00 13:30-18:00" without commas, or "09:00 - 12:00" with spaces.
        let joined = piece.split_whitespace().collect::<Vec<_>>().join(" ").replace(" - ", "-").replace(" ~ ", "-").replace("~", "-");
        for range in joined.split_whitespace() {
            let (start, end) = range.split_once('-').ok_or(Problem::InvalidTime)?;
            let (start, end) = (parse_clock(start).ok_or(Problem::InvalidTime)?, parse_clock(end).ok_or(Problem::InvalidTime)?);
            if end <= start {
                return Err(Problem::EndBeforeStart);
            }
            spans.push(Span { start, end });
        }
    }
    if spans.len() > SPANS_MAX {
        return Err(Problem::TooMany { max: SPANS_MAX });
    }
    spans.sort_by_key(|span| span.start);
    if spans.windows(2).any(|pair| pair[1].start < pair[0].end) {
        return Err(Problem::Overlapping);
    }
    Ok(spans)
}

fn parse_day_loose(text: &str) -> Option<NaiveDate> {
    parse_day(&text.replace(['/', '.'], "-")).ok()
}

/// Pasted dates: each line a day or a range (`~`, `至`, `-` with spaces), then optionally a name.
fn parse_days(text: &str) -> Result<BTreeSet<NaiveDate>, Problem> {
    let mut days = BTreeSet::new();
    if text.lines().count() > LINES_MAX {
        return Err(Problem::TooMany { max: LINES_MAX });
    }
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = Problem::BadLine { line: index + 1 };
        let normalised = normalise_ranges(line).replace('，', " ").replace(',', " ");
        let tokens: Vec<&str> = normalised.split_whitespace().collect();
        let first = tokens.first().and_then(|t| parse_day_loose(t)).ok_or_else(|| bad.clone())?;
        let last = match tokens.get(1..3) {
            Some([sep, end]) if *sep == "~" || *sep == "-" => parse_day_loose(end).ok_or_else(|| bad.clone())?,
            _ => first,
        };
        if last < first || last - first >= Duration::days(RANGE_MAX_DAYS) {
            return Err(bad);
        }
        let mut day = first;
        while day <= last {
            days.insert(day);
            day = day.succ_opt().ok_or_else(|| bad.clone())?;
        }
    }
    Ok(days)
}

/// Checks a typed calendar: a time zone, hours that are times in order, and dates.
pub fn validate_calendar(input: &CalendarInput) -> Result<WorkCalendar, Vec<FieldError>> {
    let mut c = Check::default();
    let offset = if input.utc_offset.trim().is_empty() { Some(8 * 60) } else { parse_offset(&input.utc_offset) };
    if offset.is_none() {
        c.fail("utc_offset", Problem::InvalidUtcOffset);
    }
    let mut week: [Vec<Span>; 7] = Default::default();
    for (index, text) in input.week.iter().enumerate() {
        match parse_spans(text) {
            Ok(spans) => week[index] = spans,
            Err(problem) => c.fail(WEEKDAY_FIELDS[index], problem),
        }
    }
    if c.errors.is_empty() && week.iter().all(Vec::is_empty) {
        c.fail("mon", Problem::Required);
    }
    let holidays = parse_days(&input.holidays).map_err(|p| c.fail("holidays", p)).unwrap_or_default();
    let make_up_days = parse_days(&input.make_up_days).map_err(|p| c.fail("make_up_days", p)).unwrap_or_default();
    if let Some(day) = holidays.intersection(&make_up_days).next() {
        c.fail("make_up_days", Problem::HolidayAndWorkday { day: day.to_string() });
    }
    c.finish(WorkCalendar { utc_offset_minutes: offset.unwrap_or(0), week, holidays, make_up_days })
}

fn clock_text(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A day's hours as typed: `09:00-12:00, 13:30-18:00`.
pub fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| format!("{}-{}", clock_text(s.start), clock_text(s.end))).collect::<Vec<_>>().join(", ")
}

/// Days as pasted: runs of consecutive days as ranges, one per line.
pub fn days_text(days: &BTreeSet<NaiveDate>) -> String {
    let mut lines = Vec::new();
    let mut run: Option<(NaiveDate, NaiveDate)> = None;
    for &day in days {
        run = match run {
            Some((start, end)) if end.succ_opt() == Some(day) => Some((start, day)),
            Some(done) => {
                lines.push(done);
                Some((day, day))
            }
            None => Some((day, day)),
        };
    }
    lines.extend(run);
    lines.iter().map(|(start, end)| if start == end { start.to_string() } else { format!("{start}~{end}") }).collect::<Vec<_>>().join("\n")
}

/// The calendar in the form, as [`validate_calendar`] reads it back.
pub fn calendar_input(calendar: &WorkCalendar) -> CalendarInput {
    let minutes = calendar.utc_offset_minutes;
    let sign = if minutes < 0 { '-' } else { '+' };
    CalendarInput {
        utc_offset: format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60),
        week: std::array::from_fn(|i| spans_text(&calendar.week[i])),
        holidays: days_text(&calendar.holidays),
        make_up_days: days_text(&calendar.make_up_days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn problems(input: &CalendarInput) -> Vec<(String, Problem)> {
        validate_calendar(input).unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn the_default_calendar_reads_back_as_typed() {
        let input = calendar_input(&WorkCalendar::default());
        assert_eq!(input.week[0], "09:00-12:00, 13:30-18:00");
        assert_eq!(input.utc_offset, "+08:00");
        assert_eq!(validate_calendar(&input), Ok(WorkCalendar::default()));
    }

    #[test]
    fn hours_are_read_however_they_are_separated() {
        assert_eq!(parse_spans("9:00-12:00 13:30-18:00").unwrap(), parse_spans("09:00 ~ 12:00，13:30至18:00").unwrap());
        assert_eq!(parse_spans("13:30-18:00; 09:00 - 12:00").unwrap(), vec![Span { start: 540, end: 720 }, Span { start: 810, end: 1080 }]);
        assert_eq!(parse_spans("20:00-24:00").unwrap(), vec![Span { start: 1200, end: 1440 }]);
        assert_eq!(parse_spans("").unwrap(), vec![]);
    }

    #[test]
    fn bad_hours_say_what_is_wrong() {
        assert_eq!(parse_spans("9-12"), Err(Problem::InvalidTime));
        assert_eq!(parse_spans("12:00-09:00"), Err(Problem::EndBeforeStart));
        assert_eq!(parse_spans("09:00-12:00, 11:00-13:00"), Err(Problem::Overlapping));
        assert_eq!(parse_spans("25:00-26:00"), Err(Problem::InvalidTime));
        assert_eq!(parse_spans("09:000-10:00"), Err(Problem::InvalidTime));
    }

    #[test]
    fn pasted_holidays_with_ranges_and_names() {
        let days = parse_days("# 2026\n2026-10-01~2026-10-07 国庆节\n2026/01/01 元旦\n\n2026-02-15 至 2026-02-23 春节").unwrap();
        assert_eq!(days.len(), 7 + 1 + 9);
        assert!(days.contains(&day(2026, 10, 7)) && !days.contains(&day(2026, 10, 8)));
        assert_eq!(days_text(&days), "2026-01-01\n2026-02-15~2026-02-23\n2026-10-01~2026-10-07");
        assert_eq!(parse_days(&days_text(&days)).unwrap(), days);
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        assert_eq!(parse_days("2026-10-01\n十月一日"), Err(Problem::BadLine { line: 2 }));
        assert_eq!(parse_days("2026-10-07~2026-10-01"), Err(Problem::BadLine { line: 1 }));
        assert_eq!(parse_days("2026-01-01~2026-12-31"), Err(Problem::BadLine { line: 1 }));
    }

    #[test]
    fn a_day_cannot_be_both_a_holiday_and_worked() {
        let input = CalendarInput { holidays: "2026-10-01~2026-10-07".into(), make_up_days: "2026-10-07".into(), ..calendar_input(&WorkCalendar::default()) };
        assert_eq!(problems(&input), vec![("make_up_days".to_string(), Problem::HolidayAndWorkday { day: "2026-10-07".into() })]);
    }

    #[test]
    fn time_zones_and_an_empty_week() {
        let mut input = calendar_input(&WorkCalendar::default());
        input.utc_offset = "UTC-5".into();
        assert_eq!(validate_calendar(&input).unwrap().utc_offset_minutes, -300);
        input.utc_offset = "+15:00".into();
        assert_eq!(problems(&input), vec![("utc_offset".to_string(), Problem::InvalidUtcOffset)]);
        let empty = CalendarInput::default();
        assert_eq!(problems(&empty), vec![("mon".to_string(), Problem::Required)]);
    }
}
