//! Insight for a signed-in caller, always over the customers they may see: one customer's
//! scores and cross-sell suggestions, the overview (segments, R×F grid, model, churn), the
//! forecast and the reports (also as CSV).

use std::collections::{BTreeMap, HashMap};

use super::insight_batch::{InsightRun, RFM_WINDOW_DAYS};
use super::records::{record_id, CUSTOMER};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::customers::types::LifecycleStage;
use crate::error::{AppError, AppResult};
use crate::insight::assoc::suggest;
use crate::insight::csv::write_record;
use crate::insight::forecast::{forecast as make_forecast, Buyer, Forecast, OpenDeal};
use crate::insight::rfm::{self, purchase_days, rf_grid};
use crate::insight::types::{
    AtRisk, Cell, CrossSell, CustomerInsight, InsightOverview, NamedRule, Report, ReportColumn, ReportKind, Rfm, Segment, SegmentCount,
};
use crate::pipeline::rules::shown_win_percent;

/// The windows the overview offers for RFM, in days.
pub const WINDOWS: [i64; 4] = [90, 180, 365, 730];
/// Suggestions the profile shows.
const SUGGESTIONS: usize = 5;

/// (id, name, owner, region, stage) of every customer the caller may see.
fn in_scope(state: &AppState, caller: &Caller) -> Vec<(String, String, String, String, LifecycleStage)> {
    let rows = state.directory.rows();
    rows.live()
        .filter(|(r, _)| caller.can_view(&r.owner, &r.region))
        .map(|(r, _)| (r.id.clone(), r.name.clone(), r.owner.clone(), r.region.clone(), r.stage))
        .collect()
}

pub async fn customer(state: &AppState, caller: &Caller, customer: &str) -> AppResult<CustomerInsight> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    super::customer_service::visible(state, caller, &rid).await?;
    let Some(run) = state.insight.latest() else {
        return Ok(CustomerInsight { score: None, cross_sell: Vec::new(), computed_at: None });
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
    Ok(CustomerInsight { score: run.scores.get(customer).cloned(), cross_sell, computed_at: Some(run.computed_at) })
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
    let customers = in_scope(state, caller);
    let Some(run) = state.insight.latest() else {
        return Ok(InsightOverview {
            computed_at: None,
            window_days,
            scored: 0,
            unscored: customers.len() as u32,
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
    for (id, name, ..) in &customers {
        if let Some(r) = rfms.get(id) {
            let c = counts.entry(r.segment).or_default();
            c.0 += 1;
            c.1 += r.monetary_cents;
            mine.push(r);
        }
        if let Some(w) = run.scores.get(id).and_then(|s| s.churn.clone()) {
            churn_warnings += 1;
            let segment = rfms.get(id).map(|r| r.segment);
            at_risk.push(AtRisk { customer_id: id.clone(), name: name.clone(), segment, warning: w });
        }
    }
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
        unscored: (customers.len() - mine.len()) as u32,
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

/// Customers of one segment (for the list filter), by the stored scores.
pub fn segment_members(state: &AppState, segment: Segment) -> std::collections::HashSet<String> {
    let Some(run) = state.insight.latest() else { return Default::default() };
    run.scores.iter().filter(|(_, s)| s.rfm.as_ref().is_some_and(|r| r.segment == segment)).map(|(k, _)| k.clone()).collect()
}

pub fn forecast(state: &AppState, caller: &Caller) -> Forecast {
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let customers = in_scope(state, caller);
    let visible: std::collections::HashSet<&str> = customers.iter().map(|c| c.0.as_str()).collect();
    let history = state.deals.history();
    let pipeline = &state.policy.pipeline;
    let deals: Vec<OpenDeal> = state
        .deals
        .open_deals()
        .into_iter()
        .filter(|d| visible.contains(d.customer_id.as_str()))
        .map(|d| OpenDeal {
            amount_cents: d.amount_cents,
            probability_pct: shown_win_percent(d.probability, pipeline, &history, &d.stage),
            expected_close: d.expected_close,
        })
        .collect();
    let run = state.insight.latest();
    let buyers: Vec<Buyer> = match &run {
        Some(run) => customers
            .iter()
            .filter_map(|c| run.scores.get(&c.0))
            .filter_map(|s| Some(Buyer { history: run.rfx(s)?, avg_order_cents: s.avg_order_cents }))
            .collect(),
        None => Vec::new(),
    };
    let model = run.as_ref().and_then(|r| r.fit.as_ref().map(|f| f.params));
    make_forecast(today, &deals, &buyers, model.as_ref())
}

fn share(part: i64, whole: i64) -> Cell {
    Cell::Share((whole > 0).then(|| part as f64 / whole as f64))
}

pub fn report(state: &AppState, caller: &Caller, kind: ReportKind) -> Report {
    let customers = in_scope(state, caller);
    let run = state.insight.latest();
    let score = |id: &str| run.as_ref().and_then(|r| r.scores.get(id));
    // Won: a customer at 成交 (or churned after buying) or with a purchase on record.
    let won = |id: &str, stage: LifecycleStage| {
        matches!(stage, LifecycleStage::Customer) || score(id).is_some_and(|s| s.purchases > 0)
    };
    match kind {
        ReportKind::Channels | ReportKind::Regions => {
            let sources: HashMap<String, String> = if kind == ReportKind::Channels {
                let rows = state.directory.rows();
                customers.iter().filter_map(|c| Some((c.0.clone(), rows.get(&c.0)?.source.clone()))).collect()
            } else {
                customers.iter().map(|c| (c.0.clone(), c.3.clone())).collect()
            };
            let mut groups: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
            let revenue = revenue_by_customer(state, &customers);
            for (id, _, _, _, stage) in &customers {
                let label = sources.get(id).filter(|s| !s.trim().is_empty()).cloned().unwrap_or_else(|| "—".into());
                let g = groups.entry(label).or_default();
                g.0 += 1;
                g.1 += i64::from(won(id, *stage));
                g.2 += revenue.get(id.as_str()).copied().unwrap_or(0);
            }
            let mut rows: Vec<Vec<Cell>> = groups
                .into_iter()
                .map(|(label, (n, w, money))| vec![Cell::Text(label), Cell::Count(n), Cell::Count(w), share(w, n), Cell::Money(money)])
                .collect();
            rows.sort_by(|a, b| b[3].value().total_cmp(&a[3].value()).then(b[1].value().total_cmp(&a[1].value())));
            let first = if kind == ReportKind::Channels { ReportColumn::Channel } else { ReportColumn::Region };
            Report { kind, columns: vec![first, ReportColumn::Customers, ReportColumn::Won, ReportColumn::Conversion, ReportColumn::Revenue], rows, chart: 3 }
        }
        ReportKind::Products => {
            let visible: std::collections::HashSet<&str> = customers.iter().map(|c| c.0.as_str()).collect();
            let mut per: HashMap<u32, (i64, i64, std::collections::HashSet<String>)> = HashMap::new();
            state.orders.each_line(|c| visible.contains(c), |customer, _, line| {
                let p = per.entry(line.product).or_default();
                p.0 += line.amount_cents;
                p.1 += line.quantity;
                if line.quantity > 0 && !p.2.contains(customer) {
                    p.2.insert(customer.to_string());
                }
            });
            let products = state.orders.products();
            let mut rows: Vec<Vec<Cell>> = per
                .into_iter()
                .filter_map(|(i, (money, qty, buyers))| {
                    let p = products.get(i as usize)?;
                    Some(vec![Cell::Text(p.name.clone()), Cell::Text(p.category.clone()), Cell::Money(money), Cell::Count(qty), Cell::Count(buyers.len() as i64)])
                })
                .collect();
            rows.sort_by(|a, b| b[2].value().total_cmp(&a[2].value()));
            Report { kind, columns: vec![ReportColumn::Product, ReportColumn::Category, ReportColumn::Revenue, ReportColumn::Quantity, ReportColumn::Buyers], rows, chart: 2 }
        }
        ReportKind::ChurnRisk => {
            let mut groups: BTreeMap<Segment, (i64, i64)> = BTreeMap::new();
            for (id, ..) in &customers {
                let Some(s) = score(id) else { continue };
                let Some(r) = &s.rfm else { continue };
                let g = groups.entry(r.segment).or_default();
                g.0 += 1;
                g.1 += i64::from(s.churn.is_some());
            }
            let rows = groups
                .into_iter()
                .map(|(seg, (n, risk))| vec![Cell::Text(seg.as_str().into()), Cell::Count(n), Cell::Count(risk), share(risk, n)])
                .collect();
            Report { kind, columns: vec![ReportColumn::Segment, ReportColumn::Customers, ReportColumn::AtRisk, ReportColumn::RiskShare], rows, chart: 3 }
        }
    }
}

/// Net order revenue per customer in scope.
fn revenue_by_customer<'a>(state: &AppState, customers: &'a [(String, String, String, String, LifecycleStage)]) -> HashMap<&'a str, i64> {
    let ids: HashMap<&str, &'a str> = customers.iter().map(|c| (c.0.as_str(), c.0.as_str())).collect();
    let mut out: HashMap<&'a str, i64> = HashMap::new();
    state.orders.each_line(|c| ids.contains_key(c), |customer, _, line| {
        if let Some(id) = ids.get(customer) {
            *out.entry(*id).or_default() += line.amount_cents;
        }
    });
    out
}

/// The report as CSV, headed in the viewer's language.
pub fn report_csv(report: &Report, heading: impl Fn(ReportColumn) -> String) -> String {
    let mut out = String::from("\u{feff}");
    write_record(&mut out, &report.columns.iter().map(|c| heading(*c)).collect::<Vec<_>>());
    for row in &report.rows {
        write_record(&mut out, &row.iter().map(Cell::text).collect::<Vec<_>>());
    }
    out
}
