//! Customers drawn from the BG/NBD model's own story, for the model's tests (fit them and
//! get the parameters back) and for realistic demo orders.

use super::bgnbd::Rfx;
use super::types::BgNbdParams;
use crate::rng::Rng;

/// A simulated customer: purchase times in days from the first purchase (which is at 0),
/// what was observed up to `observed` days, and how many purchases followed in the holdout.
#[derive(Clone, Debug)]
pub struct SimulatedCustomer {
    pub purchases: Vec<f64>,
    pub calibration: Rfx,
    pub holdout: u32,
}

/// Draws one customer: λ ~ Gamma(r, α), p ~ Beta(a, b); while alive, purchases come at rate
/// λ and after each repeat purchase the customer drops out with probability p.
pub fn simulate(rng: &mut Rng, p: &BgNbdParams, observed: f64, holdout: f64) -> SimulatedCustomer {
    let lambda = rng.gamma(p.r) / p.alpha;
    let dropout = rng.beta(p.a, p.b);
    let mut purchases = vec![0.0];
    let mut now = 0.0;
    loop {
        now += rng.exponential(lambda.max(1e-12));
        if now > observed + holdout {
            break;
        }
        purchases.push(now);
        if rng.unit() < dropout {
            break;
        }
    }
    let seen: Vec<f64> = purchases.iter().copied().filter(|t| *t <= observed).collect();
    let calibration = Rfx { x: (seen.len() - 1) as u32, t_x: *seen.last().unwrap_or(&0.0), t: observed };
    let holdout = (purchases.len() - seen.len()) as u32;
    SimulatedCustomer { purchases, calibration, holdout }
}
