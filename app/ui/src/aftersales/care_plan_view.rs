//! The after-sales plan on the customer profile (售后计划): each recent won deal with its
//! visits, surveys and renewal talk, their days and where each stands.

use leptos::prelude::*;

use super::api::customer_care_plans;
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::i18n::Lang;
use kehu_domain::service::care_plan::{Anchor, StepKind};
use kehu_domain::service::care_plan_view::{DealPlanView, PlanStepView, ShownStep, StepState};

pub(crate) fn step_msg(kind: StepKind) -> Msg {
    match kind {
        StepKind::Visit => Msg::CareVisit,
        StepKind::Csat => Msg::CareCsat,
        StepKind::Nps => Msg::CareNps,
    }
}

pub(crate) fn anchor_msg(anchor: Anchor) -> Msg {
    match anchor {
        Anchor::AfterWin => Msg::AnchorAfterWin,
        Anchor::BeforeContractEnd => Msg::AnchorBeforeEnd,
    }
}

fn state_msg(state: StepState) -> Msg {
    match state {
        StepState::Upcoming => Msg::CpUpcoming,
        StepState::Due => Msg::CpDue,
        StepState::Done => Msg::CpDone,
        StepState::Dismissed => Msg::CpDismissed,
        StepState::Sent => Msg::CpSent,
        StepState::Answered => Msg::CpAnswered,
        StepState::Missed => Msg::CpMissed,
        StepState::NoContract => Msg::CpNoContract,
    }
}

/// "成交后 7 天" / "7 days after the win".
fn when_text(anchor: &str, days: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{anchor} {days} 天"),
        Lang::En => format!("{days} days {anchor}"),
    }
}

#[component]
pub fn CustomerCarePlans(customer_id: String, #[prop(into)] refresh: Signal<usize>) -> impl IntoView {
    let id = StoredValue::new(customer_id);
    let loaded = load_in_browser(move || {
        refresh.track();
        customer_care_plans(id.get_value())
    });
    let failure = Signal::derive(move || loaded.get().and_then(|r| r.err()));
    view! {
        <section class="card care-plans" data-testid="care-plans">
            <h2><T m=Msg::CpTitle/></h2>
            <ErrorBanner error=failure/>
            {move || loaded.get().and_then(|r| r.ok()).map(|plans| {
                if plans.is_empty() {
                    view! { <p class="muted"><T m=Msg::CpNone/></p> }.into_any()
                } else {
                    plans.into_iter().map(|plan| view! { <DealPlan plan=plan/> }).collect_view().into_any()
                }
            })}
        </section>
    }
}

#[component]
fn DealPlan(plan: DealPlanView) -> impl IntoView {
    let i18n = use_i18n();
    let category = plan.category.clone();
    view! {
        <div class="deal-plan" data-testid="deal-plan">
            <h3>
                {plan.deal_title.clone()}" · "{plan.won_on.to_string()}" · "
                <span class="muted">{move || if category.is_empty() { i18n.t(Msg::CpDefaultPlan).to_string() } else { category.clone() }}</span>
            </h3>
            <ol class="plain plan-steps">
                {plan.steps.into_iter().map(|step| view! { <PlanStep step=step/> }).collect_view()}
            </ol>
        </div>
    }
}

#[component]
fn PlanStep(step: PlanStepView) -> impl IntoView {
    let i18n = use_i18n();
    let what = match step.step {
        ShownStep::Plan(kind) => step_msg(kind),
        ShownStep::RenewalTalk => Msg::CareRenewal,
    };
    let state = step.state;
    let class = match state {
        StepState::Due => "plan-step due",
        StepState::Done | StepState::Answered | StepState::Sent => "plan-step done",
        StepState::Missed | StepState::NoContract | StepState::Dismissed => "plan-step missed",
        StepState::Upcoming => "plan-step",
    };
    let (anchor, days, day, score) = (step.anchor, step.days, step.day, step.score);
    view! {
        <li class=class data-testid="plan-step" data-state=format!("{state:?}")>
            <span class="plan-what">{move || i18n.t(what)}</span>
            <span class="muted">{move || when_text(i18n.t(anchor_msg(anchor)), days, i18n.lang())}</span>
            <span>{day.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</span>
            <span class="plan-state">{move || i18n.t(state_msg(state))}{score.map(|s| format!(" · {s}"))}</span>
        </li>
    }
}
