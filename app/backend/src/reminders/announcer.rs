//! Announcing what falls due: each reminder once as it falls due (and again after a snooze)
//! as a `reminder_due` event, and each ticket clock's breach once as `sla_breached`,
//! written in the transaction that marks them announced. Webhooks and group robots read
//! these events like any other, so a restart neither skips nor repeats one; the live badge
//! of every owner concerned moves on.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use kehu_domain::audit::types::EventKind;
use kehu_domain::error::AppResult;

use crate::aftersales::sla_watch::breach_of;
use crate::events::{Event, SYSTEM};
use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::reminders::{self as store, ReminderRecord, ANNOUNCE_AT_MOST};
use crate::targets::watch::no_customer;

/// Announces everything whose moment has come by `now`; the owners of the reminders told.
pub async fn announce_due(state: &AppState, now: DateTime<Utc>) -> AppResult<Vec<String>> {
    let mut owners = BTreeSet::new();
    loop {
        let due = store::to_announce(&state.db, now).await?;
        if due.is_empty() {
            break;
        }
        let more = due.len() == ANNOUNCE_AT_MOST;
        // A snoozed deadline warning coming back is the person's reminder, not a new breach.
        let clocks: BTreeSet<(String, String)> = due.iter().filter(|r| !r.snoozed).filter_map(|r| breach_of(&key_of(&r.id))).collect();
        let breaches = store::untold_breaches(&state.db, clocks.into_iter().collect()).await?;
        let mut events: Vec<Event> = due.iter().map(|r| reminder_due(r, now)).collect();
        events.extend(breaches.iter().map(|(ticket, clock)| sla_breached(state, ticket, clock, now)));
        owners.extend(due.iter().map(|r| r.owner.clone()).filter(|o| !o.is_empty()));
        store::announced(&state.db, due.into_iter().map(|r| r.id).collect(), &breaches, now, &events).await?;
        state.webhooks.wake();
        if !more {
            break;
        }
    }
    Ok(owners.into_iter().collect())
}

fn reminder_due(r: &ReminderRecord, now: DateTime<Utc>) -> Event {
    let customer = if r.customer == no_customer() { String::new() } else { key_of(&r.customer) };
    Event::new(EventKind::ReminderDue, SYSTEM, now)
        .about(&customer, &r.subject)
        .change("reminder", "", key_of(&r.id))
        .change("kind", "", r.kind.clone())
        .change("owner", "", r.owner.clone())
        .change("due", "", r.due.to_rfc3339())
}

fn sla_breached(state: &AppState, ticket: &str, clock: &str, now: DateTime<Utc>) -> Event {
    let record = state.tickets.get(ticket);
    let (customer, title, assignee) =
        record.map(|t| (key_of(&t.customer), t.title.clone(), t.assignee.clone())).unwrap_or_default();
    Event::new(EventKind::SlaBreached, SYSTEM, now)
        .about(&customer, &title)
        .change("ticket", "", ticket)
        .change("clock", "", clock)
        .change("assignee", "", assignee)
}
