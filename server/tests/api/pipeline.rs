//! The funnel against a real store: enforced stage moves (refused ones change nothing), the
//! board for each role, winning and losing, bad input, conversion alerts, and merges.

use chrono::Duration;
use kehu_backend::pipeline::board;
use kehu_backend::pipeline::deals;
use kehu_backend::customers::merge;
use kehu_backend::pipeline::money;
use kehu_backend::customers::pool;
use kehu_backend::customers::service;
use kehu_backend::Clock;
use kehu_domain::customers::types::*;
use kehu_domain::error::{AppError, Problem};
use kehu_ui::pipeline::api::GetBoard;
use kehu_domain::pipeline::types::*;
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

fn column<'a>(board: &'a Board, stage: &str) -> &'a BoardColumn {
    board.columns.iter().find(|c| c.stage == stage).unwrap()
}

fn on_board(board: &Board, deal: &str) -> Option<String> {
    board.columns.iter().find(|c| c.cards.iter().any(|card| card.id == deal)).map(|c| c.stage.clone())
}

async fn board_of(c: &Company, user: &str) -> Board {
    board::board(&c.state, &c.caller(user), &BoardQuery::default()).await.unwrap()
}

fn deal_input(customer: &str, title: &str) -> DealInput {
    DealInput { customer_id: customer.into(), title: title.into(), expected_close: "2026-12-31".into(), ..Default::default() }
}

#[tokio::test]
async fn a_move_that_breaks_a_stage_rule_is_refused_says_why_and_changes_nothing() {
    let c = company().await;
    let a = c.caller(REP_A);
    let moved = deals::move_to(&c.state, &a, &c.da.id, "needs", c.da.version).await.unwrap();
    assert_eq!(moved.stage, "needs");
    // 方案提交 needs needs-analysis notes (the amount is there).
    let refused = deals::move_to(&c.state, &a, &c.da.id, "proposal", moved.version).await;
    assert_eq!(refused, Err(AppError::StageBlocked { missing: vec![Requirement::NeedsAnalysis] }));
    let view = deals::view(&c.state, &a, &c.da.id).await.unwrap();
    assert_eq!(view.deal.stage, "needs");
    assert_eq!(view.deal.version, moved.version, "nothing was written");
    assert_eq!(view.history.len(), 2, "created, then one move");
    // Skipping to 签约 needs the signed contract too, whatever else is there.
    let skip = deals::move_to(&c.state, &a, &c.da.id, "signing", moved.version).await;
    assert_eq!(skip, Err(AppError::StageBlocked { missing: vec![Requirement::NeedsAnalysis, Requirement::SignedContract] }));

    // Write the analysis, then the move goes through.
    let mut input = kehu_ui::pipeline::deal_form::input_of(&view.deal);
    input.needs_analysis = "需要打通财务与仓储".into();
    let edited = deals::update(&c.state, &a, &c.da.id, &input, view.deal.version).await.unwrap();
    let card = deals::move_to(&c.state, &a, &c.da.id, "proposal", edited.version).await.unwrap();
    assert_eq!(card.stage, "proposal");
    // Standing in 方案提交, the deal cannot lose the analysis the stage needed.
    let cleared = DealInput { needs_analysis: String::new(), ..input.clone() };
    let refused = deals::update(&c.state, &a, &c.da.id, &cleared, card.version).await;
    assert!(matches!(refused, Err(AppError::Invalid(e)) if e.len() == 1 && e[0].field == "needs_analysis"));
    // A move from a stale page is refused rather than applied on top.
    assert_eq!(deals::move_to(&c.state, &a, &c.da.id, "negotiation", edited.version).await, Err(AppError::DealChanged));
    // An unknown stage is bad input.
    assert!(matches!(deals::move_to(&c.state, &a, &c.da.id, "closing", card.version).await, Err(AppError::Invalid(_))));
    // Moving back needs nothing.
    assert_eq!(deals::move_to(&c.state, &a, &c.da.id, "contact", card.version).await.unwrap().stage, "contact");
}

#[tokio::test]
async fn the_board_shows_each_role_what_is_theirs_with_counts_and_totals() {
    let c = company().await;
    let b = c.caller(REP_B);
    deals::create(&c.state, &b, &DealInput { amount: "5000".into(), ..deal_input(&c.cb.id, "乙的商机") }).await.unwrap();
    let mut counts = Vec::new();
    for user in [REP_A, REP_B, MGR_A, MGR_B, BOSS] {
        counts.push(column(&board_of(&c, user).await, "contact").count);
    }
    assert_eq!(counts, vec![1, 1, 1, 1, 2]);
    let boss_board = board_of(&c, BOSS).await;
    assert_eq!(column(&boss_board, "contact").totals, vec![("CNY".to_string(), 12_500_000)]);
    // Filters: by owner, and by the month of the expected close.
    let only_b = board::board(&c.state, &c.caller(BOSS), &BoardQuery { owner: REP_B.into(), ..Default::default() }).await.unwrap();
    assert_eq!(column(&only_b, "contact").count, 1);
    let january = board::board(&c.state, &c.caller(BOSS), &BoardQuery { close_month: "2027-01".into(), ..Default::default() }).await.unwrap();
    assert_eq!(column(&january, "contact").count, 0);
    assert!(board::board(&c.state, &c.caller(BOSS), &BoardQuery { close_month: "soon".into(), ..Default::default() }).await.is_err());
    // Rep B cannot reach A's deal by its id either.
    assert_eq!(deals::view(&c.state, &b, &c.da.id).await, Err(AppError::NotFound));
    assert_eq!(deals::move_to(&c.state, &b, &c.da.id, "needs", c.da.version).await, Err(AppError::NotFound));
    // Over HTTP the board is one call, and a new owner of the customer sees the deal.
    let session = c.session(REP_A).await;
    let (status, body) = call(&c.app, GetBoard::PATH, Some(&session), json!({ "query": BoardQuery::default() })).await;
    assert!(status.is_success(), "{body}");
    pool::release(&c.state, &c.caller(REP_A), &c.ca.id, "换人跟进").await.unwrap();
    pool::claim(&c.state, &b, &c.ca.id).await.unwrap();
    assert_eq!(on_board(&board_of(&c, REP_B).await, &c.da.id).as_deref(), Some("contact"));
    assert_eq!(on_board(&board_of(&c, REP_A).await, &c.da.id), None);
}

#[tokio::test]
async fn bad_deal_input_gets_field_messages_and_writes_nothing() {
    let c = company().await;
    let a = c.caller(REP_A);
    let bad = DealInput { amount: "-10".into(), expected_close: "10000-01-01".into(), title: String::new(), ..deal_input(&c.ca.id, "") };
    let Err(AppError::Invalid(errors)) = deals::create(&c.state, &a, &bad).await else { panic!("must be refused") };
    let fields: Vec<(&str, &Problem)> = errors.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
    assert!(fields.contains(&("title", &Problem::Required)));
    assert!(fields.contains(&("amount", &Problem::Negative)));
    assert!(fields.contains(&("expected_close", &Problem::InvalidDate)));
    assert_eq!(deals::of_customer(&c.state, &a, &c.ca.id).await.unwrap().len(), 1, "only the fixture's deal");
    let huge = DealInput { title: "x".repeat(10 * 1024 * 1024), ..deal_input(&c.ca.id, "") };
    assert!(matches!(deals::create(&c.state, &a, &huge).await, Err(AppError::Invalid(_))));
    let quote = QuoteInput { lines: vec![QuoteLineInput { product: "ERP".into(), quantity: "0".into(), unit_price: "abc".into(), discount: "120".into() }], valid_until: "2026-12-31".into() };
    assert!(matches!(money::add_quote(&c.state, &a, &c.da.id, &quote).await, Err(AppError::Invalid(e)) if e.len() == 3));
    assert_eq!(deals::view(&c.state, &a, &c.da.id).await.unwrap().quotes.len(), 1);
    let pay = MoneyOnDateInput { date: "2026-11-01".into(), amount: "-5".into() };
    assert!(matches!(money::add_money(&c.state, &a, &c.da.id, &pay, true).await, Err(AppError::Invalid(_))));
}

#[tokio::test]
async fn winning_needs_a_signed_contract_and_makes_the_customer_a_customer() {
    let c = company().await;
    let a = c.caller(REP_A);
    assert_eq!(
        deals::close(&c.state, &a, &c.da.id, true, "", c.da.version).await,
        Err(AppError::StageBlocked { missing: vec![Requirement::NeedsAnalysis, Requirement::SignedContract] })
    );
    let view = deals::view(&c.state, &a, &c.da.id).await.unwrap();
    let mut input = kehu_ui::pipeline::deal_form::input_of(&view.deal);
    input.needs_analysis = "ERP 需求".into();
    deals::update(&c.state, &a, &c.da.id, &input, view.deal.version).await.unwrap();
    let signed = ContractInput { number: "HT-1".into(), amount: "120000".into(), start: "2027-01-01".into(), end: "2027-12-31".into(), signed_on: "2026-11-20".into() };
    money::save_contract(&c.state, &a, &c.da.id, &signed).await.unwrap();
    for (due, amount) in [("2027-01-15", "60000"), ("2027-06-15", "60000")] {
        money::add_money(&c.state, &a, &c.da.id, &MoneyOnDateInput { date: due.into(), amount: amount.into() }, false).await.unwrap();
    }
    let contract = money::add_money(&c.state, &a, &c.da.id, &MoneyOnDateInput { date: "2026-11-21".into(), amount: "30000".into() }, true).await.unwrap();
    assert_eq!((contract.instalments.len(), contract.payments.len()), (2, 1));
    let version = deals::view(&c.state, &a, &c.da.id).await.unwrap().deal.version;
    let won = deals::close(&c.state, &a, &c.da.id, true, "", version).await.unwrap();
    assert_eq!(won.status, DealStatus::Won);
    let profile = service::profile(&c.state, &a, &c.ca.id).await.unwrap();
    assert_eq!(profile.customer.stage, LifecycleStage::Customer);
    assert!(profile.timeline[0].summary.contains("赢单"), "the win is on the timeline");
    let board = board::board(&c.state, &a, &BoardQuery::default()).await.unwrap();
    assert_eq!(on_board(&board, &c.da.id), None, "a won deal leaves the board");
    assert_eq!(deals::move_to(&c.state, &a, &c.da.id, "contact", won.version).await, Err(AppError::DealChanged));
    // Collection: 30,000 of 120,000.
    let report = board::funnel(&c.state, &c.caller(BOSS), &start().date_naive().to_string(), &start().date_naive().to_string()).await.unwrap();
    assert_eq!(report.collection, vec![("销售甲".to_string(), 3_000_000, 12_000_000)]);
    // Losing needs a reason.
    let other = deals::create(&c.state, &a, &deal_input(&c.ca.id, "二期")).await.unwrap();
    assert!(matches!(deals::close(&c.state, &a, &other.id, false, " ", other.version).await, Err(AppError::Invalid(_))));
    assert_eq!(deals::close(&c.state, &a, &other.id, false, "预算取消", other.version).await.unwrap().status, DealStatus::Lost);
}

#[tokio::test]
async fn a_low_win_rate_raises_an_alert_for_the_manager_per_rep() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let a = c.caller(REP_A);
    // Rep A starts nine more deals (ten in all) and loses eight: a 0% win rate this month.
    for i in 0..9 {
        let d = deals::create(&c.state, &a, &deal_input(&c.ca.id, &format!("商机{i}"))).await.unwrap();
        if i < 8 {
            *now.lock().unwrap() = start() + Duration::hours(i + 1);
            deals::close(&c.state, &a, &d.id, false, "价格", d.version).await.unwrap();
        }
    }
    let day = start().date_naive();
    let report = board::funnel(&c.state, &c.caller(MGR_A), &(day - Duration::days(1)).to_string(), &day.to_string()).await.unwrap();
    assert_eq!((report.started, report.won), (10, 0));
    assert_eq!(report.stages[0].entered, 10);
    assert!(report.alerts.iter().any(|al| al.owner.is_empty() && al.stage.is_empty()), "for the team as a whole");
    assert!(report.alerts.iter().any(|al| al.owner == REP_A && al.owner_name == "销售甲"), "and naming the rep");
    // Rep B's report holds none of A's deals.
    let theirs = board::funnel(&c.state, &c.caller(REP_B), &(day - Duration::days(1)).to_string(), &day.to_string()).await.unwrap();
    assert_eq!(theirs.started, 0);
    assert!(theirs.alerts.is_empty());
    assert!(matches!(board::funnel(&c.state, &a, &day.to_string(), &(day - Duration::days(1)).to_string()).await, Err(AppError::Invalid(_))));
    // A year date arithmetic cannot reach is refused by its field, not a dropped connection.
    let far = board::funnel(&c.state, &a, "2026-01-01", "+262142-12-31").await;
    assert_eq!(far, Err(AppError::Invalid(vec![kehu_domain::error::FieldError::new("to", kehu_domain::error::Problem::InvalidDate)])));
}

#[tokio::test]
async fn merging_customers_carries_their_deals() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let b_deal = deals::create(&c.state, &boss, &deal_input(&c.cb.id, "乙的商机")).await.unwrap();
    merge::merge(&c.state, &boss, &c.ca.id, &c.cb.id).await.unwrap();
    let carried = deals::of_customer(&c.state, &boss, &c.ca.id).await.unwrap();
    assert_eq!(carried.len(), 2);
    let board = board::board(&c.state, &c.caller(REP_A), &BoardQuery::default()).await.unwrap();
    assert_eq!(on_board(&board, &b_deal.id).as_deref(), Some("contact"), "now rep A's, on their board");
}
