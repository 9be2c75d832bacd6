//! The reports (报表): channel conversion, product ranking, regions, churn risk per segment —
//! each over the customers the caller may see — and their CSV form.

use std::collections::{BTreeMap, HashMap};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::types::LifecycleStage;
use kehu_domain::insight::csv::write_record;
use kehu_domain::insight::types::{Cell, Report, ReportColumn, ReportKind, Segment};

use super::overview::in_scope;
use crate::state::AppState;

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
            let mut per: HashMap<u32, (i64, i64, std::collections::HashSet<String>)> = HashMap::new();
            state.orders.each_line_of(customers.iter().map(|c| c.0.as_str()), |customer, _, line| {
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
    let mut out: HashMap<&'a str, i64> = HashMap::new();
    state.orders.each_line_of(customers.iter().map(|c| c.0.as_str()), |customer, _, line| {
        *out.entry(customer).or_default() += line.amount_cents;
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
