//! Notifications for a signed-in user: what Kehu told them by itself, read and marked read.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::AppResult;
use kehu_domain::notifications::Notification;

use crate::state::AppState;
use crate::store::notifications as store;

/// Tells `owner` that a customer of theirs went back to the pool after `days` days.
pub async fn recycled(state: &AppState, owner: &str, customer: &str, name: &str, days: u32) -> AppResult<()> {
    Ok(store::recycled(&state.db, owner, customer, name, days, state.clock.now()).await?)
}

pub async fn mine(state: &AppState, caller: &Caller) -> AppResult<Vec<Notification>> {
    Ok(store::of_user(&state.db, &caller.user.username).await?)
}

pub async fn unread_count(state: &AppState, username: &str) -> AppResult<u32> {
    Ok(store::unread_count(&state.db, username).await?)
}

pub async fn mark_all_read(state: &AppState, caller: &Caller) -> AppResult<()> {
    Ok(store::mark_all_read(&state.db, &caller.user.username).await?)
}
