//! The chance of making a target: what is done so far, plus the open deals expected to close
//! within the period (each won with its probability), plus the repeat orders expected from
//! existing buyers (the forecast's BG/NBD part). Deals are independent coin flips and repeat
//! orders Poisson, so the total has a mean and a spread; the likely range is its 10th to 90th
//! percentile (normal approximation) and the chance is the probability of reaching the target.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::period::Period;
use crate::insight::forecast::OpenDeal;

/// Repeat orders expected from one buyer within the rest of the period.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ExpectedRepeat {
    pub purchases: f64,
    pub avg_order: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chance {
    /// The most likely total by the end of the period.
    pub expected: i64,
    /// The likely range (10th to 90th percentile), never below what is done.
    pub low: i64,
    pub high: i64,
    /// The probability of reaching the target, 0–100.
    pub percent: u8,
    /// The parts of `expected`.
    pub from_pipeline: i64,
    pub from_repeat: i64,
}

/// z of the 90th percentile of the standard normal.
const Z90: f64 = 1.281_551_6;

/// The standard normal distribution function (Abramowitz & Stegun 7.1.26, error < 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs() / std::f64::consts::SQRT_2);
    let poly = t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-(x * x) / 2.0).exp();
    if x >= 0.0 { (1.0 + erf) / 2.0 } else { (1.0 - erf) / 2.0 }
}

/// The chance on `today`. A deal counts when it is expected to close by the period's end (one
/// already past its expected close is still open, so it may close now); later ones do not.
pub fn chance(period: Period, today: NaiveDate, target: i64, actual: i64, deals: &[OpenDeal], repeats: &[ExpectedRepeat]) -> Chance {
    let over = today > period.end();
    let mut mean = actual as f64;
    let mut variance = 0.0;
    let mut from_pipeline = 0.0;
    if !over {
        for deal in deals.iter().filter(|d| d.expected_close <= period.end()) {
            let p = f64::from(deal.probability_pct.min(100)) / 100.0;
            let amount = deal.amount_cents as f64;
            from_pipeline += p * amount;
            variance += p * (1.0 - p) * amount * amount;
        }
    }
    let mut from_repeat = 0.0;
    if !over {
        for r in repeats {
            let avg = r.avg_order as f64;
            from_repeat += r.purchases * avg;
            variance += r.purchases * avg * avg;
        }
    }
    mean += from_pipeline + from_repeat;
    let sd = variance.sqrt();
    let low = (mean - Z90 * sd).max(actual as f64);
    let high = mean + Z90 * sd;
    let percent = if target <= actual {
        100.0
    } else if sd == 0.0 {
        if mean >= target as f64 { 100.0 } else { 0.0 }
    } else {
        // Continuity: reaching the target means getting past half a unit below it.
        100.0 * (1.0 - normal_cdf((target as f64 - 0.5 - mean) / sd))
    };
    Chance {
        expected: mean.round() as i64,
        low: low.round() as i64,
        high: high.round() as i64,
        percent: percent.round().clamp(0.0, 100.0) as u8,
        from_pipeline: from_pipeline.round() as i64,
        from_repeat: from_repeat.round() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn deal(amount_cents: i64, probability_pct: u8, expected_close: NaiveDate) -> OpenDeal {
        OpenDeal { amount_cents, probability_pct, expected_close }
    }

    #[test]
    fn the_normal_distribution_function_is_right_where_it_matters() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(Z90) - 0.9).abs() < 1e-6);
        assert!((normal_cdf(-1.96) - 0.025).abs() < 1e-4);
    }

    #[test]
    fn a_hand_made_pipeline() {
        let month = Period::Month(2027, 9);
        let today = d(2027, 9, 15);
        // Done 600; two deals of 200 at 50 % this month; one of 1,000 at 90 % next month (not counted).
        let deals = [deal(200, 50, d(2027, 9, 20)), deal(200, 50, d(2027, 9, 10)), deal(1000, 90, d(2027, 10, 5))];
        let c = chance(month, today, 800, 600, &deals, &[]);
        assert_eq!((c.expected, c.from_pipeline, c.from_repeat), (800, 200, 0));
        // Variance 2 × 0.25 × 200² = 20,000; sd 141.4; range 800 ± 181.
        assert_eq!((c.low, c.high), (619, 981));
        // Reaching 800 needs at least one of two coin flips... the normal says a little over half.
        assert!((50..=53).contains(&c.percent), "{}", c.percent);
        // Already there: certain; nothing open and short: no chance.
        assert_eq!(chance(month, today, 500, 600, &deals, &[]).percent, 100);
        assert_eq!(chance(month, today, 800, 600, &[], &[]).percent, 0);
        assert_eq!(chance(month, today, 800, 600, &[], &[]).low, 600);
    }

    #[test]
    fn repeat_orders_add_their_expected_value_and_spread() {
        let month = Period::Month(2027, 9);
        let repeats = [ExpectedRepeat { purchases: 2.0, avg_order: 100 }, ExpectedRepeat { purchases: 0.5, avg_order: 400 }];
        let c = chance(month, d(2027, 9, 1), 1000, 500, &[], &repeats);
        assert_eq!((c.from_repeat, c.expected), (400, 900));
        // Variance 2 × 100² + 0.5 × 400² = 100,000; sd 316.
        assert_eq!(c.high, 900 + (Z90 * 100_000f64.sqrt()).round() as i64);
        assert!(c.percent < 50);
        // After the period nothing more can come.
        let after = chance(month, d(2027, 10, 2), 1000, 500, &[], &repeats);
        assert_eq!((after.expected, after.percent), (500, 0));
    }
}
