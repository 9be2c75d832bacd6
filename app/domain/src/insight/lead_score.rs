//! The lead score: how likely a lead is to be won, learned from this company's own closed
//! deals. A plain L2-regularised logistic regression, fitted by Newton's method (IRLS).
//!
//! Why this model: the history of a small company is a few hundred closed deals; a linear
//! model with a penalty neither overfits them nor needs tuning, fits in milliseconds, and its
//! weights explain themselves — each lead's score comes with the facts that moved it most
//! ("来源：转介绍 ↑", "拜访 3 次 ↑").
//!
//! What a lead is described by (`LeadFacts`): its source, industry and region (one indicator
//! per value seen at least `MIN_SEEN` times; rarer values and blanks count as "other"), its
//! touches by kind and in all (as ln(1 + n): the third visit says less than the first), and
//! the days since the first touch (in quarters, capped at a year; "never touched" is its
//! own indicator). A training example is a customer with closed deals, described as it was
//! when its first deal was won (won) or its last one lost (not won).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::customers::types::TouchpointKind;

/// A category value must appear this often in the history to get its own weight.
pub const MIN_SEEN: usize = 3;
/// At most this many values per category get a weight (the most frequent ones).
pub const MAX_VALUES: usize = 20;
/// Below this many examples of each outcome, no model is fitted: its weights would be noise.
pub const MIN_EACH_OUTCOME: usize = 5;
/// The L2 penalty on every weight but the intercept.
pub const PENALTY: f64 = 1.0;

/// What is known about a lead (or was known about a customer when its deal closed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeadFacts {
    pub source: String,
    pub industry: String,
    pub region: String,
    /// Touches by kind, in `TouchpointKind::ALL` order.
    pub touches: [u32; 7],
    /// Days from the first touch to the moment described; `None` when never touched.
    pub days_since_first_touch: Option<i64>,
}

impl LeadFacts {
    pub fn touch(&mut self, kind: TouchpointKind) {
        if let Some(i) = TouchpointKind::ALL.iter().position(|k| *k == kind) {
            self.touches[i] += 1;
        }
    }
}

/// One input of the model, as a reader would name it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Feature {
    Source(String),
    Industry(String),
    Region(String),
    /// Touches of one kind.
    Touches(TouchpointKind),
    /// Touches of every kind together.
    AllTouches,
    /// Time since the first touch.
    Age,
    NeverTouched,
}

/// A fact that moved one lead's score, and how far (its share of the log-odds).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub feature: Feature,
    /// The value behind a count or an age (touches, days), for the reader.
    pub amount: Option<i64>,
    /// Positive raises the chance, negative lowers it.
    pub effect: f64,
}

/// A lead's chance of being won, with the facts that moved it most.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadScore {
    pub percent: u8,
    pub reasons: Vec<Reason>,
}

/// A fitted model: one weight per feature, plus the intercept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadModel {
    pub features: Vec<Feature>,
    pub weights: Vec<f64>,
    pub intercept: f64,
    /// The history it learned from.
    pub examples: usize,
    pub won: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoModel {
    /// Too few won or too few lost deals to learn from.
    TooFewExamples { won: usize, lost: usize },
}

/// The numeric features, after the category indicators, in this order.
const NUMERIC: usize = 7 + 3;

/// Category values worth a weight: seen at least `MIN_SEEN` times, the `MAX_VALUES` most common.
fn vocabulary<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for v in values.map(str::trim).filter(|v| !v.is_empty()) {
        *counts.entry(v).or_default() += 1;
    }
    let mut common: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n >= MIN_SEEN).collect();
    common.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    common.into_iter().take(MAX_VALUES).map(|(v, _)| v.to_string()).collect()
}

impl LeadModel {
    /// The features a history supports, in a fixed order: categories, then the numbers.
    fn features_for(examples: &[(LeadFacts, bool)]) -> Vec<Feature> {
        let mut features: Vec<Feature> = Vec::new();
        features.extend(vocabulary(examples.iter().map(|(f, _)| f.source.as_str())).into_iter().map(Feature::Source));
        features.extend(vocabulary(examples.iter().map(|(f, _)| f.industry.as_str())).into_iter().map(Feature::Industry));
        features.extend(vocabulary(examples.iter().map(|(f, _)| f.region.as_str())).into_iter().map(Feature::Region));
        features.extend(TouchpointKind::ALL.into_iter().map(Feature::Touches));
        features.extend([Feature::AllTouches, Feature::Age, Feature::NeverTouched]);
        features
    }

    /// The lead as the model's input: (feature index, value) for every non-zero input.
    fn encode(&self, facts: &LeadFacts) -> Vec<(usize, f64)> {
        let categories = self.features.len() - NUMERIC;
        let mut x = Vec::with_capacity(NUMERIC + 3);
        for (i, feature) in self.features[..categories].iter().enumerate() {
            let hit = match feature {
                Feature::Source(v) => facts.source.trim() == v,
                Feature::Industry(v) => facts.industry.trim() == v,
                Feature::Region(v) => facts.region.trim() == v,
                _ => false,
            };
            if hit {
                x.push((i, 1.0));
            }
        }
        for (k, n) in facts.touches.iter().enumerate() {
            if *n > 0 {
                x.push((categories + k, (1.0 + f64::from(*n)).ln()));
            }
        }
        let all: u32 = facts.touches.iter().sum();
        if all > 0 {
            x.push((categories + 7, (1.0 + f64::from(all)).ln()));
        }
        match facts.days_since_first_touch {
            Some(days) => {
                let quarters = (days.max(0) as f64 / 90.0).min(4.0);
                if quarters > 0.0 {
                    x.push((categories + 8, quarters));
                }
            }
            None => x.push((categories + 9, 1.0)),
        }
        x
    }

    /// Fits the model to a history of (facts, won).
    pub fn fit(examples: &[(LeadFacts, bool)]) -> Result<LeadModel, NoModel> {
        let won = examples.iter().filter(|(_, w)| *w).count();
        let lost = examples.len() - won;
        if won < MIN_EACH_OUTCOME || lost < MIN_EACH_OUTCOME {
            return Err(NoModel::TooFewExamples { won, lost });
        }
        let mut model = LeadModel {
            features: Self::features_for(examples),
            weights: Vec::new(),
            intercept: 0.0,
            examples: examples.len(),
            won,
        };
        let rows: Vec<(Vec<(usize, f64)>, f64)> =
            examples.iter().map(|(f, w)| (model.encode(f), if *w { 1.0 } else { 0.0 })).collect();
        // Parameter 0 is the intercept, 1.. the weights.
        let d = model.features.len() + 1;
        let base = won as f64 / examples.len() as f64;
        let mut beta = vec![0.0; d];
        beta[0] = (base / (1.0 - base)).ln();
        for _ in 0..50 {
            let mut gradient = vec![0.0; d];
            let mut hessian = vec![0.0; d * d];
            for (x, y) in &rows {
                let z = beta[0] + x.iter().map(|(j, v)| beta[j + 1] * v).sum::<f64>();
                let p = sigmoid(z);
                let r = p - y;
                let w = (p * (1.0 - p)).max(1e-9);
                gradient[0] += r;
                hessian[0] += w;
                for (j, v) in x {
                    gradient[j + 1] += r * v;
                    hessian[j + 1] += w * v;
                    hessian[(j + 1) * d] += w * v;
                    for (k, u) in x {
                        hessian[(j + 1) * d + k + 1] += w * v * u;
                    }
                }
            }
            for j in 1..d {
                gradient[j] += PENALTY * beta[j];
                hessian[j * d + j] += PENALTY;
            }
            let Some(step) = solve_positive(&hessian, &gradient, d) else { break };
            let mut largest: f64 = 0.0;
            for j in 0..d {
                beta[j] -= step[j];
                largest = largest.max(step[j].abs());
            }
            if largest < 1e-8 {
                break;
            }
        }
        model.intercept = beta[0];
        model.weights = beta[1..].to_vec();
        Ok(model)
    }

    /// The chance this lead is won, and the (at most three) facts that moved it most.
    pub fn score(&self, facts: &LeadFacts) -> LeadScore {
        let x = self.encode(facts);
        let z = self.intercept + x.iter().map(|(j, v)| self.weights[*j] * v).sum::<f64>();
        let percent = (sigmoid(z) * 100.0).round().clamp(0.0, 100.0) as u8;
        let mut reasons: Vec<Reason> = x
            .iter()
            .map(|(j, v)| {
                let feature = self.features[*j].clone();
                let amount = match &feature {
                    Feature::Touches(kind) => TouchpointKind::ALL.iter().position(|k| k == kind).map(|i| i64::from(facts.touches[i])),
                    Feature::AllTouches => Some(i64::from(facts.touches.iter().sum::<u32>())),
                    Feature::Age => facts.days_since_first_touch,
                    _ => None,
                };
                Reason { feature, amount, effect: self.weights[*j] * v }
            })
            .filter(|r| r.effect.abs() >= 0.05)
            .collect();
        reasons.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
        reasons.truncate(3);
        LeadScore { percent, reasons }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z.clamp(-35.0, 35.0)).exp())
}

/// Solves `a · x = b` for a symmetric positive definite `a` (n × n, row-major) by Cholesky.
fn solve_positive(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if sum <= 0.0 {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let sum: f64 = (0..i).map(|k| l[i * n + k] * y[k]).sum();
        y[i] = (b[i] - sum) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let sum: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
        x[i] = (y[i] - sum) / l[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn facts(source: &str, visits: u32, days: Option<i64>) -> LeadFacts {
        let mut f = LeadFacts { source: source.into(), industry: "制造".into(), region: "上海".into(), ..Default::default() };
        f.touches[1] = visits;
        f.days_since_first_touch = days;
        f
    }

    fn uniform(rng: &mut Rng) -> f64 {
        (rng.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A history drawn from a known rule: referrals win far more often, each visit helps,
    /// trade-fair leads are worse than average.
    fn history(n: usize, seed: u64) -> Vec<(LeadFacts, bool)> {
        let mut rng = Rng(seed);
        (0..n)
            .map(|_| {
                let source = *rng.pick(&["转介绍", "展会", "官网", "电话营销"]);
                let visits = rng.below(4) as u32;
                let z = -1.0
                    + match source {
                        "转介绍" => 2.0,
                        "展会" => -1.0,
                        _ => 0.0,
                    }
                    + 1.2 * (1.0 + f64::from(visits)).ln();
                let won = uniform(&mut rng) < sigmoid(z);
                let mut f = facts(source, visits, Some(30));
                f.touches[0] = 1;
                (f, won)
            })
            .collect()
    }

    #[test]
    fn learns_the_rule_it_was_drawn_from() {
        let model = LeadModel::fit(&history(4000, 7)).expect("enough history");
        let weight = |f: Feature| model.features.iter().position(|x| *x == f).map(|i| model.weights[i]).expect("feature kept");
        let referral = weight(Feature::Source("转介绍".into()));
        let fair = weight(Feature::Source("展会".into()));
        let web = weight(Feature::Source("官网".into()));
        // Only differences between sources are identified (they share the intercept).
        assert!((referral - web - 2.0).abs() < 0.35, "referral vs web {}", referral - web);
        assert!((fair - web + 1.0).abs() < 0.35, "fair vs web {}", fair - web);
        // Visits are seen both alone and in the all-touches count: their sum is the effect.
        let visits = weight(Feature::Touches(TouchpointKind::Visit)) + weight(Feature::AllTouches);
        assert!(visits > 0.6, "visits {visits}");
        // And the ranking follows: a referral with visits beats a fair lead without.
        let good = model.score(&facts("转介绍", 3, Some(30)));
        let poor = model.score(&facts("展会", 0, Some(30)));
        assert!(good.percent > 80 && poor.percent < 25, "{} vs {}", good.percent, poor.percent);
        assert!(matches!(good.reasons[0].feature, Feature::Source(ref s) if s == "转介绍"), "{:?}", good.reasons);
        assert!(good.reasons[0].effect > 0.0);
    }

    #[test]
    fn perfectly_separated_history_gives_finite_weights() {
        let mut examples: Vec<(LeadFacts, bool)> = (0..20).map(|_| (facts("转介绍", 2, Some(10)), true)).collect();
        examples.extend((0..20).map(|_| (facts("展会", 0, None), false)));
        let model = LeadModel::fit(&examples).expect("enough history");
        assert!(model.weights.iter().all(|w| w.is_finite() && w.abs() < 10.0), "{:?}", model.weights);
        assert!(model.score(&facts("转介绍", 2, Some(10))).percent > model.score(&facts("展会", 0, None)).percent);
    }

    #[test]
    fn too_little_history_fits_nothing() {
        let mut examples: Vec<(LeadFacts, bool)> = (0..30).map(|_| (facts("官网", 1, Some(5)), true)).collect();
        examples.extend((0..4).map(|_| (facts("官网", 0, None), false)));
        assert_eq!(LeadModel::fit(&examples), Err(NoModel::TooFewExamples { won: 30, lost: 4 }));
    }

    #[test]
    fn rare_and_unseen_values_count_as_other() {
        let mut examples = history(300, 3);
        examples.push((facts("朋友圈", 5, Some(1)), true));
        let model = LeadModel::fit(&examples).expect("enough history");
        assert!(!model.features.contains(&Feature::Source("朋友圈".into())));
        // A lead from a source never seen is scored like any "other" source, without a reason from it.
        let unseen = model.score(&facts("抖音", 0, Some(30)));
        assert!(unseen.reasons.iter().all(|r| !matches!(r.feature, Feature::Source(_))));
    }

    #[test]
    fn reasons_name_counts_and_ages() {
        let model = LeadModel::fit(&history(2000, 11)).expect("enough history");
        let score = model.score(&facts("官网", 3, Some(200)));
        let touches: Vec<&Reason> = score
            .reasons
            .iter()
            .filter(|r| matches!(r.feature, Feature::Touches(TouchpointKind::Visit) | Feature::AllTouches))
            .collect();
        assert!(!touches.is_empty(), "{:?}", score.reasons);
        assert!(touches.iter().all(|r| r.amount == Some(3)), "{:?}", touches);
        assert!(score.reasons.len() <= 3);
        assert!(score.reasons.windows(2).all(|w| w[0].effect.abs() >= w[1].effect.abs()));
    }

    #[test]
    fn cholesky_solves_a_small_system() {
        let a = [4.0, 2.0, 2.0, 3.0];
        let x = solve_positive(&a, &[2.0, 1.0], 2).expect("positive definite");
        assert!((4.0 * x[0] + 2.0 * x[1] - 2.0).abs() < 1e-12 && (2.0 * x[0] + 3.0 * x[1] - 1.0).abs() < 1e-12);
        assert!(solve_positive(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0], 2).is_none());
    }
}
