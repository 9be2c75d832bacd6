//! SLA warnings as reminders: for every open ticket whose clock runs, a reminder for the
//! assignee (the customer's owner while nobody has it) and their team's managers when the
//! warning share is used, and another at the deadline. They live in the reminder store, so
//! the reminder center, the live badge and the calendar feed carry them like any other;
//! worked out again after each ticket change and with every reminder run, so a ticket that
//! waits for the customer, is solved or changes hands takes its pending warnings with it.
//! A warning already due stays until its person handles it.


use chrono::{DateTime, Utc};

use kehu_domain::accounts::types::Role;
use kehu_domain::error::AppResult;
use kehu_domain::reminders::announce::announce_at;
use kehu_domain::reminders::types::ReminderKind;
use kehu_domain::service::sla::{ClockState, SlaClock};
use kehu_domain::service::types::Ticket;

use crate::state::AppState;
use crate::store::reminders::{self as reminder_store, reminder_id, ReminderRecord};

use super::views::views_of;

/// How an SLA warning's key starts; then `⟨ticket⟩:⟨clock⟩:⟨warn|breach⟩:⟨person⟩`.
const KEY_PREFIX: &str = "sla:";
const BREACH: &str = "breach";

/// The ticket clock (`⟨ticket⟩:⟨clock⟩`) an SLA reminder's key tells of as breached;
/// `None` for a warning before the deadline or any other reminder.
pub fn breach_of(reminder_key: &str) -> Option<(String, String)> {
    let mut parts = reminder_key.strip_prefix(KEY_PREFIX)?.splitn(4, ':');
    let (ticket, clock, moment) = (parts.next()?, parts.next()?, parts.next()?);
    (moment == BREACH && parts.next().is_some()).then(|| (ticket.to_string(), clock.to_string()))
}

/// Who is told about a ticket's clock: whoever has it (else the customer's owner) and the
/// managers of their team.
fn people(state: &AppState, ticket: &Ticket) -> Vec<String> {
    let holder = if ticket.assignee.is_empty() {
        state.directory.row(&ticket.customer_id).map(|r| r.owner).unwrap_or_default()
    } else {
        ticket.assignee.clone()
    };
    if holder.is_empty() {
        return Vec::new();
    }
    let team = state.users.get(&holder).and_then(|u| u.user.team);
    let mut people = vec![holder.clone()];
    people.extend(
        state
            .users
            .all()
            .into_iter()
            .filter(|u| u.active && u.role == Role::Manager && u.team.is_some() && u.team == team && u.username != holder)
            .map(|u| u.username),
    );
    people
}

/// The reminders a ticket's running clocks call for, by key.
fn reminders_of(state: &AppState, ticket: &Ticket, now: DateTime<Utc>) -> Vec<ReminderRecord> {
    let Some(customer) = crate::store::ids::record_id(crate::store::customer_rows::CUSTOMER, &ticket.customer_id) else { return Vec::new() };
    let people = people(state, ticket);
    let mut out = Vec::new();
    let clocks: [(&str, &str, Option<SlaClock>); 2] =
        [("first_response", "首次响应", ticket.first_response), ("resolution", "解决时限", ticket.resolution_clock)];
    for (clock_key, clock_name, clock) in clocks {
        let Some(clock) = clock else { continue };
        if !matches!(clock.state, ClockState::Running | ClockState::Warning | ClockState::Breached) {
            continue;
        }
        // A clock breached while stopped (solved late) warns nobody any more.
        if clock.state == ClockState::Breached && !ticket.status.is_open() {
            continue;
        }
        let moments = [("warn", "即将超时", clock.warn_at), (BREACH, "已超时", clock.deadline)];
        for (moment, what, at) in moments {
            let Some(due) = at else { continue };
            for person in &people {
                let key = format!("{KEY_PREFIX}{}:{clock_key}:{moment}:{person}", ticket.id);
                out.push(ReminderRecord {
                    id: reminder_id(&key),
                    kind: ReminderKind::Sla.as_str().to_string(),
                    customer: customer.clone(),
                    owner: person.clone(),
                    subject: format!("工单「{}」{clock_name}{what}", ticket.title),
                    rule_due: due,
                    due,
                    moved_by: None,
                    snoozed: false,
                    status: "open".into(),
                    created_at: now,
                    announce_at: announce_at(due, now),
                });
            }
        }
    }
    out
}

/// Works out the SLA reminders of the given tickets (all open ones with `None`) again:
/// pending ones no longer called for go, new ones are added; what is due stays.
pub async fn refresh(state: &AppState, only: Option<&str>) -> AppResult<usize> {
    let now = state.clock.now();
    let records = match only {
        Some(ticket) => state.tickets.get(ticket).into_iter().collect(),
        None => state.tickets.open(),
    };
    let tickets = views_of(state, &records).await?;
    let fresh: Vec<ReminderRecord> = tickets.iter().flat_map(|t| reminders_of(state, t, now)).collect();
    let prefix = only.map(|t| format!("{KEY_PREFIX}{t}:"));
    let obsolete = reminder_store::obsolete(reminder_store::pending_sla(&state.db, prefix.as_deref(), now).await?, &fresh);
    let made = fresh.len();
    let told: Vec<String> = fresh.iter().map(|r| r.owner.clone()).collect();
    reminder_store::sync(&state.db, obsolete, fresh).await?;
    state.live.changed_for(told);
    Ok(made)
}

/// After a ticket changed: a failure is logged, never passed to the person whose change
/// succeeded; the next reminder run repairs it.
pub async fn after_change(state: &AppState, ticket: &str) {
    if let Err(e) = refresh(state, Some(ticket)).await {
        tracing::warn!("working out the SLA reminders of ticket {ticket} failed: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::breach_of;

    #[test]
    fn a_breach_is_told_by_its_deadline_reminders_only() {
        assert_eq!(breach_of("sla:t1:resolution:breach:rep1"), Some(("t1".into(), "resolution".into())));
        assert_eq!(breach_of("sla:t1:first_response:warn:rep1"), None);
        assert_eq!(breach_of("birthday:c1:2026"), None);
        assert_eq!(breach_of("sla:t1:resolution:breach"), None, "a key without its person is not ours");
    }
}
