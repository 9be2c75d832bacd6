//! After-sales plans (售后计划) against a real store: a won deal follows the plan of the
//! category it sold, its visits are reminders, its surveys go once on their day, the profile
//! shows where each step stands; bad plan rows change nothing; an NPS survey follows a churn
//! warning when the admin asks for one.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use kehu_backend::aftersales::{care_plans, settings as service_settings, surveys};
use kehu_backend::clock::Clock;
use kehu_backend::reminders::{center, engine};
use kehu_domain::error::AppError;
use kehu_domain::reminders::types::{ReminderAction, ReminderKind};
use kehu_domain::service::care_plan::{Anchor, StepKind};
use kehu_domain::service::care_plan_input::CareStepInput;
use kehu_domain::service::care_plan_view::{ShownStep, StepState};
use kehu_domain::service::survey_rules::AnswerInput;
use kehu_domain::service::surveys::SurveyKind;

use crate::support::*;

const ORIGIN: &str = "http://crm.test";

fn row(category: &str, kind: StepKind, anchor: Anchor, days: &str) -> CareStepInput {
    CareStepInput { category: category.into(), kind: kind.key().into(), anchor: anchor.key().into(), days: days.into() }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[tokio::test]
async fn a_won_deal_follows_its_categorys_plan_visits_remind_and_surveys_go_once() {
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    let (boss, rep) = (c.caller(BOSS), c.caller(REP_A));

    // Bad rows are refused by row and field, and change nothing.
    let before = service_settings::settings(&c.state, &boss).await.unwrap();
    let mut bad = before.clone();
    bad.care_steps = vec![row("软件", StepKind::Visit, Anchor::AfterWin, "三天"), CareStepInput { kind: "call".into(), ..row("", StepKind::Visit, Anchor::AfterWin, "7") }];
    let Err(AppError::Invalid(errors)) = service_settings::save(&c.state, &boss, &bad).await else { panic!("bad plan rows must be refused") };
    let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["care_steps.0.days", "care_steps.1.kind"]);
    assert_eq!(service_settings::settings(&c.state, &boss).await.unwrap(), before);
    // Only admins set plans.
    let mut plans = before.clone();
    plans.care_steps = vec![
        row("", StepKind::Visit, Anchor::AfterWin, "7"),
        row("软件", StepKind::Visit, Anchor::AfterWin, "3"),
        row("软件", StepKind::Csat, Anchor::AfterWin, "10"),
        row("软件", StepKind::Nps, Anchor::BeforeContractEnd, "30"),
    ];
    assert_eq!(service_settings::save(&c.state, &rep, &plans).await.map(|_| ()), Err(AppError::Forbidden));
    service_settings::save(&c.state, &boss, &plans).await.unwrap();

    assert!(care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap().is_empty(), "no won deal yet");
    c.win_the_erp_deal().await;
    engine::run(&c.state).await.unwrap();

    // The 软件 plan, with the renewal talk of the contract last.
    let shown = care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap();
    assert_eq!(shown.len(), 1);
    let plan = &shown[0];
    assert_eq!((plan.deal_title.as_str(), plan.category.as_str(), plan.won_on), ("ERP 一期", "软件", d(2026, 11, 23)));
    let steps: Vec<_> = plan.steps.iter().map(|s| (s.step, s.day, s.state)).collect();
    assert_eq!(steps, vec![
        (ShownStep::Plan(StepKind::Visit), Some(d(2026, 11, 26)), StepState::Upcoming),
        (ShownStep::Plan(StepKind::Csat), Some(d(2026, 12, 3)), StepState::Upcoming),
        (ShownStep::Plan(StepKind::Nps), Some(d(2027, 12, 1)), StepState::Upcoming),
        (ShownStep::RenewalTalk, Some(d(2027, 12, 1)), StepState::Upcoming),
    ]);
    // The visit is the owner's reminder, three days on (not the default plan's seven).
    let mine = center::mine(&c.state, &rep, Some(ReminderKind::AfterSales)).await.unwrap();
    let visit = mine.upcoming.iter().find(|r| r.customer_id == c.ca.id).expect("the visit is coming");
    assert_eq!((visit.subject.as_str(), visit.due), ("ERP 一期", Utc.with_ymd_and_hms(2026, 11, 26, 1, 0, 0).unwrap()));

    // Its day comes: due; the rep marks it done.
    *now.lock().unwrap() += Duration::days(4);
    engine::run(&c.state).await.unwrap();
    let state_of = |plans: &[kehu_domain::service::care_plan_view::DealPlanView], i: usize| plans[0].steps[i].state;
    assert_eq!(state_of(&care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap(), 0), StepState::Due);
    center::act(&c.state, &rep, &visit.id, &ReminderAction::Done, None).await.unwrap();
    assert_eq!(state_of(&care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap(), 0), StepState::Done);

    // Ten days after the win the CSAT survey about the deal goes, once however often the run goes.
    *now.lock().unwrap() += Duration::days(6);
    engine::run(&c.state).await.unwrap();
    engine::run(&c.state).await.unwrap();
    let sent = surveys::of_customer(&c.state, &rep, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!((sent[0].kind, sent[0].about.as_str()), (SurveyKind::Csat, "ERP 一期"));
    assert_eq!(state_of(&care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap(), 1), StepState::Sent);
    let token = sent[0].path.trim_start_matches("/s/").to_string();
    surveys::answer(&c.state, &token, &AnswerInput { score: Some(5), ..Default::default() }).await.unwrap();
    let answered = care_plans::of_customer(&c.state, &rep, &c.ca.id).await.unwrap();
    assert_eq!((answered[0].steps[1].state, answered[0].steps[1].score), (StepState::Answered, Some(5)));

    // Rights: to a rep of another team the customer (and so its plan) does not exist.
    assert_eq!(care_plans::of_customer(&c.state, &c.caller(REP_B), &c.ca.id).await.map(|_| ()), Err(AppError::NotFound));
}

#[tokio::test]
async fn an_nps_survey_follows_a_churn_warning_when_asked_for_once() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let boss = c.caller(BOSS);
    // Rep A's customer bought every month for a year and stopped four months ago.
    let today = start().date_naive();
    let mut csv = String::from("customer,date,product,quantity,amount\n");
    let mut day = today - Duration::days(360);
    while day <= today - Duration::days(120) {
        csv.push_str(&format!("{},{day},ERP,1,1000\n", c.ca.id));
        day += Duration::days(30);
    }
    kehu_backend::insight::import::import_unscored(&c.state, &boss, &csv, false).await.unwrap();
    kehu_backend::insight::batch::run(&c.state).await.unwrap();
    let since = c.state.insight.latest().unwrap().scores[&c.ca.id].churn.as_ref().expect("a churn warning").since;
    assert!(since <= today);

    let run = || engine::run(&c.state);
    run().await.unwrap();
    assert!(surveys::of_customer(&c.state, &boss, &c.ca.id, ORIGIN).await.unwrap().is_empty(), "off by default");
    // Asked for N days after the warning began: N days after it, once.
    let mut settings = service_settings::settings(&c.state, &boss).await.unwrap();
    settings.nps_after_churn_days = ((today - since).num_days() + 1).to_string();
    service_settings::save(&c.state, &boss, &settings).await.unwrap();
    run().await.unwrap();
    assert!(surveys::of_customer(&c.state, &boss, &c.ca.id, ORIGIN).await.unwrap().is_empty(), "a day early");
    *now.lock().unwrap() += Duration::days(1);
    run().await.unwrap();
    run().await.unwrap();
    let sent = surveys::of_customer(&c.state, &boss, &c.ca.id, ORIGIN).await.unwrap();
    assert_eq!(sent.iter().map(|s| s.kind).collect::<Vec<_>>(), vec![SurveyKind::Nps]);
}
