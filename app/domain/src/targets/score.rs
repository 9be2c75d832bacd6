//! The weighted performance score (综合得分): admins weigh the metrics (e.g. 回款 30 %, 签约
//! 40 %, 新客户 20 %, 跟进 10 %); each person's part of a metric is its weight × how much of
//! their target they reached (capped, so one record month cannot hide everything else), or,
//! without a target, × their share of the best in the group. Every part is shown.

use serde::{Deserialize, Serialize};

use super::types::Metric;

/// Achievement counts up to this many percent of a target.
pub const CAP_PERCENT: f64 = 150.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Weight {
    pub metric: Metric,
    /// Percent; the weights add up to 100.
    pub percent: u32,
}

/// The weights as admins set them, if they add up to 100 and name each metric once.
pub fn check_weights(weights: &[Weight]) -> Result<(), String> {
    let total: u32 = weights.iter().map(|w| w.percent).sum();
    if total != 100 {
        return Err(format!("weights add up to {total}, not 100"));
    }
    for (i, w) in weights.iter().enumerate() {
        if weights[..i].iter().any(|x| x.metric == w.metric) {
            return Err(format!("{} is weighed twice", w.metric.key()));
        }
    }
    Ok(())
}

/// One person's figures for one metric.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figure {
    pub actual: i64,
    pub target: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScorePart {
    pub metric: Metric,
    pub weight: u32,
    /// Percent of the target reached (capped), or of the group's best when there is no target.
    pub achievement_percent: f64,
    /// weight × achievement, in points (the score is their sum).
    pub points: f64,
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A person's parts and score: `figure(metric)` gives their figures, `best(metric)` the
/// group's highest actual of a metric.
pub fn score(weights: &[Weight], figure: impl Fn(Metric) -> Figure, best: impl Fn(Metric) -> i64) -> (f64, Vec<ScorePart>) {
    let parts: Vec<ScorePart> = weights
        .iter()
        .map(|w| {
            let f = figure(w.metric);
            let achievement = match f.target {
                Some(target) if target > 0 => (f.actual as f64 * 100.0 / target as f64).clamp(0.0, CAP_PERCENT),
                _ => {
                    let top = best(w.metric);
                    if top > 0 { (f.actual as f64 * 100.0 / top as f64).clamp(0.0, 100.0) } else { 0.0 }
                }
            };
            ScorePart { metric: w.metric, weight: w.percent, achievement_percent: round1(achievement), points: round1(achievement * f64::from(w.percent) / 100.0) }
        })
        .collect();
    (round1(parts.iter().map(|p| p.points).sum()), parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weights() -> Vec<Weight> {
        vec![
            Weight { metric: Metric::Collected, percent: 30 },
            Weight { metric: Metric::Signed, percent: 40 },
            Weight { metric: Metric::NewCustomers, percent: 20 },
            Weight { metric: Metric::FollowUps, percent: 10 },
        ]
    }

    #[test]
    fn weights_must_add_up_and_name_each_metric_once() {
        assert!(check_weights(&weights()).is_ok());
        let mut short = weights();
        short[0].percent = 20;
        assert_eq!(check_weights(&short), Err("weights add up to 90, not 100".into()));
        let mut twice = weights();
        twice[3].metric = Metric::Signed;
        assert!(check_weights(&twice).is_err());
    }

    #[test]
    fn each_part_is_weight_times_achievement_capped_and_shown() {
        let figure = |m: Metric| match m {
            Metric::Collected => Figure { actual: 240, target: Some(300) },  // 80 %
            Metric::Signed => Figure { actual: 900, target: Some(400) },     // 225 % → capped at 150
            Metric::NewCustomers => Figure { actual: 3, target: None },      // best is 6: 50 %
            _ => Figure { actual: 0, target: Some(40) },
        };
        let (total, parts) = score(&weights(), figure, |m| if m == Metric::NewCustomers { 6 } else { 0 });
        let points: Vec<f64> = parts.iter().map(|p| p.points).collect();
        assert_eq!(points, vec![24.0, 60.0, 10.0, 0.0]);
        assert_eq!(parts[1].achievement_percent, 150.0);
        assert_eq!(total, 94.0);
    }
}
