//! The insight batch: runs every model over every customer's orders and keeps the result —
//! in memory for the pages, the customer list's segment filter and the reminder rules, and
//! in the store (only the scores that changed) as the durable record.
//!
//! Order of work: RFM over the default window; the BG/NBD fit over all buyers, then each
//! buyer's P(alive) and expected purchases; each buyer's rhythm (churn warning, repurchase
//! window, season); association rules over all baskets. Runs at start-up and before each
//! reminder engine run, so churn and repurchase reminders follow the latest scores.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use kehu_domain::error::AppResult;
use kehu_domain::insight::assoc::{mine, MIN_BOTH};
use kehu_domain::insight::bgnbd::{self, expected_purchases, p_alive, Rfx};
use kehu_domain::insight::rfm::{self, purchase_days, RawRfm};
use kehu_domain::insight::rhythm::{churn_warning, repurchase_window, seasonal_hint, ChurnSettings};
use kehu_domain::insight::types::CustomerScore;

use crate::internal::internal;
use crate::readmodel::insight_book::InsightRun;
use crate::readmodel::order_book::History;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::orders::{self as store, ScoreRecord, CUSTOMER_SCORE};
use crate::store::reminders as reminder_store;

/// The RFM window the stored segments use (the overview page can look through others).
pub const RFM_WINDOW_DAYS: i64 = 365;

/// Every model over these histories, as of `as_of`. Plain computation: the bench times it.
pub fn compute(histories: &[History], as_of: NaiveDate, churn: &ChurnSettings, now: DateTime<Utc>) -> InsightRun {
    let purchases: Vec<Vec<NaiveDate>> = histories.iter().map(|h| purchase_days(&h.orders)).collect();
    // RFM: only customers with a purchase are scored.
    let mut raws: Vec<RawRfm> = Vec::new();
    let mut raw_of: Vec<Option<usize>> = Vec::with_capacity(histories.len());
    for (h, p) in histories.iter().zip(&purchases) {
        raw_of.push(rfm::raw(&h.orders, p, as_of, RFM_WINDOW_DAYS).map(|r| {
            raws.push(r);
            raws.len() - 1
        }));
    }
    let rfms = rfm::score(&raws);
    // BG/NBD over every buyer.
    let rfx: Vec<Option<Rfx>> = purchases.iter().map(|p| bgnbd::summarise(p, as_of)).collect();
    let data: Vec<Rfx> = rfx.iter().flatten().copied().collect();
    let fit = bgnbd::fit(&data).ok();
    let mut scores = HashMap::with_capacity(histories.len());
    let mut baskets = HashMap::with_capacity(histories.len());
    for (i, h) in histories.iter().enumerate() {
        let days = &purchases[i];
        let positive: Vec<i64> = h.orders.iter().map(|(_, c)| *c).filter(|c| *c > 0).collect();
        let avg_order_cents = if positive.is_empty() { 0 } else { positive.iter().sum::<i64>() / positive.len() as i64 };
        let prediction = match (&fit, rfx[i]) {
            (Some(f), Some(d)) => Some((p_alive(&f.params, &d), expected_purchases(&f.params, &d, 30.0), expected_purchases(&f.params, &d, 90.0))),
            _ => None,
        };
        let score = CustomerScore {
            customer_id: h.customer.clone(),
            purchases: days.len() as u32,
            first_purchase: days.first().copied(),
            last_purchase: days.last().copied(),
            avg_order_cents,
            rfm: raw_of[i].map(|j| rfms[j].clone()),
            p_alive_pct: prediction.map(|(p, _, _)| (p * 100.0).round().clamp(0.0, 100.0) as u8),
            expected_30: prediction.map(|(_, e, _)| (e * 100.0).round() / 100.0),
            expected_90: prediction.map(|(_, _, e)| (e * 100.0).round() / 100.0),
            churn: churn_warning(days, prediction.map(|(p, _, _)| p), as_of, churn),
            repurchase: repurchase_window(days, as_of),
            season: seasonal_hint(days, as_of),
        };
        scores.insert(h.customer.clone(), score);
        if !h.products.is_empty() {
            baskets.insert(h.customer.clone(), h.products.clone());
        }
    }
    let basket_list: Vec<Vec<u32>> = baskets.values().cloned().collect();
    let rules = mine(&basket_list, MIN_BOTH);
    InsightRun { computed_at: now, as_of, scores, fit, rules, baskets }
}

/// What a run did, for the log and the bench.
#[derive(Clone, Copy, Debug)]
pub struct RunSummary {
    pub customers: usize,
    pub orders: usize,
    pub lines: usize,
    pub written: usize,
    pub compute: std::time::Duration,
    pub total: std::time::Duration,
}

/// Runs the batch over everything and stores what changed.
pub async fn run(state: &AppState) -> AppResult<RunSummary> {
    let _only_me = state.insight.one_at_a_time.lock().await;
    let started = std::time::Instant::now();
    let now = state.clock.now();
    let as_of = now.with_timezone(&state.policy.offset.0).date_naive();
    let churn = reminder_store::settings(&state.db).await?.churn.unwrap_or_default();
    let orders = state.orders.clone();
    let (result, compute_time) = tokio::task::spawn_blocking(move || {
        let t = std::time::Instant::now();
        let histories = orders.histories(as_of);
        (compute(&histories, as_of, &churn, now), t.elapsed())
    })
    .await
    .map_err(|e| internal(format!("the insight batch stopped: {e}")))?;
    // Only what changed is written: compared with the last run in memory, or, after a start,
    // with what the store holds (then as JSON, the form it is stored in).
    let last = state.insight.latest();
    let stored: HashMap<String, String> = match last {
        Some(_) => HashMap::new(),
        None => store::stored_scores(&state.db).await?.into_iter().collect(),
    };
    let mut changed = Vec::new();
    for (customer, score) in &result.scores {
        if last.as_ref().is_some_and(|run| run.scores.get(customer) == Some(score)) {
            continue;
        }
        let (Ok(data), Some(rid)) = (serde_json::to_string(score), record_id(CUSTOMER, customer)) else { continue };
        if last.is_none() && stored.get(customer) == Some(&data) {
            continue;
        }
        changed.push(ScoreRecord {
            id: surrealdb::types::RecordId::new(CUSTOMER_SCORE, customer.clone()),
            customer: rid,
            segment: score.rfm.as_ref().map(|r| r.segment.as_str().to_string()),
            p_alive_pct: score.p_alive_pct.map(i64::from),
            data,
            computed_at: now,
        });
    }
    let previous: Vec<&String> = match &last {
        Some(run) => run.scores.keys().collect(),
        None => stored.keys().collect(),
    };
    let gone: Vec<_> = previous
        .into_iter()
        .filter(|k| !result.scores.contains_key(*k))
        .map(|k| surrealdb::types::RecordId::new(CUSTOMER_SCORE, k.clone()))
        .collect();
    let written = changed.len() + gone.len();
    store::save_scores(&state.db, changed, gone).await?;
    let (order_count, lines) = state.orders.counts();
    store::save_run(&state.db, now, result.scores.len(), order_count, result.fit.as_ref()).await?;
    let customers = result.scores.len();
    state.insight.set(result);
    // The forecast's costly part, ready before anyone asks (see `insight_book::Repeats`).
    state.insight.prepare_repeats(as_of);
    Ok(RunSummary { customers, orders: order_count, lines, written, compute: compute_time, total: started.elapsed() })
}

/// Asks for a batch run soon (after orders changed), without waiting for it: runs now if
/// none is running, or once more right after the running one. Then the reminders of the
/// customer concerned (or, after an import, everyone's) are worked out again.
pub fn request_run(state: &AppState, customer: Option<String>) {
    let book = state.insight.clone();
    {
        let mut pending = book.pending.lock().unwrap_or_else(|p| p.into_inner());
        match customer {
            Some(c) => pending.customers.push(c),
            None => pending.everyone = true,
        }
        if pending.running {
            return;
        }
        pending.running = true;
    }
    let state = state.clone();
    tokio::spawn(async move {
        loop {
            let (customers, everyone) = {
                let mut pending = book.pending.lock().unwrap_or_else(|p| p.into_inner());
                if pending.customers.is_empty() && !pending.everyone {
                    pending.running = false;
                    return;
                }
                (std::mem::take(&mut pending.customers), std::mem::take(&mut pending.everyone))
            };
            if let Err(e) = run(&state).await {
                tracing::warn!("the insight batch after an order change failed: {e}");
                continue;
            }
            if everyone {
                if let Err(e) = crate::reminders::engine::run(&state).await {
                    tracing::warn!("working out reminders after an import failed: {e}");
                }
            } else {
                for c in customers {
                    crate::reminders::engine::refresh_customer(&state, &c).await;
                }
            }
        }
    });
}
