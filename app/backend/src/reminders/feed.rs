//! The calendar feed: a revocable secret address per user whose open reminders a calendar
//! app subscribes to (iCalendar). The secret is the only credential, stored as its SHA-256.

use chrono::Duration;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::i18n::{reminder_kind_label, Lang, Msg};
use kehu_domain::reminders::ical::{calendar, CalendarEvent};
use kehu_domain::reminders::types::CalendarFeed;

use super::center::named;
use crate::accounts::passwords::{new_token, token_key};
use crate::state::AppState;
use crate::store::reminders as store;

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
