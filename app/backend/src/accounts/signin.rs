//! Signing in and out, the sessions behind the cookie, and the first admin.

use kehu_domain::accounts::rules::{password_problem, Caller};
use kehu_domain::accounts::types::{Me, Role, UserInput};
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::passwords::{decoy_hash, new_token, token_key, verify_password};
use super::sessions::{cookie_value, SessionEntry};
use super::users::create_user_unchecked;
use crate::state::AppState;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::store::accounts::{self as store, EndSessions};

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

/// Who a request's `Cookie` header signs in, as the pages know them: `None` for no one (no
/// session, or one that ended). Pages learn it before they render (see `server::http`);
/// the `current_user` server function asks the same after signing in or out.
pub async fn me_from_cookies(state: &AppState, cookie_header: Option<&str>) -> AppResult<Option<Me>> {
    match caller_choosing_password(state, cookie_header).await {
        Ok(caller) => Ok(Some(me(state, &caller).await?)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Checks a username and password and opens a session; returns its token (for the cookie).
/// `client` is the client's address (see `client::client_of`), for slowing down guessers:
/// per (account, client) and per client, never per account alone, so nobody can lock
/// someone else out (see `throttle`).
pub async fn login(state: &AppState, username: &str, password: &str, client: &str) -> AppResult<(String, Caller)> {
    let now = state.clock.now();
    let username = username.trim().to_lowercase();
    let pair = format!("{username}|{client}");
    for (throttle, key) in [(&state.pair_throttle, pair.as_str()), (&state.client_throttle, client)] {
        if let Some(retry_after_secs) = throttle.wait_for(key, now) {
            return Err(AppError::RateLimited { retry_after_secs });
        }
    }
    // Counted before the check, so parallel attempts see each other.
    state.pair_throttle.fail(&pair, now);
    state.client_throttle.fail(client, now);
    let stored = state.users.get(&username);
    let hash = stored.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| decoy_hash().to_string());
    let password = password.to_string();
    let checked = state.password_gate.run(move || verify_password(&password, &hash)).await;
    let right = match checked {
        Ok(right) => right && stored.is_some(),
        Err(turned_away) => {
            // Not checked at all: not a failed guess.
            state.pair_throttle.forgive_last(&pair);
            state.client_throttle.forgive_last(client);
            return Err(turned_away);
        }
    };
    let Some(stored) = stored.filter(|_| right) else {
        return Err(AppError::LoginFailed);
    };
    state.pair_throttle.clear(&pair);
    state.client_throttle.forgive_last(client);
    if !stored.user.active {
        return Err(AppError::AccountDisabled);
    }
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

/// The caller behind a session token, if the session is live; moves its idle clock on (a
/// request is a sign the person is there).
pub async fn resolve(state: &AppState, token: &str) -> AppResult<Caller> {
    check(state, token, true).await
}

/// The caller behind a session token, if the session is live, without moving its idle clock:
/// for the live badge's stream, which an open tab keeps going without anyone there.
pub async fn still_signed_in(state: &AppState, token: &str) -> AppResult<Caller> {
    check(state, token, false).await
}

async fn check(state: &AppState, token: &str, touch: bool) -> AppResult<Caller> {
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
    if touch && now - entry.last_seen_at > chrono::Duration::minutes(1) {
        store::touch_session(&state.db, &key, now).await?;
        state.sessions.put(key, SessionEntry { last_seen_at: now, ..entry.clone() });
    }
    state.users.caller(&entry.username).ok_or(AppError::Unauthorized)
}

/// The signed-in caller a request's `Cookie` header names: the one way a request becomes a
/// caller (server functions and plain HTTP routes alike).
///
/// A user whose password an admin set may do nothing until they chose their own
/// (`PasswordChangeRequired`); see [`caller_choosing_password`]. Until a freshly started
/// server has loaded its read models, a signed-in caller is told to wait (`Warming`).
pub async fn caller_from_cookies(state: &AppState, cookie_header: Option<&str>) -> AppResult<Caller> {
    let caller = caller_choosing_password(state, cookie_header).await?;
    if caller.user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    // Signed in, but what they came for needs the read models (see `readmodel::warmup`).
    state.warmup.check()?;
    Ok(caller)
}

/// The signed-in caller even if they must choose a new password first: for knowing who is
/// there, signing out, and changing the password.
pub async fn caller_choosing_password(state: &AppState, cookie_header: Option<&str>) -> AppResult<Caller> {
    let token = session_token(state, cookie_header).ok_or(AppError::Unauthorized)?;
    resolve(state, &token).await
}

/// The signed-in user changes their own password: the current one first (as at sign-in, it
/// takes its turn at the password gate and counts against the throttle), then the new one
/// is checked like any password. Their other sessions end; this one stays.
pub async fn change_password(state: &AppState, caller: &Caller, token: &str, current: &str, new: &str) -> AppResult<()> {
    let now = state.clock.now();
    let mut stored = state.users.get(&caller.user.username).ok_or(AppError::Unauthorized)?;
    let key = format!("{}|password-change", caller.user.username);
    if let Some(retry_after_secs) = state.pair_throttle.wait_for(&key, now) {
        return Err(AppError::RateLimited { retry_after_secs });
    }
    state.pair_throttle.fail(&key, now);
    let (typed, hash) = (current.to_string(), stored.password_hash.clone());
    if !state.password_gate.run(move || verify_password(&typed, &hash)).await? {
        return Err(AppError::Invalid(vec![FieldError::new("current", Problem::WrongPassword)]));
    }
    state.pair_throttle.clear(&key);
    if let Some(problem) = password_problem(new) {
        return Err(AppError::Invalid(vec![FieldError::new("password", problem)]));
    }
    if new == current {
        return Err(AppError::Invalid(vec![FieldError::new("password", Problem::SameAsBefore)]));
    }
    stored.password_hash = super::users::hash(state, new.to_string()).await?;
    stored.user.must_change_password = false;
    let event = Event::by(caller, EventKind::UserUpdated, now).subject(&caller.user.username).change("password", "", "(changed)");
    store::update_user(&state.db, &stored, EndSessions::AllBut(&token_key(token)), &[event]).await?;
    let username = stored.user.username.clone();
    follow(state, vec![Effect::User(stored), Effect::SignedOut { username }]).await;
    Ok(())
}

/// The session token a request's `Cookie` header carries, if any (under the cookie name the
/// installation uses: `Policy::session_cookie`).
pub fn session_token(state: &AppState, cookie_header: Option<&str>) -> Option<String> {
    cookie_header.and_then(|h| cookie_value(h, state.policy.session_cookie())).map(str::to_string)
}

/// Forgets what is over: throttle entries whose window passed, ended sessions in the cache
/// and in the store. Run every hour.
pub async fn prune(state: &AppState) -> AppResult<()> {
    let now = state.clock.now();
    state.pair_throttle.prune(now);
    state.client_throttle.prune(now);
    state.sessions.prune(&state.policy.session, now);
    Ok(store::delete_ended_sessions(&state.db, now - state.policy.session.idle, now - state.policy.session.absolute).await?)
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
    // Held until the admin exists: a second request with the same token waits, then finds
    // the token spent.
    let _only_one = state.setup_running.lock().await;
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

