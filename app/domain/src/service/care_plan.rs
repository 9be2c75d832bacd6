//! The after-sales plan (售后计划): what follows a won deal, per product category — a visit at
//! +7 days, a satisfaction survey at +3 months, an NPS survey before the contract ends. Each
//! step is a reminder (a visit) or a survey; the renewal talk is the renewal reminder the
//! contract already makes, shown with the plan.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::surveys::SurveyKind;

/// What a step does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepKind {
    /// A visit or call (回访): a reminder for the customer's owner.
    Visit,
    /// A satisfaction survey (1–5) about the purchase.
    Csat,
    /// A recommendation survey (0–10).
    Nps,
}

impl StepKind {
    pub const ALL: [StepKind; 3] = [StepKind::Visit, StepKind::Csat, StepKind::Nps];

    pub fn key(self) -> &'static str {
        match self {
            StepKind::Visit => "visit",
            StepKind::Csat => "csat",
            StepKind::Nps => "nps",
        }
    }

    pub fn from_key(key: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The survey a step sends, if it sends one.
    pub fn survey(self) -> Option<SurveyKind> {
        match self {
            StepKind::Visit => None,
            StepKind::Csat => Some(SurveyKind::Csat),
            StepKind::Nps => Some(SurveyKind::Nps),
        }
    }
}

/// The day a step counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Anchor {
    /// Days after the deal was won.
    AfterWin,
    /// Days before the deal's contract ends (no contract: the step does not happen).
    BeforeContractEnd,
}

impl Anchor {
    pub const ALL: [Anchor; 2] = [Anchor::AfterWin, Anchor::BeforeContractEnd];

    pub fn key(self) -> &'static str {
        match self {
            Anchor::AfterWin => "after_win",
            Anchor::BeforeContractEnd => "before_end",
        }
    }

    pub fn from_key(key: &str) -> Option<Anchor> {
        Anchor::ALL.into_iter().find(|a| a.key() == key)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareStep {
    pub kind: StepKind,
    pub anchor: Anchor,
    pub days: u32,
}

/// The steps for deals that sold a product of `category`; the plan with an empty category is
/// the default, for every other deal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarePlan {
    pub category: String,
    pub steps: Vec<CareStep>,
}

/// Before plans were configurable a won deal had one after-sales visit a week later: the
/// default plan keeps that, and surveys are added by the admin.
pub fn default_plans() -> Vec<CarePlan> {
    vec![CarePlan { category: String::new(), steps: vec![CareStep { kind: StepKind::Visit, anchor: Anchor::AfterWin, days: 7 }] }]
}

/// A won deal, as the plan sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WonDeal {
    pub deal_id: String,
    pub title: String,
    pub won_on: NaiveDate,
    pub contract_end: Option<NaiveDate>,
    /// The categories of the products on its latest quote.
    pub categories: Vec<String>,
}

/// The plan a deal follows: the first plan (in the admin's order) for a category the deal
/// sold, else the default plan, else none.
pub fn plan_for<'a>(plans: &'a [CarePlan], categories: &[String]) -> Option<&'a CarePlan> {
    plans
        .iter()
        .find(|p| !p.category.is_empty() && categories.contains(&p.category))
        .or_else(|| plans.iter().find(|p| p.category.is_empty()))
}

/// One step of one deal's plan, with its day (none: it counts from a contract the deal lacks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedStep {
    /// Stable while the step is in the plan: a reminder's or a survey's key.
    pub key: String,
    pub deal_id: String,
    pub title: String,
    pub step: CareStep,
    pub day: Option<NaiveDate>,
}

/// The key of a deal's step. The first visit after the win keeps the key the after-sales
/// reminder had before plans existed, so an upgraded store does not remind twice.
fn step_key(deal_id: &str, step: &CareStep, first_visit: bool) -> String {
    match step.kind {
        StepKind::Visit if first_visit => format!("after_sales:{deal_id}"),
        StepKind::Visit => format!("after_sales:{deal_id}:{}:{}", step.anchor.key(), step.days),
        kind => format!("care:{deal_id}:{}:{}:{}", kind.key(), step.anchor.key(), step.days),
    }
}

/// The deal's steps under its plan, in the plan's order.
pub fn planned_steps(deal: &WonDeal, plan: &CarePlan) -> Vec<PlannedStep> {
    let first_visit = plan.steps.iter().position(|s| s.kind == StepKind::Visit && s.anchor == Anchor::AfterWin);
    plan.steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let days = Duration::days(i64::from(step.days));
            let day = match step.anchor {
                Anchor::AfterWin => Some(deal.won_on + days),
                Anchor::BeforeContractEnd => deal.contract_end.map(|end| end - days),
            };
            PlannedStep { key: step_key(&deal.deal_id, step, first_visit == Some(i)), deal_id: deal.deal_id.clone(), title: deal.title.clone(), step: *step, day }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn step(kind: StepKind, anchor: Anchor, days: u32) -> CareStep {
        CareStep { kind, anchor, days }
    }

    fn plans() -> Vec<CarePlan> {
        vec![
            CarePlan { category: "硬件".into(), steps: vec![step(StepKind::Visit, Anchor::AfterWin, 3), step(StepKind::Visit, Anchor::AfterWin, 30), step(StepKind::Csat, Anchor::AfterWin, 90)] },
            CarePlan { category: String::new(), steps: vec![step(StepKind::Visit, Anchor::AfterWin, 7), step(StepKind::Nps, Anchor::BeforeContractEnd, 60)] },
            CarePlan { category: "软件".into(), steps: vec![step(StepKind::Nps, Anchor::AfterWin, 30)] },
        ]
    }

    fn deal(categories: &[&str], contract_end: Option<NaiveDate>) -> WonDeal {
        WonDeal { deal_id: "d1".into(), title: "ERP".into(), won_on: d(2027, 1, 10), contract_end, categories: categories.iter().map(|c| c.to_string()).collect() }
    }

    #[test]
    fn the_first_plan_for_a_category_sold_wins_else_the_default() {
        let plans = plans();
        assert_eq!(plan_for(&plans, &["软件".into(), "硬件".into()]).unwrap().category, "硬件");
        assert_eq!(plan_for(&plans, &["软件".into()]).unwrap().category, "软件");
        assert_eq!(plan_for(&plans, &["家具".into()]).unwrap().category, "");
        assert_eq!(plan_for(&plans, &[]).unwrap().category, "");
        assert_eq!(plan_for(&plans[2..], &["家具".into()]), None);
    }

    #[test]
    fn steps_count_from_the_win_or_back_from_the_contract_end() {
        let plans = plans();
        let steps = planned_steps(&deal(&["硬件"], None), &plans[0]);
        let days: Vec<_> = steps.iter().map(|s| s.day).collect();
        assert_eq!(days, vec![Some(d(2027, 1, 13)), Some(d(2027, 2, 9)), Some(d(2027, 4, 10))]);
        let keys: Vec<_> = steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, vec!["after_sales:d1", "after_sales:d1:after_win:30", "care:d1:csat:after_win:90"]);

        let with_contract = planned_steps(&deal(&[], Some(d(2027, 12, 31))), &plans[1]);
        assert_eq!(with_contract[1].day, Some(d(2027, 11, 1)));
        assert_eq!(with_contract[1].key, "care:d1:nps:before_end:60");
        let without = planned_steps(&deal(&[], None), &plans[1]);
        assert_eq!(without[1].day, None);
    }

    #[test]
    fn kinds_and_anchors_read_back_from_their_keys() {
        for k in StepKind::ALL {
            assert_eq!(StepKind::from_key(k.key()), Some(k));
        }
        for a in Anchor::ALL {
            assert_eq!(Anchor::from_key(a.key()), Some(a));
        }
        assert_eq!(StepKind::Nps.survey(), Some(SurveyKind::Nps));
        assert_eq!(StepKind::Visit.survey(), None);
    }
}
