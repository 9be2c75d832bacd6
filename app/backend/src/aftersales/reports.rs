//! The after-sales report for managers and admins: the tickets and surveys they may see,
//! turned into plain facts for `kehu_domain::service::reports` — the tickets borrowed from
//! the ticket book, their clocks kept there once they stopped.


use std::sync::Arc;

use chrono::{DateTime, Utc};
use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppResult;
use kehu_domain::service::complaint_origin::Origin;
use kehu_domain::service::reports::{ReportSums, ServiceReport, SurveyFact, TicketFact};
use kehu_domain::service::sla::{matching_policy_where, usages, SlaPolicy};
use kehu_domain::service::tickets::{Priority, TicketKind};
use kehu_domain::service::types::ServiceSettings;

use crate::access;
use kehu_domain::customers::types::CustomerRow;
use crate::readmodel::ticket_book::{Facts, StoppedClocks};
use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::{service_settings, surveys as survey_store};

/// Weeks of opened/solved shown.
pub const WEEKS: u32 = 12;

pub async fn report(state: &AppState, caller: &Caller) -> AppResult<ServiceReport> {
    access::manager(caller)?;
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let team = access::ticket_people(state, caller);
    // Everything read before the directory is held (its guard is not held across a wait).
    let survey_records = survey_store::all(&state.db).await?;
    // Who handled the ticket a CSAT survey asks about (asked before the book is walked).
    let agents: Vec<String> = survey_records
        .iter()
        .map(|s| s.ticket.as_ref().and_then(|t| state.tickets.get(&key_of(t))).map(|t| t.assignee.clone()).unwrap_or_default())
        .collect();
    let settings_key = key_of_settings(&settings);
    let rows = state.directory.rows();
    let sees = |customer: &str| rows.get(customer).is_some_and(|row| access::sees(caller, &row.owner, &row.region));
    let region = |customer: &str| rows.get(customer).map(|r| r.region.clone()).unwrap_or_default();
    let insight = state.insight.latest();
    let surveys = survey_records
        .into_iter()
        .zip(agents)
        .filter(|(s, _)| sees(&s.customer_key()))
        .filter_map(|(s, agent)| {
            Some(SurveyFact {
                kind: s.kind()?,
                region: region(&s.customer_key()),
                customer_id: s.customer_key(),
                created_at: s.created_at,
                score: s.score(),
                reason: s.reason.clone(),
                opened_ticket: s.complaint.is_some(),
                agent,
                origin: state.orders.complaint_origin(&s.customer_key(), None, s.created_at),
                segment: insight
                    .as_ref()
                    .and_then(|run| run.scores.get(&s.customer_key()))
                    .and_then(|score| score.rfm.as_ref())
                    .map(|rfm| rfm.segment.as_str().to_string())
                    .unwrap_or_default(),
            })
        })
        .collect::<Vec<_>>();
    let mut counted = Vec::new();
    let report = state.tickets.with_all(|entries| {
        let mut sums = ReportSums::new(now, WEEKS);
        // What is asked about a customer, once per customer (the book gives a customer's
        // tickets one after another).
        let mut group: Option<CustomerGroup<'_>> = None;
        for entry in entries {
            let (record, facts) = (entry.record, entry.facts);
            if !group.as_ref().is_some_and(|g| Arc::ptr_eq(g.customer, entry.customer)) {
                group = rows.get(&**entry.customer).map(|row| CustomerGroup {
                    customer: entry.customer,
                    row,
                    sees: access::sees(caller, &row.owner, &row.region),
                    policies: [None; 4],
                });
            }
            let Some(g) = group.as_mut() else { continue };
            let row = g.row;
            if !g.sees && !team.contains(&*facts.assignee) {
                continue;
            }
            let (Some(kind), Some(status), Some(priority)) = (facts.kind, facts.status, facts.priority) else { continue };
            let which = Priority::ALL.iter().position(|p| *p == priority).unwrap_or(0);
            let policy = *g.policies[which].get_or_insert_with(|| {
                let matched = matching_policy_where(&settings.policies, priority, |tag| row.tags.iter().any(|t| t.label == tag));
                matched.and_then(|m| settings.policies.iter().position(|p| std::ptr::eq(p, m)))
            });
            let key = settings_key ^ policy.map_or(0, |i| i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            // Solved or closed and answered: the clocks no longer move, so they are kept.
            let stopped = !status.is_open() && (facts.first_reply_at.is_some() || policy.is_none());
            let sla = match entry.stopped.filter(|(k, _)| stopped && *k == key) {
                Some((_, kept)) => *kept,
                None => {
                    let fresh = sla_facts(&settings, policy.and_then(|i| settings.policies.get(i)), facts, now);
                    if stopped {
                        counted.push((Arc::clone(record), key, fresh));
                    }
                    fresh
                }
            };
            let complaint = kind == TicketKind::Complaint;
            // Only complaints are joined to orders and named in the Pareto.
            let origin = if complaint {
                state.orders.complaint_origin(entry.customer, record.sales_order.as_ref().map(key_of).as_deref(), facts.created_at)
            } else {
                Origin::default()
            };
            sums.add(TicketFact {
                id: entry.id,
                customer_id: entry.customer,
                customer_name: if complaint { &row.name } else { "" },
                region: &row.region,
                title: if complaint { &record.title } else { "" },
                complaint,
                category: &facts.category,
                assignee: &facts.assignee,
                created_at: facts.created_at,
                solved_at: sla.solved_at,
                first_response_minutes: sla.first_response_minutes,
                resolution_minutes: sla.resolution_minutes,
                breached: sla.breached,
                under_sla: sla.under_sla,
                origin,
            });
        }
        sums.finish(&surveys, &|u| state.users.display_name(u))
    });
    state.tickets.keep_stopped_clocks(counted);
    Ok(report)
}

/// One customer as the report walks their tickets: their row, whether the reader sees
/// them and the SLA policy of each priority (by [`Priority::ALL`]), each found at most once.
struct CustomerGroup<'a> {
    customer: &'a Arc<str>,
    row: &'a CustomerRow,
    sees: bool,
    policies: [Option<Option<usize>>; 4],
}

/// A ticket's SLA as the report counts it from the book's facts: when it was first solved,
/// working minutes to the first reply (if answered) and to solved (if solved), whether a
/// clock was breached, whether a policy holds at all. Only what was used is counted, not the
/// deadlines a ticket's page shows.
fn sla_facts(settings: &ServiceSettings, policy: Option<&SlaPolicy>, facts: &Facts, now: DateTime<Utc>) -> StoppedClocks {
    let solved_at = facts.solved_at;
    let Some(policy) = policy else {
        return StoppedClocks { solved_at, first_response_minutes: None, resolution_minutes: None, breached: false, under_sla: false };
    };
    let (first, resolution) = usages(&settings.calendar, facts.created_at, facts.first_reply_at, &facts.statuses, policy, now);
    StoppedClocks {
        first_response_minutes: facts.first_reply_at.map(|_| first.used_minutes),
        resolution_minutes: solved_at.map(|_| resolution.used_minutes),
        solved_at,
        breached: first.breached || resolution.breached,
        under_sla: true,
    }
}

/// What the kept clocks were counted under: the calendar and the policies (a change to either
/// counts every ticket again).
fn key_of_settings(settings: &ServiceSettings) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_string(&(&settings.calendar, &settings.policies)).unwrap_or_default().hash(&mut hasher);
    hasher.finish()
}
