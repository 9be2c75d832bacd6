//! Revenue forecast for the current month and the two after it, each number made of two
//! parts that are shown separately:
//! - the open pipeline: each open deal's amount × its win probability, in the month it is
//!   expected to close (deals already past their expected close count in the current month,
//!   since they are still open);
//! - repeat purchases: for every customer who has bought, the BG/NBD model's expected
//!   purchases within the month, E[Y(end)] − E[Y(start)] days from today, × their own
//!   average order value. First purchases of customers who never bought are not forecast.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::bgnbd::{expected_purchases, Rfx};
use super::types::BgNbdParams;

/// An open deal, as the forecast reads it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpenDeal {
    pub amount_cents: i64,
    /// 0–100.
    pub probability_pct: u8,
    pub expected_close: NaiveDate,
}

/// A customer who has bought, as the forecast reads them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Buyer {
    pub history: Rfx,
    pub avg_order_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthForecast {
    /// First day of the month; `from` is today for the current month.
    pub month: NaiveDate,
    pub from: NaiveDate,
    pub pipeline_deals: u32,
    /// Σ amount of the month's deals, and Σ amount × probability.
    pub pipeline_amount_cents: i64,
    pub pipeline_cents: i64,
    /// Expected repeat purchases (count) and their value.
    pub repeat_purchases: f64,
    pub repeat_cents: i64,
    pub total_cents: i64,
}

/// The forecast, month by month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub months: Vec<MonthForecast>,
    /// The fitted model the repeat part used; `None` when there was too little order history
    /// to fit one (then the repeat part is zero).
    pub model: Option<BgNbdParams>,
    pub buyers: usize,
}

pub const MONTHS: u32 = 3;

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The forecast's months from `today`: [first day, first day of the month after].
fn month_bounds(today: NaiveDate) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let first = month_start(today);
    (0..MONTHS).filter_map(|i| first.checked_add_months(Months::new(i))).map(|m| (m, m.checked_add_months(Months::new(1)))).collect()
}

/// A buyer's expected repeat purchases in each forecast month from `today`:
/// E[Y(end of month)] − E[Y(end of the month before)], days counted from today.
///
/// The costly part of the forecast (a hypergeometric series per month), and the same for
/// every viewer on a given day, so the server keeps it per customer rather than per request.
pub fn repeat_by_month(today: NaiveDate, history: &Rfx, p: &BgNbdParams) -> [f64; MONTHS as usize] {
    let mut out = [0.0; MONTHS as usize];
    let mut before = 0.0;
    for (slot, (_, next)) in out.iter_mut().zip(month_bounds(today)) {
        let end = next.map(|next| (next - today).num_days() as f64).unwrap_or(0.0);
        let upto = expected_purchases(p, history, end);
        *slot = (upto - before).max(0.0);
        before = upto;
    }
    out
}

/// A buyer's part of the forecast: expected purchases per month and their average order.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Repeat {
    pub by_month: [f64; MONTHS as usize],
    pub avg_order_cents: i64,
}

pub fn forecast(today: NaiveDate, deals: &[OpenDeal], buyers: &[Buyer], model: Option<&BgNbdParams>) -> Forecast {
    let repeats: Vec<Repeat> = match model {
        Some(p) => buyers.iter().map(|b| Repeat { by_month: repeat_by_month(today, &b.history, p), avg_order_cents: b.avg_order_cents }).collect(),
        None => Vec::new(),
    };
    forecast_of(today, deals, &repeats, buyers.len(), model)
}

/// The forecast from its parts: the open deals, and each buyer's repeat purchases (empty
/// without a model) already worked out by `repeat_by_month`.
pub fn forecast_of(today: NaiveDate, deals: &[OpenDeal], repeats: &[Repeat], buyers: usize, model: Option<&BgNbdParams>) -> Forecast {
    let bounds = month_bounds(today);
    let mut months: Vec<MonthForecast> = bounds
        .iter()
        .map(|&(month, _)| MonthForecast {
            month,
            from: month.max(today),
            pipeline_deals: 0,
            pipeline_amount_cents: 0,
            pipeline_cents: 0,
            repeat_purchases: 0.0,
            repeat_cents: 0,
            total_cents: 0,
        })
        .collect();
    let Some(last) = bounds.last().and_then(|&(_, next)| next) else {
        return Forecast { months, model: model.copied(), buyers };
    };
    for deal in deals {
        if deal.expected_close >= last {
            continue;
        }
        let at = months.iter().rposition(|m| deal.expected_close >= m.month).unwrap_or(0);
        let slot = &mut months[at];
        slot.pipeline_deals += 1;
        slot.pipeline_amount_cents += deal.amount_cents;
        slot.pipeline_cents += (deal.amount_cents as f64 * deal.probability_pct.min(100) as f64 / 100.0).round() as i64;
    }
    if model.is_some() {
        for repeat in repeats {
            for (slot, within) in months.iter_mut().zip(repeat.by_month) {
                slot.repeat_purchases += within;
                slot.repeat_cents += (within * repeat.avg_order_cents as f64).round() as i64;
            }
        }
    }
    for m in &mut months {
        m.total_cents = m.pipeline_cents + m.repeat_cents;
    }
    Forecast { months, model: model.copied(), buyers }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn pipeline_lands_in_its_month_weighted_by_probability() {
        let deals = [
            OpenDeal { amount_cents: 100_000, probability_pct: 50, expected_close: d(2026, 11, 30) },
            OpenDeal { amount_cents: 200_000, probability_pct: 25, expected_close: d(2026, 10, 1) }, // overdue: now
            OpenDeal { amount_cents: 300_000, probability_pct: 10, expected_close: d(2027, 1, 31) },
            OpenDeal { amount_cents: 900_000, probability_pct: 90, expected_close: d(2027, 2, 1) }, // beyond
        ];
        let f = forecast(d(2026, 11, 23), &deals, &[], None);
        let months: Vec<NaiveDate> = f.months.iter().map(|m| m.month).collect();
        assert_eq!(months, vec![d(2026, 11, 1), d(2026, 12, 1), d(2027, 1, 1)]);
        assert_eq!(f.months[0].from, d(2026, 11, 23));
        assert_eq!((f.months[0].pipeline_deals, f.months[0].pipeline_cents), (2, 100_000));
        assert_eq!(f.months[1].pipeline_cents, 0);
        assert_eq!((f.months[2].pipeline_deals, f.months[2].pipeline_cents), (1, 30_000));
        assert_eq!(f.months[2].total_cents, 30_000);
    }

    #[test]
    fn repeat_purchases_add_up_to_the_model_over_the_whole_span() {
        let p = BgNbdParams { r: 0.6, alpha: 40.0, a: 0.8, b: 2.4 };
        let history = Rfx { x: 5, t_x: 200.0, t: 220.0 };
        let buyer = Buyer { history, avg_order_cents: 10_000 };
        let today = d(2026, 11, 23);
        let f = forecast(today, &[], &[buyer], Some(&p));
        let span = (d(2027, 2, 1) - today).num_days() as f64;
        let total: f64 = f.months.iter().map(|m| m.repeat_purchases).sum();
        assert!((total - expected_purchases(&p, &history, span)).abs() < 1e-9);
        // The short rest of November expects less than a full December.
        assert!(f.months[0].repeat_purchases < f.months[1].repeat_purchases);
        let cents: i64 = f.months.iter().map(|m| m.repeat_cents).sum();
        assert!((cents as f64 - total * 10_000.0).abs() <= 3.0);
    }

    #[test]
    fn a_buyers_repeats_split_the_models_expectation_at_each_month_end() {
        let p = BgNbdParams { r: 0.6, alpha: 40.0, a: 0.8, b: 2.4 };
        let today = d(2026, 12, 7);
        let ends = [d(2027, 1, 1), d(2027, 2, 1), d(2027, 3, 1)].map(|end| (end - today).num_days() as f64);
        let histories = [Rfx { x: 5, t_x: 200.0, t: 220.0 }, Rfx { x: 0, t_x: 0.0, t: 400.0 }, Rfx { x: 12, t_x: 300.0, t: 301.0 }];
        for history in &histories {
            let by_month = repeat_by_month(today, history, &p);
            let mut upto = 0.0;
            for (within, end) in by_month.iter().zip(ends) {
                upto += within;
                assert!((upto - expected_purchases(&p, history, end)).abs() < 1e-9, "{history:?}");
            }
        }
        // A recent, frequent buyer is expected to buy more than one silent for over a year.
        let total = |h: &Rfx| repeat_by_month(today, h, &p).iter().sum::<f64>();
        assert!(total(&histories[2]) > total(&histories[1]));
    }

    #[test]
    fn without_a_model_only_the_pipeline_counts() {
        let f = forecast(d(2026, 1, 31), &[], &[Buyer { history: Rfx { x: 1, t_x: 1.0, t: 2.0 }, avg_order_cents: 5 }], None);
        assert!(f.months.iter().all(|m| m.total_cents == 0 && m.repeat_purchases == 0.0));
        assert_eq!(f.months[0].from, d(2026, 1, 31));
    }
}
