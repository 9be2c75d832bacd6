//! The calendar feed as iCalendar text (RFC 5545), so a phone calendar can subscribe to a
//! user's upcoming reminders. Written by hand: the format is small, and the rules that
//! matter are here and tested — CRLF line ends, text escaping (§3.3.11), lines folded at 75
//! octets without splitting a UTF-8 character (§3.1), times in UTC.

use chrono::{DateTime, Utc};

/// One reminder as a calendar event.
#[derive(Clone, Debug, PartialEq)]
pub struct CalendarEvent {
    /// Stable across fetches, so a calendar updates the event instead of adding another.
    pub uid: String,
    pub start: DateTime<Utc>,
    pub summary: String,
    pub description: String,
}

/// How long each event lasts in the calendar: a short slot, enough to be seen.
const DURATION: &str = "PT15M";

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded: at most 75 octets per physical line, continuation lines
/// starting with a space, never inside a multi-byte character. (vCard folds the same way.)
pub(crate) fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out.push_str("\r\n");
}

/// The whole calendar: a name, and one VEVENT per reminder.
pub fn calendar(name: &str, events: &[CalendarEvent], stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kehu//Kehu CRM//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    for e in events {
        push_line(&mut out, "BEGIN:VEVENT");
        push_line(&mut out, &format!("UID:{}", escape_text(&e.uid)));
        push_line(&mut out, &format!("DTSTAMP:{}", utc(stamp)));
        push_line(&mut out, &format!("DTSTART:{}", utc(e.start)));
        push_line(&mut out, &format!("DURATION:{DURATION}"));
        push_line(&mut out, &format!("SUMMARY:{}", escape_text(&e.summary)));
        if !e.description.is_empty() {
            push_line(&mut out, &format!("DESCRIPTION:{}", escape_text(&e.description)));
        }
        push_line(&mut out, "END:VEVENT");
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\r\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn a_feed_has_crlf_lines_utc_times_and_folds_long_chinese_lines_on_character_boundaries() {
        let at = Utc.with_ymd_and_hms(2026, 12, 21, 1, 0, 0).unwrap();
        let event = CalendarEvent {
            uid: "renewal:k1:2027-01-20@kehu".into(),
            start: at,
            summary: "续约：上海华东机电设备有限公司".repeat(3),
            description: "合同 HT-001, 到期 2027-01-20".into(),
        };
        let text = calendar("客户 · 提醒", &[event], at);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(text.contains("\r\nDTSTART:20261221T010000Z\r\n"));
        assert!(text.contains("\r\nDESCRIPTION:合同 HT-001\\, 到期 2027-01-20\r\n"));
        // No bare LF, every physical line at most 75 octets, and unfolding gives the summary back.
        assert!(!text.replace("\r\n", "").contains('\n'));
        assert!(text.split("\r\n").all(|line| line.len() <= 75));
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{}\r\n", "续约：上海华东机电设备有限公司".repeat(3))));
    }

    #[test]
    fn an_empty_feed_is_still_a_calendar() {
        let text = calendar("Kehu", &[], Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        assert!(!text.contains("VEVENT"));
        assert!(text.contains("X-WR-CALNAME:Kehu\r\n"));
    }
}
