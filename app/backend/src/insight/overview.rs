//! Insight for a signed-in caller, always over the customers they may see: one customer's
//! scores and cross-sell suggestions, the overview (segments, R×F grid, model, churn), the
//! forecast and the reports (also as CSV).

use std::collections::{BTreeMap, HashMap};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppResult;
use kehu_domain::insight::assoc::suggest;
use kehu_domain::insight::forecast::{forecast as make_forecast, forecast_of, Buyer, Forecast, Repeat};
use kehu_domain::insight::rfm::{self, purchase_days, rf_grid};
use kehu_domain::insight::types::{AtRisk, CrossSell, CustomerInsight, InsightOverview, NamedRule, Rfm, Segment, SegmentCount};

use super::batch::RFM_WINDOW_DAYS;
use crate::access::{self, Need};
use crate::readmodel::insight_book::InsightRun;
use crate::state::AppState;

/// The windows the overview offers for RFM, in days.
pub const WINDOWS: [i64; 4] = [90, 180, 365, 730];
/// Suggestions the profile shows.
const SUGGESTIONS: usize = 5;

/// The ids of every customer the caller may see.
pub(crate) fn ids_in_scope(state: &AppState, caller: &Caller) -> Vec<String> {
    access::each_visible(state, caller, |rows| rows.map(|r| r.id.clone()).collect())
}

pub async fn customer(state: &AppState, caller: &Caller, customer: &str) -> AppResult<CustomerInsight> {
    access::customer(state, caller, customer, Need::See)?;
    let service_signals = crate::aftersales::signals::of_customer(state, customer).await?;
    let Some(run) = state.insight.latest() else {
        return Ok(CustomerInsight { score: None, cross_sell: Vec::new(), computed_at: None, service_signals });
    };
    let products = state.orders.products();
    let name = |i: u32| products.get(i as usize).map(|p| (p.id.clone(), p.name.clone()));
    let bought = run.baskets.get(customer).cloned().unwrap_or_default();
    let cross_sell = suggest(&run.rules, &bought, SUGGESTIONS)
        .into_iter()
        .filter_map(|r| {
            let (product_id, product_name) = name(r.then_bought)?;
            let (_, because_of) = name(r.if_bought)?;
            Some(CrossSell { product_id, product_name, because_of, confidence: r.confidence, lift: r.lift })
        })
        .collect();
    Ok(CustomerInsight { score: run.scores.get(customer).cloned(), cross_sell, computed_at: Some(run.computed_at), service_signals })
}

/// RFM over a window: the run's stored scores, read in place, or scores made afresh.
enum Rfms<'a> {
    Stored(&'a InsightRun),
    Fresh(HashMap<String, Rfm>),
}

impl Rfms<'_> {
    fn get(&self, customer: &str) -> Option<&Rfm> {
        match self {
            Rfms::Stored(run) => run.scores.get(customer)?.rfm.as_ref(),
            Rfms::Fresh(scored) => scored.get(customer),
        }
    }
}

/// RFM over `window_days`: the stored scores for the default window, otherwise scored afresh
/// over everyone (so quintiles mean the same for every viewer).
fn rfm_over<'a>(state: &AppState, run: &'a InsightRun, window_days: i64) -> Rfms<'a> {
    if window_days == RFM_WINDOW_DAYS {
        return Rfms::Stored(run);
    }
    let histories = state.orders.histories(run.as_of);
    let mut ids = Vec::new();
    let mut raws = Vec::new();
    for h in &histories {
        if let Some(raw) = rfm::raw(&h.orders, &purchase_days(&h.orders), run.as_of, window_days) {
            ids.push(h.customer.clone());
            raws.push(raw);
        }
    }
    Rfms::Fresh(ids.into_iter().zip(rfm::score(&raws)).collect())
}

pub fn overview(state: &AppState, caller: &Caller, window_days: i64) -> AppResult<InsightOverview> {
    let window_days = if WINDOWS.contains(&window_days) { window_days } else { RFM_WINDOW_DAYS };
    let Some(run) = state.insight.latest() else {
        return Ok(InsightOverview {
            computed_at: None,
            window_days,
            scored: 0,
            unscored: access::each_visible(state, caller, |rows| rows.count()) as u32,
            segments: Vec::new(),
            grid: [[0; 5]; 5],
            fit: None,
            churn_warnings: 0,
            at_risk: Vec::new(),
            rules: Vec::new(),
        });
    };
    let rfms = rfm_over(state, &run, window_days);
    let mut counts: BTreeMap<Segment, (u32, i64)> = BTreeMap::new();
    let mut mine: Vec<&Rfm> = Vec::new();
    let mut at_risk = Vec::new();
    let mut churn_warnings = 0;
    // Read in place: only the warned customers' ids and names are copied.
    let customers = access::each_visible(state, caller, |rows| {
        let mut customers = 0;
        for row in rows {
            customers += 1;
            let id = row.id.as_str();
            if let Some(r) = rfms.get(id) {
                let c = counts.entry(r.segment).or_default();
                c.0 += 1;
                c.1 += r.monetary_cents;
                mine.push(r);
            }
            if let Some(w) = run.scores.get(id).and_then(|s| s.churn.clone()) {
                churn_warnings += 1;
                let segment = rfms.get(id).map(|r| r.segment);
                at_risk.push(AtRisk { customer_id: row.id.clone(), name: row.name.clone(), segment, warning: w });
            }
        }
        customers
    });
    // The most valuable first: high value, keep, develop, win back…; then the longest warned.
    at_risk.sort_by(|a, b| a.segment.unwrap_or(Segment::General).cmp(&b.segment.unwrap_or(Segment::General)).then(a.warning.since.cmp(&b.warning.since)));
    at_risk.truncate(20);
    let products = state.orders.products();
    let name = |i: u32| products.get(i as usize).map(|p| p.name.clone()).unwrap_or_default();
    let rules = run
        .rules
        .iter()
        .filter(|r| r.lift > 1.0)
        .take(20)
        .map(|r| NamedRule { if_bought: name(r.if_bought), then_bought: name(r.then_bought), both: r.both, support: r.support, confidence: r.confidence, lift: r.lift })
        .collect();
    Ok(InsightOverview {
        computed_at: Some(run.computed_at),
        window_days,
        scored: mine.len() as u32,
        unscored: (customers - mine.len()) as u32,
        segments: Segment::ALL
            .into_iter()
            .map(|s| {
                let (customers, monetary_cents) = counts.get(&s).copied().unwrap_or_default();
                SegmentCount { segment: s, customers, monetary_cents }
            })
            .collect(),
        grid: rf_grid(mine.iter().copied()),
        fit: run.fit.clone(),
        churn_warnings,
        at_risk,
        rules,
    })
}

/// The revenue forecast over the caller's customers and open deals. Their repeat purchases
/// come from the book's repeats, worked out once per run and day for everyone; until those
/// are ready (the first forecast of a day starts them), from the caller's buyers directly.
/// The caller's customers are read in place, not copied into a set first: at 100,000
/// customers a rep's 17,000 ids copied and hashed were half of the request.
pub fn forecast(state: &AppState, caller: &Caller) -> Forecast {
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let deals = state.deals.weighted_open_seen(&state.policy.pipeline, &state.directory, &caller.scope);
    let Some(run) = state.insight.latest() else {
        return make_forecast(today, &deals, &[], None);
    };
    let model = run.fit.as_ref().map(|f| f.params);
    if let Some(repeats) = state.insight.repeats(&run, today) {
        let (mine, count) = access::each_visible(state, caller, |rows| {
            let mut mine: Vec<Repeat> = Vec::new();
            let mut count = 0;
            for row in rows {
                if let Some(repeat) = repeats.by_customer.get(&row.id) {
                    mine.push(*repeat);
                }
                count += usize::from(run.scores.get(&row.id).and_then(|s| run.buyer(s)).is_some());
            }
            (mine, count)
        });
        return forecast_of(today, &deals, &mine, count, model.as_ref());
    }
    state.insight.prepare_repeats(today);
    let buyers: Vec<Buyer> = access::each_visible(state, caller, |rows| rows.filter_map(|row| run.scores.get(&row.id)).filter_map(|s| run.buyer(s)).collect());
    make_forecast(today, &deals, &buyers, model.as_ref())
}
