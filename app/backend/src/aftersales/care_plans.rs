//! The after-sales plans at work (售后计划): which plan a won deal follows (by the categories of
//! the products it sold), the plan's surveys sent on their day by the periodic run, and the
//! plan as the profile shows it. The plan's visits are reminders, made by the reminder engine
//! from [`steps_of`].

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::service::care_plan::{plan_for, planned_steps, Anchor, CarePlan, PlannedStep, WonDeal};
use kehu_domain::service::care_plan_view::{step_state, DealPlanView, PlanStepView, ReminderStatus, ShownStep, Trace};
use kehu_domain::service::survey_rules::survey_due;
use kehu_domain::service::types::ServiceSettings;

use super::surveys::{create_by_rule, About};
use crate::access::{self, Need};
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::reminders::{self as reminder_store, reminder_id};
use crate::store::won_deals::{won_deals, WonDealRow};
use crate::store::{service_settings, surveys as survey_store};

/// The deal as the plans see it: its products' categories from the product catalogue.
fn won_deal(state: &AppState, row: &WonDealRow) -> WonDeal {
    let mut categories: Vec<String> = Vec::new();
    for product in &row.products {
        if let Some(p) = state.orders.product_by_name(product) {
            if !p.category.is_empty() && !categories.contains(&p.category) {
                categories.push(p.category);
            }
        }
    }
    WonDeal { deal_id: row.deal.clone(), title: row.title.clone(), won_on: row.won_on, contract_end: row.contract_end, categories }
}

/// The plan a won deal follows and its steps (none without a plan).
pub fn steps_of<'a>(state: &AppState, plans: &'a [CarePlan], row: &WonDealRow) -> (Option<&'a CarePlan>, Vec<PlannedStep>) {
    let deal = won_deal(state, row);
    match plan_for(plans, &deal.categories) {
        Some(plan) => (Some(plan), planned_steps(&deal, plan)),
        None => (None, Vec::new()),
    }
}

/// Sends the plans' surveys due today; how many went. A survey the sending rules hold back
/// (do-not-disturb, an open ticket, another survey shortly before) is skipped and logged: the
/// profile shows the step as missed.
pub async fn send_due_surveys(state: &AppState, settings: &ServiceSettings, today: NaiveDate) -> AppResult<usize> {
    if !settings.care_plans.iter().any(|p| p.steps.iter().any(|s| s.kind.survey().is_some())) {
        return Ok(0);
    }
    let mut sent = 0;
    for row in won_deals(&state.db, None).await? {
        let (_, steps) = steps_of(state, &settings.care_plans, &row);
        let due: Vec<&PlannedStep> = steps.iter().filter(|s| s.step.kind.survey().is_some() && s.day.is_some_and(|d| survey_due(d, today))).collect();
        if due.is_empty() {
            continue;
        }
        let (Some(rid), Some(customer)) = (record_id(CUSTOMER, &row.customer), state.directory.row(&row.customer)) else { continue };
        let done: HashSet<String> = survey_store::of_customer(&state.db, &rid).await?.into_iter().filter_map(|s| s.plan_step).collect();
        for step in due.into_iter().filter(|s| !done.contains(&s.key)) {
            let Some(kind) = step.step.kind.survey() else { continue };
            let about = About::PlanStep { key: &step.key, deal_title: &row.title };
            match create_by_rule(state, settings, &rid, &customer.name, kind, about).await {
                Ok(()) => sent += 1,
                Err(e) => tracing::info!("no {} survey for step {} of the after-sales plan: {e:?}", kind.key(), step.key),
            }
        }
    }
    Ok(sent)
}

/// How many won deals the profile shows the plan of, newest first.
const SHOWN_DEALS: usize = 5;

/// A customer's after-sales plans, for whoever may see the customer: each of the latest won
/// deals with its steps, the renewal talk last when the deal has a contract and the renewal
/// reminder is on.
pub async fn of_customer(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<DealPlanView>> {
    access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let settings = service_settings::current(&state.db).await?;
    let rules = reminder_store::settings(&state.db).await?;
    let mut rows = won_deals(&state.db, Some(&rid)).await?;
    rows.sort_by(|a, b| b.won_on.cmp(&a.won_on));
    rows.truncate(SHOWN_DEALS);

    let mut plans = Vec::new();
    for row in &rows {
        let (plan, steps) = steps_of(state, &settings.care_plans, row);
        let mut shown: Vec<Shown> = steps
            .into_iter()
            .map(|s| Shown { step: ShownStep::Plan(s.step.kind), anchor: s.step.anchor, days: s.step.days, day: s.day, key: s.key })
            .collect();
        if let (Some(days), Some(end)) = (rules.renewal_days, row.contract_end) {
            // The renewal reminder's key: a deal's contract has the deal's key.
            let day = Some(end - Duration::days(i64::from(days)));
            shown.push(Shown { step: ShownStep::RenewalTalk, anchor: Anchor::BeforeContractEnd, days, day, key: format!("renewal:{}:{end}", row.deal) });
        }
        if !shown.is_empty() {
            plans.push((row, plan.map(|p| p.category.clone()).unwrap_or_default(), shown));
        }
    }
    let reminder_ids = plans.iter().flat_map(|(_, _, steps)| steps.iter()).filter(|s| !is_survey(s.step)).map(|s| reminder_id(&s.key)).collect();
    let reminders = reminder_store::statuses(&state.db, reminder_ids).await?;
    let surveys: HashMap<String, Option<u8>> = survey_store::of_customer(&state.db, &rid)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.plan_step.clone()?, s.score())))
        .collect();
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let view = |s: Shown| {
        let trace = if is_survey(s.step) {
            surveys.get(&s.key).map(|score| Trace::Survey(*score)).unwrap_or(Trace::Nothing)
        } else {
            reminders.get(&s.key).and_then(|status| reminder_status(status)).map(Trace::Reminder).unwrap_or(Trace::Nothing)
        };
        let score = if let Trace::Survey(score) = trace { score } else { None };
        PlanStepView { step: s.step, anchor: s.anchor, days: s.days, day: s.day, state: step_state(s.step, s.day, today, trace), score }
    };
    Ok(plans
        .into_iter()
        .map(|(row, category, steps)| DealPlanView {
            deal_id: row.deal.clone(),
            deal_title: row.title.clone(),
            won_on: row.won_on,
            category,
            steps: steps.into_iter().map(view).collect(),
        })
        .collect())
}

/// A step as shown, with the key of the reminder or survey that is its trace.
struct Shown {
    step: ShownStep,
    anchor: Anchor,
    days: u32,
    day: Option<NaiveDate>,
    key: String,
}

fn is_survey(step: ShownStep) -> bool {
    matches!(step, ShownStep::Plan(kind) if kind.survey().is_some())
}

fn reminder_status(status: &str) -> Option<ReminderStatus> {
    match status {
        "open" => Some(ReminderStatus::Open),
        "done" => Some(ReminderStatus::Done),
        "dismissed" => Some(ReminderStatus::Dismissed),
        _ => None,
    }
}
