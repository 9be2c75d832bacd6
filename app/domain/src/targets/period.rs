//! Target periods: a year, a quarter or a month, with their first and last day, how many
//! days they have and how much of them has passed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    Year(i32),
    /// Quarter 1–4.
    Quarter(i32, u32),
    /// Month 1–12.
    Month(i32, u32),
}

fn first_of(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

impl Period {
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// The first month and how many months it spans.
    fn months_span(self) -> (u32, u32) {
        match self {
            Period::Year(_) => (1, 12),
            Period::Quarter(_, q) => (3 * (q.clamp(1, 4) - 1) + 1, 3),
            Period::Month(_, m) => (m.clamp(1, 12), 1),
        }
    }

    pub fn start(self) -> NaiveDate {
        let (month, _) = self.months_span();
        first_of(self.year(), month).unwrap_or(NaiveDate::MIN)
    }

    /// The last day (included).
    pub fn end(self) -> NaiveDate {
        let (month, span) = self.months_span();
        let next = month + span;
        let after = if next > 12 { first_of(self.year() + 1, 1) } else { first_of(self.year(), next) };
        after.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    pub fn days(self) -> i64 {
        (self.end() - self.start()).num_days() + 1
    }

    pub fn contains(self, day: NaiveDate) -> bool {
        self.start() <= day && day <= self.end()
    }

    /// Its months, in order.
    pub fn months(self) -> Vec<Period> {
        let (month, span) = self.months_span();
        (month..month + span).map(|m| Period::Month(self.year(), m)).collect()
    }

    /// The quarters of a year (a quarter's or month's own: itself).
    pub fn quarters(self) -> Vec<Period> {
        match self {
            Period::Year(y) => (1..=4).map(|q| Period::Quarter(y, q)).collect(),
            other => vec![other],
        }
    }

    /// `2027`, `2027-Q3`, `2027-07`.
    pub fn key(self) -> String {
        match self {
            Period::Year(y) => format!("{y}"),
            Period::Quarter(y, q) => format!("{y}-Q{q}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Period> {
        let key = key.trim();
        let year = |text: &str| text.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        match key.split_once('-') {
            None => Some(Period::Year(year(key)?)),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    q.parse::<u32>().ok().filter(|q| (1..=4).contains(q)).map(|q| Period::Quarter(y, q))
                } else {
                    rest.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).map(|m| Period::Month(y, m))
                }
            }
        }
    }

    /// The periods of each kind `day` falls in: its year, quarter and month.
    pub fn around(day: NaiveDate) -> [Period; 3] {
        let y = day.year();
        [Period::Year(y), Period::Quarter(y, (day.month() - 1) / 3 + 1), Period::Month(y, day.month())]
    }

    /// How much of it has passed by the end of `today`, 0 before it starts, 1 after it ends.
    pub fn elapsed_share(self, today: NaiveDate) -> f64 {
        if today < self.start() {
            0.0
        } else if today >= self.end() {
            1.0
        } else {
            ((today - self.start()).num_days() + 1) as f64 / self.days() as f64
        }
    }

    /// The 1-based day of the period `today` is (0 before it starts).
    pub fn day_number(self, today: NaiveDate) -> i64 {
        if today < self.start() { 0 } else { (today.min(self.end()) - self.start()).num_days() + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_of_28_29_30_and_31_days_and_quarters() {
        assert_eq!(Period::Month(2027, 2).days(), 28);
        assert_eq!(Period::Month(2028, 2).days(), 29);
        assert_eq!(Period::Month(2027, 4).days(), 30);
        assert_eq!(Period::Month(2027, 12).days(), 31);
        assert_eq!(Period::Month(2027, 12).end(), d(2027, 12, 31));
        assert_eq!((Period::Quarter(2027, 3).start(), Period::Quarter(2027, 3).end()), (d(2027, 7, 1), d(2027, 9, 30)));
        assert_eq!(Period::Quarter(2027, 4).end(), d(2027, 12, 31));
        assert_eq!(Period::Year(2028).days(), 366);
        assert_eq!(Period::Year(2027).months().len(), 12);
        assert_eq!(Period::Quarter(2027, 2).months(), vec![Period::Month(2027, 4), Period::Month(2027, 5), Period::Month(2027, 6)]);
        assert_eq!(Period::around(d(2027, 8, 15)), [Period::Year(2027), Period::Quarter(2027, 3), Period::Month(2027, 8)]);
    }

    #[test]
    fn the_share_passed_counts_today_whole() {
        let feb = Period::Month(2027, 2);
        assert_eq!(feb.elapsed_share(d(2027, 1, 31)), 0.0);
        assert_eq!(feb.elapsed_share(d(2027, 2, 14)), 0.5);
        assert_eq!(feb.elapsed_share(d(2027, 2, 28)), 1.0);
        assert_eq!(feb.elapsed_share(d(2027, 3, 5)), 1.0);
        assert_eq!(Period::Month(2027, 4).elapsed_share(d(2027, 4, 15)), 0.5);
        assert_eq!(feb.day_number(d(2027, 2, 15)), 15);
    }

    #[test]
    fn keys_read_back_and_nonsense_does_not() {
        for p in [Period::Year(2027), Period::Quarter(2027, 3), Period::Month(2027, 7)] {
            assert_eq!(Period::from_key(&p.key()), Some(p));
        }
        assert_eq!(Period::Month(2027, 7).key(), "2027-07");
        for bad in ["", "27", "2027-Q5", "2027-13", "2027-00", "abcd", "2027-"] {
            assert_eq!(Period::from_key(bad), None, "{bad}");
        }
    }
}
