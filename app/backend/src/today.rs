//! 今天: the caller's day, gathered from what is already kept — reminders from the store,
//! open deals from the deal book, repurchase windows from the insight batch, leads from the
//! directory scored by the learned lead model.

use std::collections::HashSet;

use chrono::Datelike;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::types::{CustomerRow, LifecycleStage};
use kehu_domain::error::AppResult;
use kehu_domain::targets::period::Period;
use kehu_domain::today::{ClosingDeal, LeadLine, ModelFacts, RepurchaseLine, TodayView, LINES_EACH};

use crate::access;
use crate::insight::leads;
use crate::reminders::center;
use crate::state::AppState;

/// At most this many of the caller's leads are scored per visit (the most recently touched):
/// a manager over thousands of leads gets the best of the recent ones, not a slow page.
pub const LEADS_SCORED: usize = 500;

pub async fn today(state: &AppState, caller: &Caller) -> AppResult<TodayView> {
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let reminders = center::mine(state, caller, None).await?;
    let due_total = reminders.counts.iter().map(|c| c.due).sum();
    // Owned customers only: the pool's are nobody's day yet.
    let mine: Vec<CustomerRow> = access::visible_rows(state, caller).into_iter().filter(|r| !r.owner.is_empty()).collect();
    let ids: HashSet<&str> = mine.iter().map(|r| r.id.as_str()).collect();

    let mut closing = Vec::new();
    let mut leads_view = Vec::new();
    let mut model_facts = None;
    if caller.sees_money() {
        let month_end = Period::Month(today.year(), today.month()).end();
        let mut deals = state.deals.open_where(|d| ids.contains(d.customer_id.as_str()) && d.expected_close <= month_end);
        deals.sort_by(|a, b| a.expected_close.cmp(&b.expected_close).then(a.id.cmp(&b.id)));
        closing = deals
            .into_iter()
            .take(LINES_EACH)
            .map(|d| ClosingDeal {
                customer_name: state.directory.row(&d.customer_id).map(|r| r.name).unwrap_or(d.customer_name),
                id: d.id,
                title: d.title,
                customer_id: d.customer_id,
                amount_cents: d.amount_cents,
                currency: d.currency,
                expected_close: d.expected_close,
                next_step: d.next_step,
            })
            .collect();
        let (lines, facts) = ranked_leads(state, &mine).await?;
        leads_view = lines;
        model_facts = facts;
    }

    let mut repurchase: Vec<RepurchaseLine> = match state.insight.latest() {
        Some(run) => mine
            .iter()
            .filter_map(|r| {
                let window = run.scores.get(&r.id)?.repurchase.clone()?;
                (window.from <= today && today <= window.to).then(|| RepurchaseLine {
                    customer_id: r.id.clone(),
                    customer_name: r.name.clone(),
                    phone: r.phone.clone(),
                    window,
                })
            })
            .collect(),
        None => Vec::new(),
    };
    repurchase.sort_by(|a, b| a.window.expected.cmp(&b.window.expected).then(a.customer_id.cmp(&b.customer_id)));
    repurchase.truncate(LINES_EACH);

    Ok(TodayView {
        due: reminders.due.into_iter().take(LINES_EACH).collect(),
        due_total,
        closing,
        repurchase,
        leads: leads_view,
        model: model_facts,
        sells: caller.sees_money(),
    })
}

/// The caller's leads, best first: by the learned score when there is a model, otherwise
/// by the last touch (most recent first).
async fn ranked_leads(state: &AppState, mine: &[CustomerRow]) -> AppResult<(Vec<LeadLine>, Option<ModelFacts>)> {
    let mut candidates: Vec<CustomerRow> = mine.iter().filter(|r| r.stage == LifecycleStage::Lead).cloned().collect();
    candidates.sort_by(|a, b| b.last_contact_at.cmp(&a.last_contact_at).then(b.updated_at.cmp(&a.updated_at)).then(a.id.cmp(&b.id)));
    candidates.truncate(LEADS_SCORED);
    let line = |r: &CustomerRow, score| LeadLine {
        customer_id: r.id.clone(),
        customer_name: r.name.clone(),
        phone: r.phone.clone(),
        source: r.source.clone(),
        score,
    };
    let Some(model) = state.insight.lead_model() else {
        return Ok((candidates.iter().take(LINES_EACH).map(|r| line(r, None)).collect(), None));
    };
    let facts = leads::facts_now(state, &candidates).await?;
    let mut scored: Vec<LeadLine> = candidates
        .iter()
        .map(|r| line(r, facts.get(&r.id).map(|f| model.score(f))))
        .collect();
    // Stable: equal scores keep the recent-touch order.
    scored.sort_by_key(|l| std::cmp::Reverse(l.score.as_ref().map_or(0, |s| s.percent)));
    scored.truncate(LINES_EACH);
    Ok((scored, Some(ModelFacts { examples: model.examples, won: model.won })))
}
