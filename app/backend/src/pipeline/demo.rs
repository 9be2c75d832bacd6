//! Sample deals for the demo: the funnel filled at every stage, each deal holding what its
//! stage requires (analysis, quote, signed contract), some won and some lost, so the board,
//! the stage rules and the conversion page all have something to show. Made through the
//! same services a person uses, so every rule holds for them too.

use chrono::Duration;

use kehu_domain::accounts::rules::{Caller, Scope};
use kehu_domain::customers::types::{LifecycleStage, ListQuery};
use kehu_domain::error::AppResult;
use kehu_domain::pipeline::types::{ContractInput, DealInput, MoneyOnDateInput, QuoteInput, QuoteLineInput, Requirement};
use kehu_domain::rng::Rng;

use super::{deals, money};
use crate::state::AppState;

const PRODUCTS: &[(&str, u32)] = &[("ERP", 180_000), ("CRM", 60_000), ("OA", 40_000), ("MES", 260_000), ("BI 报表", 50_000), ("实施服务", 80_000)];
const COMPETITORS: &[&str] = &["用友", "金蝶", "Salesforce", "纷享销客", ""];
const LOSS_REASONS: &[&str] = &["预算取消", "选择了竞品", "项目延期到明年", "价格超出预期"];

/// How a sample deal ends up: in a stage (its index), or won, or lost.
#[derive(Clone, Copy)]
enum Outcome {
    Stage(usize),
    Won,
    Lost,
}

/// Adds deals to up to `count` customers that are opportunities or already customers.
pub async fn load(state: &AppState, caller: &Caller, count: usize, seed: u64) -> AppResult<usize> {
    let mut rng = Rng(seed);
    let query = |stage| ListQuery { stage: Some(stage), per_page: 100, ..Default::default() };
    // Opportunities and customers taken in turn, so a small sample has won deals as well as
    // open and lost ones (the lead score learns from both outcomes).
    let [opportunities, customers] = [LifecycleStage::Opportunity, LifecycleStage::Customer]
        .map(|stage| state.directory.page(&query(stage), &Scope::All).rows.into_iter().map(move |r| (r.id, r.source, stage)));
    let mut targets: Vec<(String, String, LifecycleStage)> = Vec::new();
    let (mut a, mut b) = (opportunities.fuse(), customers.fuse());
    loop {
        let (x, y) = (a.next(), b.next());
        if x.is_none() && y.is_none() {
            break;
        }
        targets.extend(x.into_iter().chain(y));
    }
    let stages = state.policy.pipeline.stages.len();
    let today = state.clock.today();
    let mut made = 0;
    for (customer, source, lifecycle) in targets.into_iter().take(count) {
        // Referrals and partners are lost less often than cold channels: a pattern in the
        // sample history for the lead score to find.
        let loss_percent = match source.as_str() {
            "转介绍" | "合作伙伴" => 10,
            "展会" | "电话营销" | "抖音" => 45,
            _ => 25,
        };
        let outcome = match lifecycle {
            LifecycleStage::Customer => Outcome::Won,
            _ if rng.chance(loss_percent) => Outcome::Lost,
            _ => Outcome::Stage(*rng.weighted(&[(0, 30), (1, 25), (2, 20), (3, 15), (4, 10)]).min(&(stages.saturating_sub(1)))),
        };
        let (product, price) = *rng.pick(PRODUCTS);
        let quantity = 1 + rng.below(3);
        let amount = price as usize * quantity;
        let input = DealInput {
            customer_id: customer.clone(),
            title: format!("{product} 项目"),
            amount: amount.to_string(),
            currency: "CNY".into(),
            expected_close: (today + Duration::days(15 + rng.below(100) as i64)).format("%Y-%m-%d").to_string(),
            products: product.into(),
            competitor: rng.pick(COMPETITORS).to_string(),
            ..Default::default()
        };
        let mut deal = deals::create(state, caller, &input).await?;
        let reach = match outcome {
            Outcome::Stage(i) => i,
            Outcome::Won => stages.saturating_sub(1),
            Outcome::Lost => rng.below(stages.max(1)),
        };
        // Give the deal what the stages up to `reach` require (all of them, to be won), then
        // walk it there.
        let needs = state.policy.pipeline.requirements_up_to(reach);
        if needs.contains(&Requirement::NeedsAnalysis) {
            let analysed = DealInput { needs_analysis: format!("客户希望用 {product} 打通业务流程，预算已批。"), ..input.clone() };
            deal = deals::update(state, caller, &deal.id, &analysed, deal.version).await?;
        }
        if needs.contains(&Requirement::Quote) {
            let line = QuoteLineInput { product: product.into(), quantity: quantity.to_string(), unit_price: price.to_string(), discount: "5".into() };
            let valid_until = (today + Duration::days(30)).format("%Y-%m-%d").to_string();
            money::add_quote(state, caller, &deal.id, &QuoteInput { lines: vec![line], valid_until }).await?;
        }
        if needs.contains(&Requirement::SignedContract) {
            let day = |d: i64| (today + Duration::days(d)).format("%Y-%m-%d").to_string();
            let contract = ContractInput {
                number: format!("HT-{}-{:03}", today.format("%Y"), made + 1),
                amount: amount.to_string(),
                start: day(0),
                end: day(365),
                signed_on: day(-1 - rng.below(20) as i64),
            };
            money::save_contract(state, caller, &deal.id, &contract).await?;
            if rng.chance(60) {
                let paid = MoneyOnDateInput { date: day(0), amount: (amount / 2).to_string() };
                money::add_money(state, caller, &deal.id, &paid, true).await?;
            }
        }
        let mut version = deals::view(state, caller, &deal.id).await?.deal.version;
        let keys: Vec<String> = state.policy.pipeline.stages.iter().take(reach + 1).skip(1).map(|s| s.key.clone()).collect();
        for key in keys {
            version = deals::move_to(state, caller, &deal.id, &key, version).await?.version;
        }
        match outcome {
            Outcome::Won => {
                deals::close(state, caller, &deal.id, true, "", version).await?;
            }
            Outcome::Lost => {
                deals::close(state, caller, &deal.id, false, *rng.pick(LOSS_REASONS), version).await?;
            }
            Outcome::Stage(_) => {}
        }
        made += 1;
    }
    Ok(made)
}
