//! The reminder center for a signed-in caller: their own reminders (of the customers they
//! own), the header badge's count, and handling a reminder (done, dismissed, snoozed) by
//! whoever may change its customer.

use std::sync::Arc;

use chrono::Duration;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::reminders::center::{parse_snooze, LISTED_AT_MOST};
use kehu_domain::reminders::open_list::OpenList;
use kehu_domain::reminders::types::{MyReminders, Reminder, ReminderAction, ReminderKind};

use super::engine::HORIZON_DAYS;
use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::readmodel::due_cache::DueCount;
use crate::state::AppState;
use crate::store::ids::key_of;
use crate::store::reminders::{self as store, client_reminder_id, ReminderRecord};

/// How many of the user's reminders are due now: the header badge. Counted from their open
/// reminders when those are kept (they opened the center), else from a count kept between
/// changes (see `due_cache`), else in the store.
pub async fn due_count(state: &AppState, username: &str) -> AppResult<u32> {
    let now = state.clock.now();
    if let Some(open) = state.live.open.get(username) {
        return Ok(open.due_count(now));
    }
    if let Some(count) = state.live.due.get(username).and_then(|count| count.at(now)) {
        return Ok(count);
    }
    let version = state.live.due.version();
    let due = store::due_count(&state.db, username, now).await?;
    let next_due = store::next_due(&state.db, Some(username), now).await?;
    state.live.due.keep(username, version, DueCount { due, counted_at: now, next_due });
    Ok(due)
}

/// The user's open reminders: kept between changes, read from the store after one.
async fn open_list(state: &AppState, username: &str) -> AppResult<Arc<OpenList>> {
    if let Some(open) = state.live.open.get(username) {
        return Ok(open);
    }
    let version = state.live.open.version();
    let open = Arc::new(store::open_of(&state.db, username).await?);
    state.live.open.keep(username, version, open.clone());
    Ok(open)
}

pub(crate) fn named(state: &AppState, records: Vec<ReminderRecord>) -> Vec<Reminder> {
    let rows = state.directory.rows();
    records
        .into_iter()
        .filter_map(|r| {
            let name = rows.get(&key_of(&r.customer)).map(|row| row.name.clone()).unwrap_or_default();
            r.into_reminder(name)
        })
        .collect()
}

/// The caller's open reminders, of one kind or all: the first of what is due and of what
/// comes within the horizon, and how many there are of each kind. Chosen and counted in
/// memory from their open list; only the reminders shown are read from the store.
pub async fn mine(state: &AppState, caller: &Caller, only: Option<ReminderKind>) -> AppResult<MyReminders> {
    let now = state.clock.now();
    let horizon = now + Duration::days(HORIZON_DAYS + 1);
    let window = open_list(state, &caller.user.username).await?.window(now, horizon, only, LISTED_AT_MOST);
    let mut records = store::open_by_keys(&state.db, window.due.iter().chain(&window.upcoming)).await?;
    // Each part in the window's order.
    let mut part = |keys: &[String]| -> Vec<ReminderRecord> { keys.iter().filter_map(|k| records.remove(k)).collect() };
    let (due, upcoming) = (part(&window.due), part(&window.upcoming));
    Ok(MyReminders { due: named(state, due), upcoming: named(state, upcoming), counts: window.counts, only })
}

/// Done, dismissed or snoozed, by whoever may change the customer. Tells the owner's open
/// pages, and returns the caller's reminders as they are now.
pub async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: &ReminderAction,
    only: Option<ReminderKind>,
) -> AppResult<MyReminders> {
    let rid = client_reminder_id(id).ok_or(AppError::NotFound)?;
    let record = store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let (customer, name, owner) = if record.kind == ReminderKind::Target.as_str() {
        // A target's reminder concerns no customer: only its person handles it.
        if record.owner != caller.user.username {
            return Err(AppError::NotFound);
        }
        (String::new(), String::new(), record.owner.clone())
    } else {
        let customer = key_of(&record.customer);
        let row = access::customer(state, caller, &customer, Need::Change)?;
        (customer, row.name, row.owner)
    };
    let now = state.clock.now();
    let event = |kind| Event::by(caller, kind, state.clock.now()).about(&customer, &name).change(record.kind.as_str(), "", record.subject.clone());
    let changed = match action {
        ReminderAction::Done => store::close(&state.db, &rid, "done", &caller.user.username, now, &[event(EventKind::ReminderDone)]).await?,
        ReminderAction::Dismiss => {
            store::close(&state.db, &rid, "dismissed", &caller.user.username, now, &[event(EventKind::ReminderDismissed)]).await?
        }
        ReminderAction::Snooze { until } => {
            let until = parse_snooze(until, now, state.policy.offset.0).map_err(AppError::Invalid)?;
            let snoozed = event(EventKind::ReminderSnoozed).change("due", record.due.to_rfc3339(), until.to_rfc3339());
            store::snooze(&state.db, &rid, until, &[snoozed]).await?
        }
    };
    // Handled meanwhile in another tab: nothing to do, and the list shows it is gone.
    if changed {
        follow(state, vec![Effect::RemindersHandled { owners: vec![owner] }]).await;
    }
    mine(state, caller, only).await
}

