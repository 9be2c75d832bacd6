//! Tickets as the pages show them: the customer's name and tags from the directory, the SLA
//! clocks counted now under the policy that holds. Shared by the ticket service and the SLA
//! warnings; no rights asked here (their callers have).

use chrono::{DateTime, Utc};
use kehu_domain::customers::types::CustomerRow;
use kehu_domain::error::AppResult;
use kehu_domain::service::sla::{first_response_clock, matching_policy, resolution_clock};
use kehu_domain::service::types::{ServiceSettings, Ticket};

use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::service_settings;
use crate::store::tickets::TicketRecord;

/// The ticket as shown: names resolved, SLA clocks counted now under the policy that holds.
pub fn view(state: &AppState, settings: &ServiceSettings, record: TicketRecord, customer_name: &str, tags: &[String], now: DateTime<Utc>) -> Option<Ticket> {
    let history = record.history();
    let (kind, priority, status) = (record.kind()?, record.priority()?, record.status()?);
    let policy = matching_policy(&settings.policies, priority, tags);
    let clocks = policy.map(|p| {
        let statuses: Vec<_> = history.iter().map(|h| (h.status, h.at)).collect();
        (
            first_response_clock(&settings.calendar, record.created_at, record.first_reply_at, p, now),
            resolution_clock(&settings.calendar, &statuses, p, now),
        )
    });
    let name_of = |u: &str| state.users.display_name(u);
    Some(Ticket {
        id: key_of(&record.id),
        customer_id: record.customer_key(),
        customer_name: customer_name.to_string(),
        notes: record.notes(&name_of),
        assignee_name: if record.assignee.is_empty() { String::new() } else { name_of(&record.assignee) },
        title: record.title,
        description: record.description,
        kind,
        priority,
        status,
        category: record.category,
        assignee: record.assignee,
        resolution: record.resolution,
        created_by: record.created_by,
        created_at: record.created_at,
        first_reply_at: record.first_reply_at,
        history,
        sla_name: policy.map(|p| p.name.clone()).unwrap_or_default(),
        first_response: clocks.map(|c| c.0),
        resolution_clock: clocks.map(|c| c.1),
        merged_into: record.merged_into.as_ref().map(key_of).unwrap_or_default(),
    })
}

/// The labels of a customer's tags, which SLA policies match (a VIP's tighter terms).
pub fn labels(row: &CustomerRow) -> Vec<String> {
    row.tags.iter().map(|t| t.label.clone()).collect()
}

/// Tickets as shown, their customers' names and tags from the directory, clocks counted now;
/// no rights asked (the callers have).
pub async fn views_of(state: &AppState, records: Vec<TicketRecord>) -> AppResult<Vec<Ticket>> {
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let rows = state.directory.rows();
    Ok(records
        .into_iter()
        .filter_map(|r| {
            let row = rows.get(&r.customer_key())?;
            let (name, tags) = (row.name.clone(), labels(row));
            view(state, &settings, r, &name, &tags, now)
        })
        .collect())
}
