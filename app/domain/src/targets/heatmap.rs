//! The activity heatmap (销售行为热力图): follow-ups, visits and calls counted by weekday and
//! hour, and by day for the calendar, in the installation's local time.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heatmap {
    /// [weekday, Monday first][hour 0–23].
    pub cells: Vec<[u32; 24]>,
    /// Per local day.
    pub days: BTreeMap<NaiveDate, u32>,
    pub total: u32,
}

impl Heatmap {
    pub fn new() -> Heatmap {
        Heatmap { cells: vec![[0; 24]; 7], ..Heatmap::default() }
    }

    /// Counts one activity at `at`, in local time at `offset`.
    pub fn add(&mut self, at: DateTime<Utc>, offset: FixedOffset) {
        if self.cells.len() != 7 {
            self.cells = vec![[0; 24]; 7];
        }
        let local = at.with_timezone(&offset);
        self.cells[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
        *self.days.entry(local.date_naive()).or_default() += 1;
        self.total += 1;
    }

    /// The busiest cell's count (the colour scale's top).
    pub fn peak(&self) -> u32 {
        self.cells.iter().flat_map(|row| row.iter()).copied().max().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn activities_fall_in_their_local_weekday_and_hour() {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let new_york = FixedOffset::west_opt(5 * 3600).unwrap();
        // Sunday 2027-01-03 23:30 UTC: Monday 07:30 in Beijing, Sunday 18:30 in New York.
        let at = Utc.with_ymd_and_hms(2027, 1, 3, 23, 30, 0).unwrap();
        let mut map = Heatmap::new();
        map.add(at, beijing);
        assert_eq!(map.cells[0][7], 1);
        assert_eq!(map.days.get(&NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()), Some(&1));
        let mut there = Heatmap::new();
        there.add(at, new_york);
        assert_eq!(there.cells[6][18], 1);
        assert_eq!(there.days.keys().next(), Some(&NaiveDate::from_ymd_opt(2027, 1, 3).unwrap()));
        map.add(at + chrono::Duration::minutes(10), beijing);
        assert_eq!((map.peak(), map.total), (2, 2));
    }
}
