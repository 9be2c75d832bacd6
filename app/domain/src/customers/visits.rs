//! A day's visits (外勤): what a manager reads to see where the team was, and a rep their own.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::types::GeoPoint;
use crate::format::DisplayOffset;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitLine {
    pub at: DateTime<Utc>,
    /// Who logged it (username and display name).
    pub by: String,
    pub by_name: String,
    pub customer_id: String,
    pub customer_name: String,
    pub summary: String,
    pub position: Option<GeoPoint>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DayVisits {
    pub day: Option<NaiveDate>,
    /// Oldest first, grouped by person on the page.
    pub visits: Vec<VisitLine>,
}

/// The moments a calendar day starts and ends in the company's time zone.
pub fn day_bounds(day: NaiveDate, offset: DisplayOffset) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = day.and_time(chrono::NaiveTime::MIN) - offset.0;
    let start = DateTime::<Utc>::from_naive_utc_and_offset(start, Utc);
    (start, start + chrono::Duration::days(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    #[test]
    fn a_day_in_beijing_starts_at_four_pm_utc_the_day_before() {
        let beijing = DisplayOffset(FixedOffset::east_opt(8 * 3600).expect("a real offset"));
        let day = NaiveDate::from_ymd_opt(2026, 12, 5).expect("a real date");
        let (from, to) = day_bounds(day, beijing);
        assert_eq!(from, Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap());
        assert_eq!(to, Utc.with_ymd_and_hms(2026, 12, 5, 16, 0, 0).unwrap());
    }
}
