//! The lead score's data: what each customer with closed deals looked like when its first
//! deal was won (or its last one lost), for the fit; what a lead looks like now, for the
//! score. The model itself is `kehu_domain::insight::lead_score`, refitted every ten
//! minutes after the insight batch (not after each order: orders do not enter it) and after
//! the demo is loaded, and kept in `InsightBook`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use kehu_domain::customers::types::{CustomerRow, TouchpointKind};
use kehu_domain::error::AppResult;
use kehu_domain::insight::lead_score::{LeadFacts, LeadModel};

use crate::internal::internal;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, record_id};
use crate::store::lead_history::{self as store, Touch};

/// A customer's facts as of `cutoff`: only touches before it count.
fn facts_at(row: &CustomerRow, touches: &[(TouchpointKind, DateTime<Utc>)], cutoff: DateTime<Utc>) -> LeadFacts {
    let mut facts = LeadFacts { source: row.source.clone(), industry: row.industry.clone(), region: row.region.clone(), ..Default::default() };
    let mut first: Option<DateTime<Utc>> = None;
    for (kind, at) in touches.iter().filter(|(_, at)| *at < cutoff) {
        facts.touch(*kind);
        first = Some(first.map_or(*at, |f| f.min(*at)));
    }
    facts.days_since_first_touch = first.map(|f| (cutoff - f).num_days());
    facts
}

fn by_customer(touches: Vec<Touch>) -> HashMap<String, Vec<(TouchpointKind, DateTime<Utc>)>> {
    let mut map: HashMap<String, Vec<(TouchpointKind, DateTime<Utc>)>> = HashMap::new();
    for t in touches {
        if let Some(kind) = TouchpointKind::parse(&t.kind) {
            map.entry(key_of(&t.customer)).or_default().push((kind, t.at));
        }
    }
    map
}

/// Fits the model to every customer with closed deals and keeps it (or forgets the old one
/// when the history no longer supports a model). Returns the number of examples.
pub async fn refit(state: &AppState) -> AppResult<usize> {
    // Per customer: the moment its outcome was known, and the outcome.
    let mut outcomes: HashMap<String, (DateTime<Utc>, bool)> = HashMap::new();
    for deal in store::closed_deals(&state.db).await? {
        let Some(at) = deal.closed_at else { continue };
        let key = key_of(&deal.customer);
        let entry = outcomes.entry(key).or_insert((at, deal.won));
        *entry = match (entry.1, deal.won) {
            // The first win decides; before any win, the latest loss.
            (true, true) => (entry.0.min(at), true),
            (true, false) => *entry,
            (false, true) => (at, true),
            (false, false) => (entry.0.max(at), false),
        };
    }
    let rows: Vec<CustomerRow> = outcomes.keys().filter_map(|k| state.directory.row(k)).collect();
    let ids = rows.iter().filter_map(|r| record_id(CUSTOMER, &r.id)).collect();
    let touches = by_customer(store::touches_of(&state.db, ids).await?);
    let examples: Vec<(LeadFacts, bool)> = rows
        .iter()
        .filter_map(|row| {
            let (cutoff, won) = outcomes.get(&row.id)?;
            Some((facts_at(row, touches.get(&row.id).map(Vec::as_slice).unwrap_or(&[]), *cutoff), *won))
        })
        .collect();
    let count = examples.len();
    let model = tokio::task::spawn_blocking(move || LeadModel::fit(&examples).ok())
        .await
        .map_err(|e| internal(format!("the lead score fit stopped: {e}")))?;
    state.insight.set_lead_model(model);
    Ok(count)
}

/// These customers' facts as of now.
pub async fn facts_now(state: &AppState, rows: &[CustomerRow]) -> AppResult<HashMap<String, LeadFacts>> {
    let now = state.clock.now();
    let ids = rows.iter().filter_map(|r| record_id(CUSTOMER, &r.id)).collect();
    let touches = by_customer(store::touches_of(&state.db, ids).await?);
    // A touch logged "now" still counts: the cut-off is just after this moment.
    let cutoff = now + chrono::Duration::seconds(1);
    Ok(rows.iter().map(|r| (r.id.clone(), facts_at(r, touches.get(&r.id).map(Vec::as_slice).unwrap_or(&[]), cutoff))).collect())
}
