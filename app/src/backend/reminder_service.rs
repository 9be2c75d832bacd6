//! Reminders for a signed-in caller: their own (the customers they own), handled by whoever
//! may change the customer; the rule settings for admins; the calendar feed's secret.

use chrono::Duration;

use super::accounts::{new_token, token_key};
use super::due_cache::DueCount;
use super::records::key_of;
use super::reminder_engine::{self as engine, HORIZON_DAYS};
use super::reminder_store::{self as store, client_reminder_id, ReminderRecord};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::error::{AppError, AppResult};
use crate::i18n::{reminder_kind_label, Lang, Msg};
use crate::reminders::center::{kind_counts, parse_snooze, LISTED_AT_MOST};
use crate::reminders::ical::{calendar, CalendarEvent};
use crate::reminders::settings::{validate_settings, SettingsInput};
use crate::reminders::types::{CalendarFeed, MyReminders, Reminder, ReminderAction, ReminderKind};

/// How many of the user's reminders are due now: the header badge.
/// Served from the live hub's cache between changes (see `due_cache`).
pub async fn due_count(state: &AppState, username: &str) -> AppResult<u32> {
    let now = state.clock.now();
    if let Some(count) = state.live.due.due_count(username, now) {
        return Ok(count);
    }
    let version = state.live.due.version();
    let due = store::due_count(&state.db, username, now).await?;
    let next_due = store::next_due(&state.db, Some(username), now).await?;
    state.live.due.keep(username, version, DueCount { due, counted_at: now, next_due });
    Ok(due)
}

fn named(state: &AppState, records: Vec<ReminderRecord>) -> Vec<Reminder> {
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
/// comes within the horizon, and how many there are of each kind.
pub async fn mine(state: &AppState, caller: &Caller, only: Option<ReminderKind>) -> AppResult<MyReminders> {
    let now = state.clock.now();
    let horizon = now + Duration::days(HORIZON_DAYS + 1);
    let rows = store::center_rows(&state.db, &caller.user.username, now, horizon, only, LISTED_AT_MOST).await?;
    Ok(MyReminders {
        due: named(state, rows.due),
        upcoming: named(state, rows.upcoming),
        counts: kind_counts(&rows.due_counts, &rows.upcoming_counts),
        only,
    })
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
    let customer = key_of(&record.customer);
    let row = state.directory.row(&customer).ok_or(AppError::NotFound)?;
    if !caller.can_edit(&row.owner, &row.region) {
        return Err(if caller.can_view(&row.owner, &row.region) { AppError::Forbidden } else { AppError::NotFound });
    }
    let now = state.clock.now();
    let changed = match action {
        ReminderAction::Done => store::close(&state.db, &rid, "done", &caller.user.username, now).await?,
        ReminderAction::Dismiss => store::close(&state.db, &rid, "dismissed", &caller.user.username, now).await?,
        ReminderAction::Snooze { until } => {
            let until = parse_snooze(until, now, state.policy.offset.0).map_err(AppError::Invalid)?;
            store::snooze(&state.db, &rid, until).await?
        }
    };
    // Handled meanwhile in another tab: nothing to do, and the list shows it is gone.
    if changed {
        state.live.changed_for(vec![row.owner.clone()]);
    }
    mine(state, caller, only).await
}

fn admin_only(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn settings(state: &AppState, caller: &Caller) -> AppResult<SettingsInput> {
    admin_only(caller)?;
    Ok(SettingsInput::from(&store::settings(&state.db).await?))
}

/// Saves the settings and works every customer's reminders out again under them.
pub async fn save_settings(state: &AppState, caller: &Caller, input: &SettingsInput) -> AppResult<SettingsInput> {
    admin_only(caller)?;
    let settings = validate_settings(input).map_err(AppError::Invalid)?;
    store::save_settings(&state.db, &settings, &caller.user.username, state.clock.now()).await?;
    engine::run(state).await?;
    Ok(SettingsInput::from(&settings))
}

pub async fn feed(state: &AppState, caller: &Caller) -> AppResult<CalendarFeed> {
    let created_at = store::feed_of(&state.db, &caller.user.username).await?;
    Ok(CalendarFeed { active: created_at.is_some(), created_at, new_path: None })
}

/// A new secret address for the caller's feed; any earlier one stops working.
pub async fn new_feed(state: &AppState, caller: &Caller) -> AppResult<CalendarFeed> {
    let token = new_token()?;
    let now = state.clock.now();
    store::replace_feed(&state.db, &caller.user.username, token_key(&token), now).await?;
    Ok(CalendarFeed { active: true, created_at: Some(now), new_path: Some(format!("/calendar/{token}.ics")) })
}

pub async fn revoke_feed(state: &AppState, caller: &Caller) -> AppResult<CalendarFeed> {
    store::revoke_feed(&state.db, &caller.user.username).await?;
    Ok(CalendarFeed::default())
}

/// The iCalendar text behind a feed secret: the user's open reminders from a week back to
/// the horizon. `NotFound` for a secret that is wrong, revoked, or of a deactivated user.
pub async fn calendar_text(state: &AppState, token: &str, lang: Lang) -> AppResult<String> {
    let token = token.strip_suffix(".ics").unwrap_or(token);
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let username = store::feed_user(&state.db, &token_key(token)).await?.ok_or(AppError::NotFound)?;
    let user = state.users.get(&username).filter(|u| u.user.active).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let reminders = named(state, store::open_since(&state.db, &username, now - Duration::days(7)).await?);
    let events: Vec<CalendarEvent> = reminders
        .iter()
        .map(|r| {
            let kind = reminder_kind_label(r.kind).text(lang);
            let mut description = r.subject.clone();
            if let Some(moved) = &r.moved_by {
                description = format!("{description}\n{}: {moved}", Msg::RemMovedByDnd.text(lang));
            }
            CalendarEvent {
                uid: format!("{}@kehu", r.id),
                start: r.due,
                summary: format!("{kind} · {}", r.customer_name),
                description,
            }
        })
        .collect();
    let name = format!("{} · {}", Msg::AppName.text(lang), user.user.display_name);
    Ok(calendar(&name, &events, now))
}
