//! 今天 against a real store: the lead score learned from the company's closed deals ranks
//! the rep's leads with its reasons; deals closing this month; due reminders; each caller
//! sees only their own day; with too little history the leads are listed unscored.

use chrono::Duration;
use kehu_backend::customers::{contacts, service};
use kehu_backend::insight::{batch, leads};
use kehu_backend::pipeline::{deals, money};
use kehu_backend::Clock;
use kehu_domain::customers::types::*;
use kehu_domain::insight::lead_score::Feature;
use kehu_domain::pipeline::types::*;
use kehu_domain::today::TodayView;
use kehu_ui::today::api::MyDay;
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

async fn customer(c: &Company, name: &str, source: &str, owner: &str) -> Customer {
    let input = CustomerInput { name: name.into(), source: source.into(), owner: owner.into(), region: "华东".into(), ..Default::default() };
    service::create(&c.state, &c.caller(BOSS), &input, false).await.unwrap()
}

async fn visit(c: &Company, customer: &str) {
    let input = TouchpointInput { kind: TouchpointKind::Visit, summary: "上门拜访".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &c.caller(BOSS), customer, &input).await.unwrap();
}

/// A deal of `customer`, walked through every stage's gate and won, or lost at once.
async fn closed_deal(c: &Company, customer: &str, won: bool) {
    let boss = c.caller(BOSS);
    let input = DealInput {
        customer_id: customer.into(),
        title: "项目".into(),
        amount: "10000".into(),
        expected_close: "2026-12-31".into(),
        needs_analysis: "需求已明确".into(),
        ..Default::default()
    };
    let deal = deals::create(&c.state, &boss, &input).await.unwrap();
    let mut version = deal.version;
    if won {
        let line = QuoteLineInput { product: "ERP".into(), quantity: "1".into(), unit_price: "10000".into(), discount: String::new() };
        money::add_quote(&c.state, &boss, &deal.id, &QuoteInput { lines: vec![line], valid_until: "2026-12-31".into() }).await.unwrap();
        let contract = ContractInput { number: format!("HT-{}", deal.id), amount: "10000".into(), start: "2026-12-01".into(), end: "2027-11-30".into(), signed_on: "2026-11-20".into() };
        money::save_contract(&c.state, &boss, &deal.id, &contract).await.unwrap();
        version = deals::view(&c.state, &boss, &deal.id).await.unwrap().deal.version;
        let keys: Vec<String> = c.state.policy.pipeline.stages.iter().skip(1).map(|s| s.key.clone()).collect();
        for key in keys {
            version = deals::move_to(&c.state, &boss, &deal.id, &key, version).await.unwrap().version;
        }
    }
    deals::close(&c.state, &boss, &deal.id, won, if won { "" } else { "预算取消" }, version).await.unwrap();
}

async fn day_of(c: &Company, user: &str) -> TodayView {
    let session = c.session(user).await;
    let (status, body) = call(&c.app, MyDay::PATH, Some(&session), json!({})).await;
    assert!(status.is_success(), "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn the_day_ranks_leads_by_what_won_before() {
    let (clock, hand) = Clock::manual(start());
    let c = company_with(clock).await;
    // History: referrals visited twice were won, trade-fair contacts never visited were lost.
    for i in 0..6 {
        let won = customer(&c, &format!("转介绍老客户{i}"), "转介绍", REP_A).await;
        visit(&c, &won.id).await;
        visit(&c, &won.id).await;
        let lost = customer(&c, &format!("展会老客户{i}"), "展会", REP_B).await;
        *hand.lock().unwrap() += Duration::days(1);
        closed_deal(&c, &won.id, true).await;
        closed_deal(&c, &lost.id, false).await;
    }
    let referral = customer(&c, "转介绍新线索", "转介绍", REP_A).await;
    visit(&c, &referral.id).await;
    let fair = customer(&c, "展会新线索", "展会", REP_A).await;
    let theirs = customer(&c, "乙的新线索", "转介绍", REP_B).await;
    // A deal of A's expected this month (the clock is now at 11-28), with its next step.
    let closing = DealInput {
        customer_id: c.ca.id.clone(),
        title: "年底续约".into(),
        amount: "5000".into(),
        expected_close: (start() + Duration::days(7)).format("%Y-%m-%d").to_string(),
        next_step: "周五发合同".into(),
        ..Default::default()
    };
    let closing = deals::create(&c.state, &c.caller(BOSS), &closing).await.unwrap();
    batch::run(&c.state).await.unwrap();
    leads::refit(&c.state).await.unwrap();

    let day = day_of(&c, REP_A).await;
    let model = day.model.expect("twelve closed deals are enough to learn from");
    assert_eq!((model.examples, model.won), (12, 6));
    let rank = |id: &str| day.leads.iter().position(|l| l.customer_id == id);
    let (good, poor) = (rank(&referral.id).expect("listed"), rank(&fair.id).expect("listed"));
    assert!(good < poor, "{:?}", day.leads);
    let good = day.leads[good].score.clone().expect("scored");
    let poor = day.leads[poor].score.clone().expect("scored");
    assert!(good.percent > 50 && poor.percent < 50, "{} vs {}", good.percent, poor.percent);
    assert!(good.reasons.iter().any(|r| r.feature == Feature::Source("转介绍".into()) && r.effect > 0.0), "{:?}", good.reasons);
    assert!(poor.reasons.iter().any(|r| r.effect < 0.0), "{:?}", poor.reasons);
    // Only A's own: not B's lead, not the won customers (no longer leads once won).
    assert!(rank(&theirs.id).is_none());
    assert!(day.leads.iter().all(|l| !l.customer_name.starts_with("转介绍老客户")), "{:?}", day.leads);
    assert_eq!(day.closing.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec![closing.id.as_str()]);
    assert_eq!(day.closing[0].next_step, "周五发合同");
    assert!(day.due.iter().any(|r| r.customer_id == c.ca.id), "the fixture's due reminder");

    // B's day has B's lead and none of A's; a service agent's day has no deals or leads.
    let b = day_of(&c, REP_B).await;
    assert!(b.leads.iter().any(|l| l.customer_id == theirs.id));
    assert!(b.leads.iter().all(|l| l.customer_id != referral.id && l.customer_id != fair.id));
    assert!(b.closing.is_empty() && b.due.is_empty());
    let svc = day_of(&c, SVC).await;
    assert!(!svc.sells && svc.leads.is_empty() && svc.closing.is_empty() && svc.model.is_none());
    assert!(day.sells);
}

#[tokio::test]
async fn without_history_the_leads_are_listed_unscored() {
    let c = company().await;
    let lead = customer(&c, "新线索", "官网", REP_A).await;
    leads::refit(&c.state).await.unwrap();
    let day = day_of(&c, REP_A).await;
    assert!(day.model.is_none());
    let line = day.leads.iter().find(|l| l.customer_id == lead.id).expect("listed");
    assert!(line.score.is_none());
    // Nobody signed in: no day.
    let (status, body) = call(&c.app, MyDay::PATH, None, json!({})).await;
    assert_eq!(error_of(status, &body), Some(kehu_domain::error::AppError::Unauthorized));
}
