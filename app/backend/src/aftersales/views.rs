//! Tickets as the pages show them: the customer's name and tags from the directory, the SLA
//! clocks counted now under the policy that holds. Shared by the ticket service and the SLA
//! warnings; no rights asked here (their callers have).

use chrono::{DateTime, Utc};
use kehu_domain::customers::types::CustomerRow;
use kehu_domain::error::AppResult;
use kehu_domain::service::sla::{first_response_clock, matching_policy, resolution_clock, SlaClock};
use kehu_domain::service::tickets::TicketStatus;
use kehu_domain::service::types::{ServiceSettings, Ticket};

use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::service_settings;
use crate::store::tickets::TicketRecord;

/// A ticket's SLA clocks now under the policy that holds for its priority and its customer's
/// tags: the policy's name and (first response, resolution); none when no policy fits.
pub fn clocks(settings: &ServiceSettings, record: &TicketRecord, tags: &[String], now: DateTime<Utc>) -> Option<(String, SlaClock, SlaClock)> {
    let policy = matching_policy(&settings.policies, record.priority()?, tags)?;
    let statuses: Vec<_> = record.history.iter().filter_map(|h| Some((TicketStatus::from_key(&h.status)?, h.at))).collect();
    Some((
        policy.name.clone(),
        first_response_clock(&settings.calendar, record.created_at, record.first_reply_at, policy, now),
        resolution_clock(&settings.calendar, &statuses, policy, now),
    ))
}

/// The ticket as shown: names resolved, SLA clocks counted now under the policy that holds.
pub fn view(state: &AppState, settings: &ServiceSettings, record: &TicketRecord, customer_name: &str, tags: &[String], now: DateTime<Utc>) -> Option<Ticket> {
    shown(state, record, customer_name, clocks(settings, record, tags, now))
}

/// The ticket as shown with its clocks already counted (see [`clocks`]).
pub fn shown(state: &AppState, record: &TicketRecord, customer_name: &str, clocks: Option<(String, SlaClock, SlaClock)>) -> Option<Ticket> {
    let (kind, priority, status) = (record.kind()?, record.priority()?, record.status()?);
    let name_of = |u: &str| state.users.display_name(u);
    Some(Ticket {
        id: key_of(&record.id),
        customer_id: record.customer_key(),
        customer_name: customer_name.to_string(),
        notes: record.notes(&name_of),
        assignee_name: if record.assignee.is_empty() { String::new() } else { name_of(&record.assignee) },
        title: record.title.clone(),
        description: record.description.clone(),
        kind,
        priority,
        status,
        category: record.category.clone(),
        assignee: record.assignee.clone(),
        resolution: record.resolution.clone(),
        created_by: record.created_by.clone(),
        created_at: record.created_at,
        first_reply_at: record.first_reply_at,
        history: record.history(),
        sla_name: clocks.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
        first_response: clocks.as_ref().map(|c| c.1),
        resolution_clock: clocks.as_ref().map(|c| c.2),
        merged_into: record.merged_into.as_ref().map(key_of).unwrap_or_default(),
        order_id: record.sales_order.as_ref().map(key_of).unwrap_or_default(),
        order_label: record.sales_order.as_ref().map(|o| order_label(state, &record.customer_key(), &key_of(o))).unwrap_or_default(),
    })
}

/// An order as a ticket names it: its day and products ("2026-11-10 · 净水器、滤芯"); empty
/// once the order is gone.
fn order_label(state: &AppState, customer: &str, order: &str) -> String {
    state
        .orders
        .order_facts(customer, order)
        .map(|o| format!("{} · {}", o.on, o.products.join("、")))
        .unwrap_or_default()
}

/// The labels of a customer's tags, which SLA policies match (a VIP's tighter terms).
pub fn labels(row: &CustomerRow) -> Vec<String> {
    row.tags.iter().map(|t| t.label.clone()).collect()
}

/// Tickets as shown, their customers' names and tags from the directory, clocks counted now;
/// no rights asked (the callers have).
pub async fn views_of(state: &AppState, records: &[std::sync::Arc<TicketRecord>]) -> AppResult<Vec<Ticket>> {
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let rows = state.directory.rows();
    Ok(records
        .iter()
        .filter_map(|r| {
            let row = rows.get(&r.customer_key())?;
            let (name, tags) = (row.name.clone(), labels(row));
            view(state, &settings, r, &name, &tags, now)
        })
        .collect())
}
