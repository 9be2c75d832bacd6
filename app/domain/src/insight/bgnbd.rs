//! The BG/NBD model of repeat buying (Fader, Hardie & Lee, 2005, "Counting Your Customers
//! the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2)).
//!
//! # The model
//! While a customer is alive, they buy at rate λ (a Poisson process); λ varies across
//! customers as Gamma(r, α). After each repeat purchase they drop out for good with
//! probability p; p varies across customers as Beta(a, b). The first purchase starts the
//! clock (time 0) and is not counted. What is observed per customer is (x, tₓ, T): the number
//! of repeat purchases, the time of the last one, and the time from the first purchase to now.
//! Time here is in days; a purchase is a day with a positive net order total (several orders
//! on one day are one purchase).
//!
//! # Fitting
//! The log-likelihood of one customer (the paper's eq. 6, in logs):
//!
//! ```text
//! ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
//!        + ln[ (α+T)^−(r+x) + δ(x>0) · a/(b+x−1) · (α+tₓ)^−(r+x) ]
//! ```
//!
//! summed over all customers and maximised over (r, α, a, b) by Nelder–Mead on their
//! logarithms (which keeps all four positive). The terms that depend only on x are computed
//! once per distinct x, so one evaluation costs a couple of transcendental calls per customer.
//!
//! # Per customer
//! P(alive | x, tₓ, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))   (eq. 12)
//!
//! E[Y(t) | x, tₓ, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
//!                        · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive | …)   (eq. 10)
//!
//! the expected number of purchases in the next t days.

use chrono::NaiveDate;

use super::special::{hyp2f1, ln_gamma, nelder_mead};
use super::types::{BgNbdParams, ModelFit};

/// One customer's purchase history in the model's terms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rfx {
    /// Repeat purchases (all purchases but the first).
    pub x: u32,
    /// Days from the first purchase to the last.
    pub t_x: f64,
    /// Days from the first purchase to the day of the analysis.
    pub t: f64,
}

/// (x, tₓ, T) from a customer's purchase days (sorted, distinct, none after `as_of`);
/// `None` for a customer with no purchase.
pub fn summarise(purchase_days: &[NaiveDate], as_of: NaiveDate) -> Option<Rfx> {
    let first = *purchase_days.first()?;
    let last = *purchase_days.last()?;
    Some(Rfx {
        x: (purchase_days.len() - 1) as u32,
        t_x: (last - first).num_days() as f64,
        t: (as_of - first).num_days() as f64,
    })
}

/// Why no model could be fitted.
#[derive(Clone, Debug, PartialEq)]
pub enum FitError {
    /// Too few customers, or none with a repeat purchase: the data cannot tell the
    /// parameters apart.
    TooLittleData { customers: usize, repeat_buyers: usize },
}

/// The fewest customers (and repeat buyers among them) a fit is attempted with.
pub const MIN_CUSTOMERS: usize = 30;
pub const MIN_REPEAT_BUYERS: usize = 10;

/// The data arranged for fast likelihood evaluations.
struct Prepared {
    xs: Vec<u32>,
    big_ts: Vec<f64>,
    small_ts: Vec<f64>,
    /// Per customer: indexes into the three tables.
    rows: Vec<(u32, u32, u32)>,
}

/// Each distinct value once, with the index it got.
#[derive(Default)]
struct Table {
    values: Vec<f64>,
    seen: std::collections::HashMap<u64, u32>,
}

impl Table {
    fn index(&mut self, v: f64) -> u32 {
        *self.seen.entry(v.to_bits()).or_insert_with(|| {
            self.values.push(v);
            (self.values.len() - 1) as u32
        })
    }
}

fn prepare(data: &[Rfx]) -> Prepared {
    let (mut xs, mut big, mut small) = (Table::default(), Table::default(), Table::default());
    let rows = data.iter().map(|d| (xs.index(d.x as f64), big.index(d.t), small.index(d.t_x))).collect();
    Prepared { xs: xs.values.iter().map(|x| *x as u32).collect(), big_ts: big.values, small_ts: small.values, rows }
}

/// ln a + ln b computed stably as ln(eᵘ + eᵛ).
fn log_add_exp(u: f64, v: f64) -> f64 {
    let m = u.max(v);
    m + (-(u - v).abs()).exp().ln_1p()
}

/// The total log-likelihood of the prepared data under `p`.
fn log_likelihood_prepared(p: &BgNbdParams, data: &Prepared) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let ln_alpha = alpha.ln();
    let base = ln_gamma(a + b) - ln_gamma(b);
    // Per distinct x: the terms that do not depend on time, and ln(a/(b+x−1)).
    let per_x: Vec<(f64, f64, f64)> = data
        .xs
        .iter()
        .map(|&x| {
            let x = x as f64;
            let a1 = ln_gamma(r + x) - ln_gamma(r) + r * ln_alpha;
            let a2 = base + ln_gamma(b + x) - ln_gamma(a + b + x);
            let ratio = if x > 0.0 { a.ln() - (b + x - 1.0).ln() } else { f64::NEG_INFINITY };
            (a1 + a2, ratio, r + x)
        })
        .collect();
    let ln_big: Vec<f64> = data.big_ts.iter().map(|t| (alpha + t).ln()).collect();
    let ln_small: Vec<f64> = data.small_ts.iter().map(|t| (alpha + t).ln()).collect();
    data.rows
        .iter()
        .map(|&(xi, ti, txi)| {
            let (fixed, ratio, power) = per_x[xi as usize];
            let a3 = -power * ln_big[ti as usize];
            if ratio == f64::NEG_INFINITY {
                fixed + a3
            } else {
                fixed + log_add_exp(a3, ratio - power * ln_small[txi as usize])
            }
        })
        .sum()
}

/// The total log-likelihood of `data` under `p` (for tests and diagnostics).
pub fn log_likelihood(p: &BgNbdParams, data: &[Rfx]) -> f64 {
    log_likelihood_prepared(p, &prepare(data))
}

/// Maximum-likelihood parameters for `data`.
pub fn fit(data: &[Rfx]) -> Result<ModelFit, FitError> {
    let repeat_buyers = data.iter().filter(|d| d.x > 0).count();
    if data.len() < MIN_CUSTOMERS || repeat_buyers < MIN_REPEAT_BUYERS {
        return Err(FitError::TooLittleData { customers: data.len(), repeat_buyers });
    }
    let prepared = prepare(data);
    let n = data.len() as f64;
    // Start where the data points: the mean buying rate sets r/α, a dropout chance near ¼.
    let mean_x = data.iter().map(|d| d.x as f64).sum::<f64>() / n;
    let mean_t = (data.iter().map(|d| d.t).sum::<f64>() / n).max(1.0);
    let rate = (mean_x / mean_t).max(1e-4);
    let start = [0.0f64, (1.0 / rate).ln(), 0.0, 3f64.ln()];
    let negative = |theta: &[f64]| {
        let p = BgNbdParams { r: theta[0].exp(), alpha: theta[1].exp(), a: theta[2].exp(), b: theta[3].exp() };
        // Keep away from degenerate corners where the series and gammas lose precision.
        if theta.iter().any(|t| !(-12.0..=12.0).contains(t)) {
            return f64::NAN;
        }
        -log_likelihood_prepared(&p, &prepared) / n
    };
    let mut best = nelder_mead(&negative, &start, 1.0, 1e-12, 4_000);
    let mut iterations = best.iterations;
    // A restart from the found point escapes a simplex that collapsed early.
    let again = nelder_mead(&negative, &best.x, 0.3, 1e-12, 4_000);
    iterations += again.iterations;
    if again.value <= best.value {
        best = again;
    }
    let params = BgNbdParams { r: best.x[0].exp(), alpha: best.x[1].exp(), a: best.x[2].exp(), b: best.x[3].exp() };
    Ok(ModelFit { params, log_likelihood: -best.value * n, customers: data.len(), iterations })
}

/// a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x), the odds against being alive (zero without repeats).
fn odds_dead(p: &BgNbdParams, d: &Rfx) -> f64 {
    if d.x == 0 {
        return 0.0;
    }
    let x = d.x as f64;
    let log = p.a.ln() - (p.b + x - 1.0).ln() + (p.r + x) * ((p.alpha + d.t).ln() - (p.alpha + d.t_x).ln());
    log.exp()
}

/// The probability that the customer is still buying. Always 1 for a customer without a
/// repeat purchase: in the model, dropping out only happens right after a repeat purchase.
pub fn p_alive(p: &BgNbdParams, d: &Rfx) -> f64 {
    1.0 / (1.0 + odds_dead(p, d))
}

/// Expected purchases in the next `days` days.
pub fn expected_purchases(p: &BgNbdParams, d: &Rfx, days: f64) -> f64 {
    if days <= 0.0 {
        return 0.0;
    }
    let x = d.x as f64;
    // The formula divides by a−1: nudge a fitted value of exactly 1 off the pole.
    let a = if (p.a - 1.0).abs() < 1e-6 { 1.0 + 1e-6 } else { p.a };
    let horizon = p.alpha + d.t + days;
    let z = days / horizon;
    let share = ((p.alpha + d.t) / horizon).powf(p.r + x);
    let series = hyp2f1(p.r + x, p.b + x, a + p.b + x - 1.0, z);
    let unconditional = (a + p.b + x - 1.0) / (a - 1.0) * (1.0 - share * series);
    (unconditional / (1.0 + odds_dead(p, d))).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::simulate::{simulate, SimulatedCustomer};
    use crate::rng::Rng;

    const TRUE: BgNbdParams = BgNbdParams { r: 0.6, alpha: 40.0, a: 0.8, b: 2.4 };

    fn population(n: usize, seed: u64) -> Vec<SimulatedCustomer> {
        let mut rng = Rng(seed);
        (0..n).map(|i| simulate(&mut rng, &TRUE, 200.0 + (i % 300) as f64, 90.0)).collect()
    }

    #[test]
    fn fitting_simulated_customers_recovers_the_parameters() {
        let people = population(20_000, 7);
        let data: Vec<Rfx> = people.iter().map(|c| c.calibration).collect();
        let found = fit(&data).expect("enough data").params;
        let close = |got: f64, want: f64, tol: f64| (got / want - 1.0).abs() < tol;
        assert!(close(found.r, TRUE.r, 0.15), "r {found:?}");
        assert!(close(found.alpha, TRUE.alpha, 0.2), "alpha {found:?}");
        assert!(close(found.a, TRUE.a, 0.35), "a {found:?}");
        assert!(close(found.b, TRUE.b, 0.4), "b {found:?}");
        // The fitted point is at least as likely as the truth (it is the maximum).
        assert!(log_likelihood(&found, &data) >= log_likelihood(&TRUE, &data) - 1e-6);
    }

    #[test]
    fn predictions_match_what_simulated_customers_then_did() {
        let people = population(20_000, 11);
        let predicted: f64 = people.iter().map(|c| expected_purchases(&TRUE, &c.calibration, 90.0)).sum();
        let actual: f64 = people.iter().map(|c| c.holdout as f64).sum();
        assert!((predicted / actual - 1.0).abs() < 0.05, "predicted {predicted}, actual {actual}");
        // Those the model calls likely gone really bought far less afterwards.
        let (gone, alive): (Vec<_>, Vec<_>) = people.iter().partition(|c| p_alive(&TRUE, &c.calibration) < 0.3);
        let mean = |v: &[&SimulatedCustomer]| v.iter().map(|c| c.holdout as f64).sum::<f64>() / v.len().max(1) as f64;
        assert!(!gone.is_empty() && mean(&gone) * 3.0 < mean(&alive), "gone {} alive {}", mean(&gone), mean(&alive));
    }

    #[test]
    fn one_purchase_only_is_alive_and_expected_to_buy_less_as_time_passes() {
        let fresh = Rfx { x: 0, t_x: 0.0, t: 10.0 };
        let old = Rfx { x: 0, t_x: 0.0, t: 400.0 };
        assert_eq!(p_alive(&TRUE, &fresh), 1.0);
        assert!(expected_purchases(&TRUE, &fresh, 90.0) > expected_purchases(&TRUE, &old, 90.0));
        assert_eq!(expected_purchases(&TRUE, &fresh, 0.0), 0.0);
    }

    #[test]
    fn silence_after_frequent_buying_lowers_p_alive() {
        let recent = Rfx { x: 8, t_x: 290.0, t: 300.0 };
        let silent = Rfx { x: 8, t_x: 100.0, t: 300.0 };
        assert!(p_alive(&TRUE, &recent) > 0.9);
        assert!(p_alive(&TRUE, &silent) < 0.1);
        // More days ahead, more purchases expected.
        assert!(expected_purchases(&TRUE, &recent, 90.0) > expected_purchases(&TRUE, &recent, 30.0));
    }

    #[test]
    fn summarise_counts_repeats_from_the_first_purchase() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let got = summarise(&[d(1, 1), d(2, 1), d(3, 1)], d(4, 1)).unwrap();
        assert_eq!(got, Rfx { x: 2, t_x: 59.0, t: 90.0 });
        assert_eq!(summarise(&[], d(4, 1)), None);
    }

    #[test]
    fn too_little_data_is_refused_not_guessed() {
        let data = vec![Rfx { x: 0, t_x: 0.0, t: 30.0 }; 100];
        assert_eq!(fit(&data), Err(FitError::TooLittleData { customers: 100, repeat_buyers: 0 }));
    }
}
