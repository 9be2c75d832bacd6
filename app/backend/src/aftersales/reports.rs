//! The after-sales report for managers and admins: the tickets and surveys they may see,
//! turned into plain facts for `kehu_domain::service::reports`, and the same as CSV.

use std::collections::BTreeSet;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppResult;
use kehu_domain::service::reports::{report as build, ServiceReport, SurveyFact, TicketFact};
use kehu_domain::service::sla::ClockState;
use kehu_domain::service::tickets::{TicketKind, TicketStatus};

use crate::access;
use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::{service_settings, surveys as survey_store, tickets as ticket_store};

use super::views::{labels, view};

/// Weeks of opened/solved shown.
pub const WEEKS: u32 = 12;

pub async fn report(state: &AppState, caller: &Caller) -> AppResult<ServiceReport> {
    access::manager(caller)?;
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let team = access::ticket_people(state, caller);
    // Everything read before the directory is held (its guard is not held across a wait).
    let ticket_records = ticket_store::all(&state.db).await?;
    let survey_records = survey_store::all(&state.db).await?;
    // Who handled each ticket, for the CSAT survey about it.
    let assignees: std::collections::HashMap<_, _> = ticket_records.iter().map(|t| (key_of(&t.id), t.assignee.clone())).collect();
    let rows = state.directory.rows();
    let sees = |customer: &str| rows.get(customer).is_some_and(|row| access::sees(caller, &row.owner, &row.region));
    let region = |customer: &str| rows.get(customer).map(|r| r.region.clone()).unwrap_or_default();
    let mut tickets = Vec::new();
    let mut complaint_ids = BTreeSet::new();
    for record in ticket_records {
        let customer = record.customer_key();
        if !team.contains(&record.assignee) && !sees(&customer) {
            continue;
        }
        let Some(row) = rows.get(&customer) else { continue };
        let replied = record.first_reply_at.is_some();
        let Some(t) = view(state, &settings, record, &row.name, &labels(row), now) else { continue };
        let solved_at = t.history.iter().find(|h| matches!(h.status, TicketStatus::Solved | TicketStatus::Closed)).map(|h| h.at);
        let clocks = [t.first_response, t.resolution_clock];
        if t.kind == TicketKind::Complaint {
            complaint_ids.insert(t.id.clone());
        }
        tickets.push(TicketFact {
            region: row.region.clone(),
            complaint: t.kind == TicketKind::Complaint,
            first_response_minutes: t.first_response.filter(|_| replied).map(|c| c.used_minutes),
            resolution_minutes: t.resolution_clock.filter(|_| solved_at.is_some()).map(|c| c.used_minutes),
            breached: clocks.iter().flatten().any(|c| c.state == ClockState::Breached),
            under_sla: clocks.iter().any(Option::is_some),
            solved_at,
            id: t.id,
            customer_id: t.customer_id,
            customer_name: t.customer_name,
            title: t.title,
            category: t.category,
            assignee: t.assignee,
            created_at: t.created_at,
        });
    }
    let surveys = survey_records
        .into_iter()
        .filter(|s| sees(&s.customer_key()))
        .filter_map(|s| {
            Some(SurveyFact {
                kind: s.kind()?,
                region: region(&s.customer_key()),
                customer_id: s.customer_key(),
                created_at: s.created_at,
                score: s.score(),
                reason: s.reason.clone(),
                opened_ticket: s.complaint.is_some(),
                agent: s.ticket.as_ref().and_then(|t| assignees.get(&key_of(t))).cloned().unwrap_or_default(),
            })
        })
        .collect::<Vec<_>>();
    Ok(build(&tickets, &surveys, now, WEEKS, &|u| state.users.display_name(u)))
}
