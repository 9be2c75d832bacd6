//! The reports (报表): channel conversion, product ranking, regions, churn risk per segment —
//! each over the customers the caller may see — and their CSV form.

use std::collections::{BTreeMap, HashMap};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::types::LifecycleStage;
use kehu_domain::insight::csv::write_record;
use kehu_domain::insight::types::{Cell, Report, ReportColumn, ReportKind, Segment};

use super::overview::ids_in_scope;
use crate::access;
use crate::state::AppState;

fn share(part: i64, whole: i64) -> Cell {
    Cell::Share((whole > 0).then(|| part as f64 / whole as f64))
}

pub fn report(state: &AppState, caller: &Caller, kind: ReportKind) -> Report {
    let run = state.insight.latest();
    let score = |id: &str| run.as_ref().and_then(|r| r.scores.get(id));
    // Won: a customer at 成交 (or churned after buying) or with a purchase on record.
    let won = |id: &str, stage: LifecycleStage| {
        matches!(stage, LifecycleStage::Customer) || score(id).is_some_and(|s| s.purchases > 0)
    };
    match kind {
        ReportKind::Channels | ReportKind::Regions => {
            // Counted in place over the directory. Each customer's id is kept, with its group,
            // only for the revenue, read from the order book afterwards (one lock at a time).
            let mut labels: Vec<String> = Vec::new();
            let mut counts: Vec<(i64, i64)> = Vec::new();
            let members: Vec<(String, usize)> = access::each_visible(state, caller, |rows| {
                let mut index: HashMap<&str, usize> = HashMap::new();
                rows.map(|row| {
                    let label = if kind == ReportKind::Channels { &row.source } else { &row.region };
                    let label = if label.trim().is_empty() { "—" } else { label.as_str() };
                    let at = match index.get(label) {
                        Some(&at) => at,
                        None => {
                            index.insert(label, labels.len());
                            labels.push(label.to_string());
                            counts.push((0, 0));
                            labels.len() - 1
                        }
                    };
                    counts[at].0 += 1;
                    counts[at].1 += i64::from(won(&row.id, row.stage));
                    (row.id.clone(), at)
                })
                .collect()
            });
            let mut revenue = vec![0i64; labels.len()];
            let nets = state.orders.net_cents_each(members.iter().map(|m| m.0.as_str()));
            for ((_, at), net) in members.iter().zip(nets) {
                revenue[*at] += net;
            }
            let mut rows: Vec<Vec<Cell>> = labels
                .into_iter()
                .zip(counts)
                .zip(revenue)
                .map(|((label, (n, w)), money)| vec![Cell::Text(label), Cell::Count(n), Cell::Count(w), share(w, n), Cell::Money(money)])
                .collect();
            // Best converting first; among equals the bigger group, then by name (the order
            // the groups were met in means nothing).
            rows.sort_by(|a, b| {
                b[3].value().total_cmp(&a[3].value()).then(b[1].value().total_cmp(&a[1].value())).then_with(|| a[0].text().cmp(&b[0].text()))
            });
            let first = if kind == ReportKind::Channels { ReportColumn::Channel } else { ReportColumn::Region };
            Report { kind, columns: vec![first, ReportColumn::Customers, ReportColumn::Won, ReportColumn::Conversion, ReportColumn::Revenue], rows, chart: 3 }
        }
        ReportKind::Products => {
            let customers = ids_in_scope(state, caller);
            let mut per: HashMap<u32, (i64, i64, std::collections::HashSet<String>)> = HashMap::new();
            state.orders.each_line_of(customers.iter().map(String::as_str), |customer, _, line| {
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
            access::each_visible(state, caller, |rows| {
                for row in rows {
                    let Some(s) = score(&row.id) else { continue };
                    let Some(r) = &s.rfm else { continue };
                    let g = groups.entry(r.segment).or_default();
                    g.0 += 1;
                    g.1 += i64::from(s.churn.is_some());
                }
            });
            let rows = groups
                .into_iter()
                .map(|(seg, (n, risk))| vec![Cell::Text(seg.as_str().into()), Cell::Count(n), Cell::Count(risk), share(risk, n)])
                .collect();
            Report { kind, columns: vec![ReportColumn::Segment, ReportColumn::Customers, ReportColumn::AtRisk, ReportColumn::RiskShare], rows, chart: 3 }
        }
    }
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
