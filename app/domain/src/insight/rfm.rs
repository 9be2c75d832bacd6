//! RFM segmentation: recency, frequency and monetary value per customer over a window,
//! each scored 1–5 by quintiles of all scored customers, and named segments by rule.
//!
//! Quintiles with ties: a value's score is 1 + ⌊5 · (customers strictly worse) / n⌋, so
//! equal values always get the same score and the best fifth gets 5. For recency, fewer
//! days is better. Customers without any purchase up to the day of the analysis are not
//! scored (they have no recency); purchases outside the window still set recency but add
//! nothing to frequency or money.

use chrono::NaiveDate;

use super::types::{Rfm, Segment};

/// One customer's orders, as the models read them: (day, net total in cents), sorted by day.
/// Days after the analysis day are left out by the caller.
pub type OrderDays = [(NaiveDate, i64)];

/// The raw values of one customer, before scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawRfm {
    pub recency_days: i64,
    pub frequency: u32,
    pub monetary_cents: i64,
}

/// Days with a positive net total: a day of returns only is not a purchase, and several
/// orders on one day are one purchase.
pub fn purchase_days(orders: &OrderDays) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = Vec::new();
    let mut i = 0;
    while i < orders.len() {
        let day = orders[i].0;
        let mut net = 0i64;
        while i < orders.len() && orders[i].0 == day {
            net += orders[i].1;
            i += 1;
        }
        if net > 0 {
            days.push(day);
        }
    }
    days
}

/// The raw values over the `window_days` up to `as_of`; `None` without any purchase.
pub fn raw(orders: &OrderDays, purchases: &[NaiveDate], as_of: NaiveDate, window_days: i64) -> Option<RawRfm> {
    let last = *purchases.last()?;
    let start = as_of - chrono::Duration::days(window_days);
    let in_window = |d: &NaiveDate| *d > start && *d <= as_of;
    let frequency = purchases.iter().filter(|d| in_window(d)).count() as u32;
    // Returns in the window reduce the value; a customer cannot be worth less than nothing.
    let monetary_cents = orders.iter().filter(|(d, _)| in_window(d)).map(|(_, c)| c).sum::<i64>().max(0);
    Some(RawRfm { recency_days: (as_of - last).num_days(), frequency, monetary_cents })
}

/// Scores for values where more is better: 1 + ⌊5 · (values strictly below) / n⌋.
fn quintile_scores(values: &[i64]) -> Vec<u8> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = values.len().max(1);
    values
        .iter()
        .map(|v| {
            let below = sorted.partition_point(|x| x < v);
            (1 + 5 * below / n) as u8
        })
        .collect()
}

/// The segment a customer's scores put them in (the rules of `Segment::rule`, in order).
pub fn segment_of(r: u8, f: u8, m: u8) -> Segment {
    match (r, f, m) {
        (4.., 4.., 4..) => Segment::HighValue,
        (..=3, 4.., 4..) => Segment::Keep,
        (4.., ..=3, 4..) => Segment::Develop,
        (_, _, 4..) => Segment::WinBack,
        (..=2, _, _) => Segment::Dormant,
        _ => Segment::General,
    }
}

/// Scores every customer against all the others.
pub fn score(raws: &[RawRfm]) -> Vec<Rfm> {
    // Recency: fewer days is better, so score its negation.
    let r = quintile_scores(&raws.iter().map(|x| -x.recency_days).collect::<Vec<_>>());
    let f = quintile_scores(&raws.iter().map(|x| x.frequency as i64).collect::<Vec<_>>());
    let m = quintile_scores(&raws.iter().map(|x| x.monetary_cents).collect::<Vec<_>>());
    raws.iter()
        .enumerate()
        .map(|(i, x)| Rfm {
            recency_days: x.recency_days,
            frequency: x.frequency,
            monetary_cents: x.monetary_cents,
            r: r[i],
            f: f[i],
            m: m[i],
            segment: segment_of(r[i], f[i], m[i]),
        })
        .collect()
}

/// Counts per (R, F) cell: `grid[r-1][f-1]`.
pub fn rf_grid<'a>(scores: impl IntoIterator<Item = &'a Rfm>) -> [[u32; 5]; 5] {
    let mut grid = [[0u32; 5]; 5];
    for s in scores {
        grid[(s.r.clamp(1, 5) - 1) as usize][(s.f.clamp(1, 5) - 1) as usize] += 1;
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn ten_distinct_values_fall_two_to_a_quintile() {
        let values: Vec<i64> = (1..=10).collect();
        assert_eq!(quintile_scores(&values), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn ties_share_a_score() {
        // Six customers with one purchase, four with more: the six are all the lowest.
        let values = vec![1, 1, 1, 1, 1, 1, 2, 3, 3, 9];
        assert_eq!(quintile_scores(&values), vec![1, 1, 1, 1, 1, 1, 4, 4, 4, 5]);
    }

    #[test]
    fn hand_computed_customers() {
        let raws = [
            RawRfm { recency_days: 3, frequency: 12, monetary_cents: 900_000 },
            RawRfm { recency_days: 200, frequency: 10, monetary_cents: 800_000 },
            RawRfm { recency_days: 5, frequency: 1, monetary_cents: 700_000 },
            RawRfm { recency_days: 300, frequency: 1, monetary_cents: 10_000 },
            RawRfm { recency_days: 40, frequency: 2, monetary_cents: 20_000 },
        ];
        let got = score(&raws);
        let triples: Vec<(u8, u8, u8)> = got.iter().map(|s| (s.r, s.f, s.m)).collect();
        // Recency ranks 3 < 5 < 40 < 200 < 300 days; frequency 1, 1 tie at the bottom.
        assert_eq!(triples, vec![(5, 5, 5), (2, 4, 4), (4, 1, 3), (1, 1, 1), (3, 3, 2)]);
        let segments: Vec<Segment> = got.iter().map(|s| s.segment).collect();
        assert_eq!(segments, vec![Segment::HighValue, Segment::Keep, Segment::General, Segment::Dormant, Segment::General]);
    }

    #[test]
    fn every_score_combination_has_exactly_one_segment_matching_its_rule() {
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                for m in 1..=5u8 {
                    let s = segment_of(r, f, m);
                    let ok = match s {
                        Segment::HighValue => r >= 4 && f >= 4 && m >= 4,
                        Segment::Keep => r <= 3 && f >= 4 && m >= 4,
                        Segment::Develop => r >= 4 && f <= 3 && m >= 4,
                        Segment::WinBack => r <= 3 && f <= 3 && m >= 4,
                        Segment::Dormant => r <= 2 && m <= 3,
                        Segment::General => r >= 3 && m <= 3,
                    };
                    assert!(ok, "({r},{f},{m}) -> {s:?}");
                }
            }
        }
    }

    #[test]
    fn returns_reduce_value_and_a_day_of_returns_is_no_purchase() {
        let orders = [(d(1, 5), 50_000), (d(2, 1), 30_000), (d(2, 1), -10_000), (d(3, 1), -5_000)];
        let purchases = purchase_days(&orders);
        assert_eq!(purchases, vec![d(1, 5), d(2, 1)]);
        let got = raw(&orders, &purchases, d(3, 31), 365).unwrap();
        assert_eq!(got, RawRfm { recency_days: 58, frequency: 2, monetary_cents: 65_000 });
        // Only returns in the window: worth nothing, not less.
        let got = raw(&orders, &purchases, d(3, 31), 40).unwrap();
        assert_eq!(got.monetary_cents, 0);
        assert_eq!(got.frequency, 0);
        assert_eq!(raw(&[], &[], d(3, 31), 365), None);
    }

    #[test]
    fn grid_counts_by_r_and_f() {
        let raws = [RawRfm { recency_days: 1, frequency: 5, monetary_cents: 1 }, RawRfm { recency_days: 9, frequency: 1, monetary_cents: 1 }];
        let grid = rf_grid(&score(&raws));
        // Of two customers, the better one scores 1 + ⌊5·1/2⌋ = 3 on both.
        assert_eq!(grid[2][2], 1);
        assert_eq!(grid[0][0], 1);
        assert_eq!(grid.iter().flatten().sum::<u32>(), 2);
    }
}
