//! What the three pages (/targets, /performance, /activity) receive, what people type into
//! them, and the settings admins keep (the score's weights, when warnings start, how many
//! working days of silence the manager's page shows).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::check::Check;
use crate::error::FieldError;
use crate::money::parse_money;
use crate::problem::Problem;

use super::board::{Habits, LeaderRow};
use super::chance::Chance;
use super::heatmap::Heatmap;
use super::pace::{Pace, WarnRule};
use super::period::Period;
use super::score::{check_weights, Weight};
use super::types::{Holder, Metric};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerformanceSettings {
    pub weights: Vec<Weight>,
    pub warn: WarnRule,
    /// People with no follow-up for this many working days show on the manager's page.
    pub silence_days: u32,
}

impl Default for PerformanceSettings {
    fn default() -> Self {
        PerformanceSettings {
            weights: vec![
                Weight { metric: Metric::Collected, percent: 30 },
                Weight { metric: Metric::Signed, percent: 40 },
                Weight { metric: Metric::NewCustomers, percent: 20 },
                Weight { metric: Metric::FollowUps, percent: 10 },
            ],
            warn: WarnRule::default(),
            silence_days: 5,
        }
    }
}

/// The settings as typed: a percent per metric (empty is 0), the warning's first day and
/// threshold, the silence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsInput {
    /// (metric key, percent as typed).
    pub weights: Vec<(String, String)>,
    pub warn_from_day: String,
    pub warn_behind_points: String,
    pub silence_days: String,
}

fn whole(check: &mut Check, field: &str, text: &str, min: u32, max: u32) -> u32 {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => n,
        Ok(_) => {
            check.fail(field, Problem::OutOfRange { min: i64::from(min), max: i64::from(max) });
            0
        }
        Err(_) if text.is_empty() && min == 0 => 0,
        Err(_) => {
            check.fail(field, Problem::InvalidAmount);
            0
        }
    }
}

pub fn validate_settings(input: &SettingsInput) -> Result<PerformanceSettings, Vec<FieldError>> {
    let mut check = Check::default();
    let mut weights = Vec::new();
    for (key, percent) in &input.weights {
        let field = format!("weight_{key}");
        let Some(metric) = Metric::from_key(key) else {
            check.fail(&field, Problem::UnknownChoice);
            continue;
        };
        let percent = whole(&mut check, &field, percent, 0, 100);
        if percent > 0 {
            weights.push(Weight { metric, percent });
        }
    }
    if check_weights(&weights).is_err() {
        check.fail("weights", Problem::WeightsSum { total: weights.iter().map(|w| i64::from(w.percent)).sum() });
    }
    let from_day = whole(&mut check, "warn_from_day", &input.warn_from_day, 1, 28);
    let behind = whole(&mut check, "warn_behind_points", &input.warn_behind_points, 0, 100);
    let silence_days = whole(&mut check, "silence_days", &input.silence_days, 1, 60);
    check.finish(PerformanceSettings { weights, warn: WarnRule { from_day, behind_points: f64::from(behind) }, silence_days })
}

/// One target as typed: its metric, holder and period by key, the amount as typed (money in
/// yuan, counts whole).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetInput {
    pub metric: String,
    pub holder: String,
    pub period: String,
    pub amount: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidTarget {
    pub metric: Metric,
    pub holder: Holder,
    pub period: Period,
    pub amount: i64,
}

/// The largest count target (follow-ups, new customers).
pub const MAX_COUNT: i64 = 10_000_000;

pub fn parse_amount(metric: Metric, text: &str) -> Result<i64, Problem> {
    if metric.is_money() {
        parse_money(text)
    } else {
        match text.trim().parse::<i64>() {
            Ok(n) if (0..=MAX_COUNT).contains(&n) => Ok(n),
            Ok(_) => Err(Problem::OutOfRange { min: 0, max: MAX_COUNT }),
            Err(_) if text.trim().is_empty() => Err(Problem::Required),
            Err(_) => Err(Problem::InvalidAmount),
        }
    }
}

pub fn validate_target(input: &TargetInput) -> Result<ValidTarget, Vec<FieldError>> {
    let mut check = Check::default();
    let metric = Metric::from_key(&input.metric);
    if metric.is_none() {
        check.fail("metric", Problem::UnknownChoice);
    }
    let holder = Holder::from_key(&input.holder);
    if holder.is_none() {
        check.fail("holder", Problem::UnknownChoice);
    }
    let period = Period::from_key(&input.period);
    if period.is_none() {
        check.fail("period", Problem::InvalidDate);
    }
    let amount = match metric.map(|m| parse_amount(m, &input.amount)) {
        Some(Ok(a)) if a < 0 => {
            check.fail("amount", Problem::Negative);
            0
        }
        Some(Ok(a)) => a,
        Some(Err(p)) => {
            check.fail("amount", p);
            0
        }
        None => 0,
    };
    check.finish(())?;
    match (metric, holder, period) {
        (Some(metric), Some(holder), Some(period)) => Ok(ValidTarget { metric, holder, period, amount }),
        _ => Err(vec![FieldError::new("metric", Problem::UnknownChoice)]),
    }
}

/// Cascading a holder's year target (拆解): into its months and quarters, and/or among its
/// children, each evenly or in the shape of last year's actual results.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeInput {
    pub metric: String,
    pub holder: String,
    pub year: i32,
    pub into_months: bool,
    pub into_children: bool,
    /// Split by last year's results rather than evenly.
    pub by_last_year: bool,
}

/// One row of the targets grid: a holder's year, quarters and months, and how far things
/// are from adding up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    pub holder: String,
    pub name: String,
    pub depth: u8,
    pub may_set: bool,
    pub year: Option<i64>,
    pub quarters: Vec<Option<i64>>,
    pub months: Vec<Option<i64>>,
    /// Months' sum minus the year (when both are set).
    pub months_gap: Option<i64>,
    /// Quarters' sum minus the year.
    pub quarters_gap: Option<i64>,
    /// The children's years summed minus this year (when any child has one).
    pub children_gap: Option<i64>,
    /// Earlier values of the year target this year: (from, amount), oldest first.
    pub history: Vec<(NaiveDate, i64)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetsPage {
    pub year: i32,
    pub metric: Metric,
    pub rows: Vec<TargetRow>,
}

/// Progress of one holder on one metric in a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub holder: String,
    pub name: String,
    pub metric: Metric,
    pub pace: Pace,
    /// For the money metrics the pipeline and repeat orders speak to.
    pub chance: Option<Chance>,
    pub behind: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PerformancePage {
    pub period: String,
    pub today: NaiveDate,
    pub progress: Vec<ProgressRow>,
    pub board: Vec<LeaderRow>,
    pub settings: PerformanceSettings,
    pub may_edit_settings: bool,
}

/// A person's habits next to the best quarter's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HabitRow {
    pub username: String,
    pub name: String,
    pub habits: Habits,
}

/// Someone with no follow-up logged for a while.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SilentRow {
    pub username: String,
    pub name: String,
    pub last: Option<NaiveDate>,
    pub working_days: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityPage {
    /// Whose activity: a holder key the reader may see.
    pub holder: String,
    /// The holders the reader may choose: (key, name).
    pub holders: Vec<(String, String)>,
    pub period: String,
    pub heatmap: Heatmap,
    pub top: Option<Habits>,
    pub people: Vec<HabitRow>,
    pub silent: Vec<SilentRow>,
    pub silence_days: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_checked_field_by_field() {
        let ok = TargetInput { metric: "signed".into(), holder: "team:east".into(), period: "2027".into(), amount: "1,200,000".into() };
        let valid = validate_target(&ok).unwrap();
        assert_eq!((valid.amount, valid.period), (120_000_000, Period::Year(2027)));
        let count = TargetInput { metric: "follow_ups".into(), amount: "12.5".into(), ..ok.clone() };
        assert_eq!(validate_target(&count).unwrap_err()[0].field, "amount");
        let bad = TargetInput { metric: "x".into(), holder: "planet:mars".into(), period: "2027-13".into(), amount: "1".into() };
        let fields: Vec<String> = validate_target(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["metric", "holder", "period"]);
        let negative = TargetInput { amount: "-5".into(), ..ok };
        assert!(validate_target(&negative).is_err());
    }

    #[test]
    fn weights_must_add_up_to_one_hundred() {
        let input = SettingsInput {
            weights: vec![("signed".into(), "60".into()), ("collected".into(), "30".into()), ("follow_ups".into(), "".into())],
            warn_from_day: "15".into(),
            warn_behind_points: "10".into(),
            silence_days: "5".into(),
        };
        let errors = validate_settings(&input).unwrap_err();
        assert_eq!(errors[0].field, "weights");
        let fixed = SettingsInput { weights: vec![("signed".into(), "70".into()), ("collected".into(), "30".into())], ..input };
        let s = validate_settings(&fixed).unwrap();
        assert_eq!((s.weights.len(), s.warn.from_day, s.silence_days), (2, 15, 5));
        let late = SettingsInput { warn_from_day: "31".into(), ..fixed };
        assert_eq!(validate_settings(&late).unwrap_err()[0].field, "warn_from_day");
    }
}
