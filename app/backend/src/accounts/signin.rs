//! Signing in and out, the sessions behind the cookie, and the first admin.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::{Me, Role, UserInput};
use kehu_domain::error::{AppError, AppResult};

use super::passwords::{decoy_hash, new_token, token_key, verify_password};
use super::sessions::{cookie_value, SessionEntry, SESSION_COOKIE};
use super::users::create_user_unchecked;
use crate::state::AppState;
use crate::store::accounts as store;

/// What the person signed in as may see of themselves.
pub async fn me(state: &AppState, caller: &Caller) -> AppResult<Me> {
    Ok(Me {
        user: caller.user.clone(),
        can_assign: caller.can_assign(),
        can_audit: caller.can_audit(),
        is_admin: caller.is_admin(),
        unread_notifications: crate::notifications::unread_count(state, &caller.user.username).await?,
        due_reminders: crate::reminders::center::due_count(state, &caller.user.username).await?,
    })
}

/// Argon2 takes tens of milliseconds on purpose: off the async threads.
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false)
}

/// Checks a username and password and opens a session; returns its token (for the cookie).
/// `address` is the client's, for throttling guessers.
pub async fn login(state: &AppState, username: &str, password: &str, address: &str) -> AppResult<(String, Caller)> {
    let now = state.clock.now();
    let username = username.trim().to_lowercase();
    let account_key = format!("user:{username}");
    let address_key = format!("addr:{address}");
    for (throttle, key) in [(&state.account_throttle, &account_key), (&state.address_throttle, &address_key)] {
        if let Some(retry_after_secs) = throttle.blocked_for(key, now) {
            return Err(AppError::RateLimited { retry_after_secs });
        }
    }
    let stored = state.users.get(&username);
    let hash = stored.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| decoy_hash().to_string());
    let password_ok = verify(password.to_string(), hash).await && stored.is_some();
    let Some(stored) = stored.filter(|_| password_ok) else {
        state.account_throttle.fail(&account_key, now);
        state.address_throttle.fail(&address_key, now);
        return Err(AppError::LoginFailed);
    };
    if !stored.user.active {
        return Err(AppError::AccountDisabled);
    }
    state.account_throttle.clear(&account_key);
    let token = open_session(state, &username).await?;
    let caller = state.users.caller(&username).ok_or(AppError::AccountDisabled)?;
    Ok((token, caller))
}

/// Opens a session for a user without a password: for sign-in after checks, and for tools
/// (the bench) that act as a user.
pub async fn open_session(state: &AppState, username: &str) -> AppResult<String> {
    let now = state.clock.now();
    let token = new_token()?;
    let key = token_key(&token);
    let entry = SessionEntry { username: username.to_string(), created_at: now, last_seen_at: now };
    store::insert_session(&state.db, &key, &entry).await?;
    state.sessions.put(key, entry);
    Ok(token)
}

/// The caller behind a session token, if the session is live; moves its idle clock on.
pub async fn resolve(state: &AppState, token: &str) -> AppResult<Caller> {
    let key = token_key(token);
    let now = state.clock.now();
    let entry = match state.sessions.get(&key) {
        Some(entry) => entry,
        None => {
            let entry = store::get_session(&state.db, &key).await?.ok_or(AppError::Unauthorized)?;
            state.sessions.put(key.clone(), entry.clone());
            entry
        }
    };
    if !state.policy.session.is_live(&entry, now) {
        state.sessions.remove(&key);
        store::delete_session(&state.db, &key).await?;
        return Err(AppError::Unauthorized);
    }
    // Written back at most once a minute: enough for an idle timeout counted in hours.
    if now - entry.last_seen_at > chrono::Duration::minutes(1) {
        store::touch_session(&state.db, &key, now).await?;
        state.sessions.put(key, SessionEntry { last_seen_at: now, ..entry.clone() });
    }
    state.users.caller(&entry.username).ok_or(AppError::Unauthorized)
}

/// The signed-in caller a request's `Cookie` header names: the one way a request becomes a
/// caller (server functions and plain HTTP routes alike).
pub async fn caller_from_cookies(state: &AppState, cookie_header: Option<&str>) -> AppResult<Caller> {
    let token = cookie_header.and_then(|h| cookie_value(h, SESSION_COOKIE)).ok_or(AppError::Unauthorized)?;
    resolve(state, token).await
}

/// The session token a request's `Cookie` header carries, if any.
pub fn session_token(cookie_header: Option<&str>) -> Option<String> {
    cookie_header.and_then(|h| cookie_value(h, SESSION_COOKIE)).map(str::to_string)
}

pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let key = token_key(token);
    state.sessions.remove(&key);
    Ok(store::delete_session(&state.db, &key).await?)
}

/// Makes (and returns) the one-time setup token if no active admin exists yet.
pub fn open_setup(state: &AppState) -> AppResult<Option<String>> {
    if state.users.any_active_admin() {
        return Ok(None);
    }
    let mut slot = state.setup_token.lock().unwrap_or_else(|p| p.into_inner());
    if slot.is_none() {
        *slot = Some(new_token()?);
    }
    Ok(slot.clone())
}

/// Creates the first admin with the setup token; the token is spent. Signs them in.
pub async fn setup_admin(state: &AppState, token: &str, input: &UserInput) -> AppResult<(String, Caller)> {
    {
        let slot = state.setup_token.lock().unwrap_or_else(|p| p.into_inner());
        let valid = slot.as_deref().is_some_and(|t| !token.is_empty() && constant_time_eq(t.as_bytes(), token.as_bytes()));
        if !valid || state.users.any_active_admin() {
            return Err(AppError::SetupClosed);
        }
    }
    let input = UserInput { role: Role::Admin, team: None, ..input.clone() };
    create_user_unchecked(state, "setup", &input).await?;
    *state.setup_token.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let token = open_session(state, &input.username.trim().to_lowercase()).await?;
    let caller = state.users.caller(&input.username.trim().to_lowercase()).ok_or(AppError::Unauthorized)?;
    Ok((token, caller))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

