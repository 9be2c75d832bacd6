//! A customer's own buying rhythm: the usual days between purchases, the window in which the
//! next purchase is due, the warning when a regular buyer has gone quiet for too long (or the
//! model thinks they are gone), and months they buy in year after year.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::types::{ChurnReason, ChurnWarning, RepurchaseWindow, SeasonalHint};

/// How churn is judged; set by an admin with the reminder rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChurnSettings {
    /// Warn when P(alive) falls below this (percent), for customers who bought again at least once.
    pub p_alive_below_pct: u8,
    /// Warn when a regular buyer's silence exceeds this many usual intervals.
    pub silence_multiple: u32,
}

impl Default for ChurnSettings {
    fn default() -> Self {
        ChurnSettings { p_alive_below_pct: 30, silence_multiple: 3 }
    }
}

/// A rhythm needs this many purchases (two intervals) before it means anything.
pub const MIN_PURCHASES_FOR_RHYTHM: usize = 3;

/// The median days between purchases, and half the interquartile range (how regular they
/// are); `None` with fewer than `MIN_PURCHASES_FOR_RHYTHM` purchases.
pub fn usual_interval(purchases: &[NaiveDate]) -> Option<(u32, u32)> {
    if purchases.len() < MIN_PURCHASES_FOR_RHYTHM {
        return None;
    }
    let mut gaps: Vec<i64> = purchases.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    gaps.sort_unstable();
    let at = |q: f64| gaps[((gaps.len() - 1) as f64 * q).round() as usize];
    let median = if gaps.len() % 2 == 0 { (gaps[gaps.len() / 2 - 1] + gaps[gaps.len() / 2]) / 2 } else { gaps[gaps.len() / 2] };
    Some((median.max(1) as u32, ((at(0.75) - at(0.25)) / 2).max(0) as u32))
}

/// The next purchase window from the customer's rhythm: the usual interval after the last
/// purchase, give or take how irregular they are (at least 3 days, at most a third of the
/// interval). `None` without a rhythm, or once the window has passed (then churn speaks).
pub fn repurchase_window(purchases: &[NaiveDate], as_of: NaiveDate) -> Option<RepurchaseWindow> {
    let (usual, spread) = usual_interval(purchases)?;
    let last = *purchases.last()?;
    let tolerance = spread.clamp(3, (usual / 3).max(3)) as i64;
    let expected = last + Duration::days(usual as i64);
    let window = RepurchaseWindow {
        usual_days: usual,
        last_purchase: last,
        expected,
        from: expected - Duration::days(tolerance),
        to: expected + Duration::days(tolerance),
    };
    (window.to >= as_of).then_some(window)
}

/// Whether the customer is slipping away, and why. A regular buyer silent for more than
/// `silence_multiple` usual intervals is warned from the day that was exceeded; otherwise a
/// repeat buyer whose P(alive) is below the threshold is warned from `as_of`. One-time
/// buyers have no P(alive) below 1 and no rhythm: they are never warned by this.
pub fn churn_warning(purchases: &[NaiveDate], p_alive: Option<f64>, as_of: NaiveDate, settings: &ChurnSettings) -> Option<ChurnWarning> {
    let last = *purchases.last()?;
    let silent = (as_of - last).num_days();
    if let Some((usual, _)) = usual_interval(purchases) {
        let limit = usual as i64 * settings.silence_multiple.max(1) as i64;
        if silent > limit {
            return Some(ChurnWarning {
                since: last + Duration::days(limit),
                last_purchase: last,
                reason: ChurnReason::LongSilence { usual_days: usual, silent_days: silent as u32, multiple: settings.silence_multiple },
            });
        }
    }
    let p = p_alive?;
    let pct = (p * 100.0).round().clamp(0.0, 100.0) as u8;
    (purchases.len() >= 2 && pct < settings.p_alive_below_pct).then(|| ChurnWarning {
        since: as_of,
        last_purchase: last,
        reason: ChurnReason::LowPAlive { p_alive_pct: pct, threshold_pct: settings.p_alive_below_pct },
    })
}

/// Months bought in during at least two different years, and in at least half of the years
/// the customer bought at all; a customer buying in more than four months of the year has a
/// rhythm, not a season. The hint falls on the first day of the month before.
pub fn seasonal_hint(purchases: &[NaiveDate], as_of: NaiveDate) -> Option<SeasonalHint> {
    let mut years_by_month: [Vec<i32>; 12] = Default::default();
    let mut years: Vec<i32> = Vec::new();
    for d in purchases {
        let slot = &mut years_by_month[d.month0() as usize];
        if !slot.contains(&d.year()) {
            slot.push(d.year());
        }
        if !years.contains(&d.year()) {
            years.push(d.year());
        }
    }
    if years.len() < 2 {
        return None;
    }
    let months: Vec<u32> = (1..=12u32)
        .filter(|m| {
            let n = years_by_month[*m as usize - 1].len();
            n >= 2 && n * 2 >= years.len()
        })
        .collect();
    if months.is_empty() || months.len() > 4 {
        return None;
    }
    // The next such month that starts after today.
    let next_month = (0..=1)
        .flat_map(|extra| months.iter().map(move |m| (as_of.year() + extra, *m)))
        .filter_map(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1))
        .find(|start| *start > as_of)?;
    let hint_on = next_month.checked_sub_months(chrono::Months::new(1))?;
    Some(SeasonalHint { months, next_month, hint_on })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn every(start: NaiveDate, days: i64, n: usize) -> Vec<NaiveDate> {
        (0..n).map(|i| start + Duration::days(days * i as i64)).collect()
    }

    #[test]
    fn every_45_days_gives_the_next_window() {
        let purchases = every(d(2026, 1, 1), 45, 5); // last: 2026-06-30
        let w = repurchase_window(&purchases, d(2026, 7, 20)).unwrap();
        assert_eq!((w.usual_days, w.expected), (45, d(2026, 8, 14)));
        // Perfectly regular: the narrowest window, three days either side.
        assert_eq!((w.from, w.to), (d(2026, 8, 11), d(2026, 8, 17)));
        // Past the window: no window, the silence is churn's business.
        assert_eq!(repurchase_window(&purchases, d(2026, 8, 18)), None);
    }

    #[test]
    fn irregular_buyers_get_a_wider_window_and_two_purchases_no_rhythm() {
        let purchases = vec![d(2026, 1, 1), d(2026, 1, 21), d(2026, 3, 2), d(2026, 3, 22), d(2026, 5, 1)];
        // Gaps 20, 40, 20, 40: median 30, spread (40 − 20) / 2 = 10.
        assert_eq!(usual_interval(&purchases), Some((30, 10)));
        let w = repurchase_window(&purchases, d(2026, 5, 2)).unwrap();
        assert_eq!((w.from, w.to), (d(2026, 5, 21), d(2026, 6, 10)));
        assert_eq!(usual_interval(&purchases[..2]), None);
    }

    #[test]
    fn monthly_buyer_silent_for_three_months_is_warned_from_the_day_it_passed() {
        let purchases = every(d(2025, 1, 1), 30, 4); // last: 2025-04-01
        let s = ChurnSettings::default();
        let w = churn_warning(&purchases, Some(0.9), d(2025, 7, 15), &s).unwrap();
        assert_eq!(w.since, d(2025, 6, 30));
        assert_eq!(w.reason, ChurnReason::LongSilence { usual_days: 30, silent_days: 105, multiple: 3 });
        // Two months of silence is not yet three intervals.
        assert_eq!(churn_warning(&purchases, Some(0.9), d(2025, 6, 1), &s), None);
    }

    #[test]
    fn low_p_alive_warns_repeat_buyers_only() {
        let s = ChurnSettings::default();
        let two = vec![d(2025, 1, 1), d(2025, 2, 1)];
        let w = churn_warning(&two, Some(0.12), d(2025, 9, 1), &s).unwrap();
        assert_eq!(w.reason, ChurnReason::LowPAlive { p_alive_pct: 12, threshold_pct: 30 });
        assert_eq!(w.since, d(2025, 9, 1));
        assert_eq!(churn_warning(&two, Some(0.31), d(2025, 9, 1), &s), None);
        // A single purchase: nothing to warn about, whatever the number says.
        assert_eq!(churn_warning(&two[..1], Some(0.0), d(2025, 9, 1), &s), None);
        assert_eq!(churn_warning(&[], Some(0.0), d(2025, 9, 1), &s), None);
    }

    #[test]
    fn orders_each_march_and_september_hint_in_february() {
        let purchases: Vec<NaiveDate> =
            (2023..=2025).flat_map(|y| [d(y, 3, 10), d(y, 9, 18)]).collect();
        let h = seasonal_hint(&purchases, d(2026, 1, 15)).unwrap();
        assert_eq!(h.months, vec![3, 9]);
        assert_eq!((h.next_month, h.hint_on), (d(2026, 3, 1), d(2026, 2, 1)));
        // After March has started, September is next, hinted on 1 August.
        let h = seasonal_hint(&purchases, d(2026, 3, 5)).unwrap();
        assert_eq!(h.hint_on, d(2026, 8, 1));
        // December's season is hinted in November, across the year end.
        let dec: Vec<NaiveDate> = (2023..=2025).map(|y| d(y, 12, 5)).collect();
        assert_eq!(seasonal_hint(&dec, d(2026, 2, 1)).unwrap().hint_on, d(2026, 11, 1));
    }

    #[test]
    fn one_year_or_every_month_is_no_season() {
        assert_eq!(seasonal_hint(&[d(2025, 3, 1), d(2025, 9, 1)], d(2026, 1, 1)), None);
        let monthly = every(d(2024, 1, 5), 30, 26);
        assert_eq!(seasonal_hint(&monthly, d(2026, 3, 1)), None);
    }
}
