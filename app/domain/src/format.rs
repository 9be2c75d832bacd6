//! Showing times and building URLs the same way on the server and in the browser, so the
//! hydrated page is byte-for-byte what the server sent. Times are stored in UTC and shown in
//! the deployment's display offset (Leptos.toml `utc_offset`, China's +08:00 by default).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// The offset times are shown in; the server provides it and writes it into
/// `<html data-utc-offset>`, from where the browser reads it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DisplayOffset(pub FixedOffset);

impl Default for DisplayOffset {
    fn default() -> Self {
        DisplayOffset(FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset")))
    }
}

impl DisplayOffset {
    /// Parses `+08:00`, `-05:30` or `Z`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("z") || text == "UTC" {
            return FixedOffset::east_opt(0).map(DisplayOffset);
        }
        let (sign, rest) = match text.as_bytes().first()? {
            b'+' => (1, &text[1..]),
            b'-' => (-1, &text[1..]),
            _ => return None,
        };
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        if !(0..=14).contains(&h) || !(0..60).contains(&m) {
            return None;
        }
        FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(DisplayOffset)
    }

    pub fn to_text(self) -> String {
        let secs = self.0.local_minus_utc();
        let sign = if secs < 0 { '-' } else { '+' };
        let secs = secs.abs();
        format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
    }
}

pub fn datetime(at: DateTime<Utc>, offset: DisplayOffset) -> String {
    at.with_timezone(&offset.0).format("%Y-%m-%d %H:%M").to_string()
}

pub fn date(at: DateTime<Utc>, offset: DisplayOffset) -> String {
    at.with_timezone(&offset.0).format("%Y-%m-%d").to_string()
}

pub fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Today in the display offset: what a date field's "today" means to the person typing.
pub fn today(offset: DisplayOffset) -> NaiveDate {
    Utc::now().with_timezone(&offset.0).date_naive()
}

/// Percent-encodes a query-string value (UTF-8), leaving the unreserved characters.
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `path?k=v&…` from the pairs with a non-empty value.
pub fn url_with_query(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn offsets_round_trip() {
        for text in ["+08:00", "-05:30", "+00:00"] {
            assert_eq!(DisplayOffset::parse(text).map(|o| o.to_text()), Some(text.to_string()));
        }
        assert_eq!(DisplayOffset::parse("Z").map(|o| o.to_text()), Some("+00:00".into()));
        assert_eq!(DisplayOffset::parse("8"), None);
        assert_eq!(DisplayOffset::parse("+15:00"), None);
    }

    #[test]
    fn utc_is_shown_in_the_display_offset() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 20, 30, 0).unwrap();
        let beijing = DisplayOffset::parse("+08:00").unwrap();
        assert_eq!(datetime(at, beijing), "2027-01-01 04:30");
        assert_eq!(date(at, beijing), "2027-01-01");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode_query_value("科技 a&b"), "%E7%A7%91%E6%8A%80%20a%26b");
        assert_eq!(url_with_query("/customers", &[("q", "zhang".into()), ("stage", String::new())]), "/customers?q=zhang");
        assert_eq!(url_with_query("/customers", &[]), "/customers");
    }
}
