//! The after-sales plans as the admin types them: one row per step (category, what, from
//! when, days), grouped into a plan per category in the order the categories first appear.

use serde::{Deserialize, Serialize};

use super::care_plan::{Anchor, CarePlan, CareStep, StepKind};
use super::types::CATEGORY_MAX;
use crate::check::Check;
use crate::problem::Problem;

pub const STEPS_MAX: usize = 60;
/// Two years: a step later than that belongs to the next contract.
pub const STEP_DAYS_MAX: u32 = 730;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareStepInput {
    /// A product category; empty: the default plan.
    pub category: String,
    /// A [`StepKind`] key.
    pub kind: String,
    /// An [`Anchor`] key.
    pub anchor: String,
    pub days: String,
}

/// Checks the rows (each problem named `care_steps.{row}.{field}`) into plans.
pub fn validate_care_steps(c: &mut Check, rows: &[CareStepInput]) -> Vec<CarePlan> {
    if rows.len() > STEPS_MAX {
        c.fail("care_steps", Problem::TooMany { max: STEPS_MAX });
    }
    let mut plans: Vec<CarePlan> = Vec::new();
    for (i, row) in rows.iter().take(STEPS_MAX).enumerate() {
        let field = |name: &str| format!("care_steps.{i}.{name}");
        let category = c.line(&field("category"), &row.category, CATEGORY_MAX, false);
        let kind = StepKind::from_key(row.kind.trim());
        if kind.is_none() {
            c.fail(&field("kind"), Problem::UnknownChoice);
        }
        let anchor = Anchor::from_key(row.anchor.trim());
        if anchor.is_none() {
            c.fail(&field("anchor"), Problem::UnknownChoice);
        }
        let days = match row.days.trim().parse::<u32>() {
            Ok(d) if d <= STEP_DAYS_MAX => Some(d),
            _ if row.days.trim().is_empty() => {
                c.fail(&field("days"), Problem::Required);
                None
            }
            _ => {
                c.fail(&field("days"), Problem::OutOfRange { min: 0, max: i64::from(STEP_DAYS_MAX) });
                None
            }
        };
        let (Some(kind), Some(anchor), Some(days)) = (kind, anchor, days) else { continue };
        let step = CareStep { kind, anchor, days };
        match plans.iter_mut().find(|p| p.category == category) {
            Some(plan) if plan.steps.contains(&step) => c.fail(&field("days"), Problem::Duplicate),
            Some(plan) => plan.steps.push(step),
            None => plans.push(CarePlan { category, steps: vec![step] }),
        }
    }
    plans
}

/// The plans as rows, as [`validate_care_steps`] reads them back.
pub fn care_step_rows(plans: &[CarePlan]) -> Vec<CareStepInput> {
    plans
        .iter()
        .flat_map(|p| {
            p.steps.iter().map(|s| CareStepInput {
                category: p.category.clone(),
                kind: s.kind.key().into(),
                anchor: s.anchor.key().into(),
                days: s.days.to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(category: &str, kind: &str, anchor: &str, days: &str) -> CareStepInput {
        CareStepInput { category: category.into(), kind: kind.into(), anchor: anchor.into(), days: days.into() }
    }

    #[test]
    fn rows_group_into_plans_by_category_in_first_seen_order() {
        let rows = vec![
            row("", "visit", "after_win", "7"),
            row(" 硬件 ", "visit", "after_win", "3"),
            row("", "nps", "before_end", "60"),
            row("硬件", "csat", "after_win", "90"),
        ];
        let mut c = Check::default();
        let plans = validate_care_steps(&mut c, &rows);
        assert!(c.errors.is_empty());
        assert_eq!(plans.iter().map(|p| (p.category.as_str(), p.steps.len())).collect::<Vec<_>>(), vec![("", 2), ("硬件", 2)]);
        assert_eq!(plans[0].steps[1], CareStep { kind: StepKind::Nps, anchor: Anchor::BeforeContractEnd, days: 60 });
        let back = care_step_rows(&plans);
        assert_eq!(back[2], row("硬件", "visit", "after_win", "3"));
        let mut again = Check::default();
        assert_eq!(validate_care_steps(&mut again, &back), plans);
    }

    #[test]
    fn bad_rows_name_their_row_and_field() {
        let rows = vec![
            row("", "call", "after_win", "7"),
            row("", "visit", "someday", "7"),
            row("", "visit", "after_win", "731"),
            row("", "visit", "after_win", ""),
            row("", "nps", "after_win", "90"),
            row("", "nps", "after_win", "90"),
        ];
        let mut c = Check::default();
        validate_care_steps(&mut c, &rows);
        let fields: Vec<_> = c.errors.iter().map(|e| (e.field.as_str(), e.problem.clone())).collect();
        assert_eq!(fields, vec![
            ("care_steps.0.kind", Problem::UnknownChoice),
            ("care_steps.1.anchor", Problem::UnknownChoice),
            ("care_steps.2.days", Problem::OutOfRange { min: 0, max: 730 }),
            ("care_steps.3.days", Problem::Required),
            ("care_steps.5.days", Problem::Duplicate),
        ]);
    }
}
