//! Signing in and out, the first admin, and managing users and teams.

use super::account_store as store;
use super::accounts::{decoy_hash, hash_password, new_token, token_key, verify_password, SessionEntry, StoredUser};
use super::audit_store::{self as audit, Audit};
use super::notify;
use super::pool_service;
use super::records::new_id;
use super::state::AppState;
use crate::accounts::rules::{validate_user, Caller};
use crate::accounts::types::{Handover, Me, Role, Team, User, UserInput};
use crate::audit::types::{AuditAction, FieldChange};
use crate::error::{AppError, AppResult, FieldError, Problem};

/// What the person signed in as may see of themselves.
pub async fn me(state: &AppState, caller: &Caller) -> AppResult<Me> {
    Ok(Me {
        user: caller.user.clone(),
        can_assign: caller.can_assign(),
        can_audit: caller.can_audit(),
        is_admin: caller.is_admin(),
        unread_notifications: notify::unread_count(&state.db, &caller.user.username).await?,
        due_reminders: super::reminder_service::due_count(state, &caller.user.username).await?,
    })
}

/// Argon2 takes tens of milliseconds on purpose: off the async threads.
async fn verify(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false)
}

async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| AppError::Store(format!("hashing interrupted: {e}")))?
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

pub async fn logout(state: &AppState, token: &str) -> AppResult<()> {
    let key = token_key(token);
    state.sessions.remove(&key);
    store::delete_session(&state.db, &key).await
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

/// Creates a user without checking who asks: for the setup page and the command line.
pub async fn create_user_unchecked(state: &AppState, actor: &str, input: &UserInput) -> AppResult<User> {
    let mut input = validate_user(input, true).map_err(AppError::Invalid)?;
    if input.max_customers == 0 {
        input.max_customers = state.policy.default_max_customers;
    }
    check_team(state, &input.team).await?;
    let stored = StoredUser {
        user: User {
            username: input.username.clone(),
            display_name: input.display_name.clone(),
            role: input.role,
            team: input.team.clone(),
            region: input.region.clone(),
            active: true,
            max_customers: input.max_customers,
        },
        password_hash: hash(input.password.clone()).await?,
    };
    if !store::insert_user(&state.db, &stored).await? {
        return Err(AppError::Invalid(vec![FieldError::new("username", Problem::UsernameTaken)]));
    }
    let changes = vec![FieldChange::new("role", "", input.role.as_str())];
    audit::record(&state.db, Audit { actor, action: AuditAction::UserCreated, customer: "", subject: &input.username, changes }, state.clock.now()).await?;
    state.users.put(stored.clone());
    Ok(stored.user)
}

async fn check_team(state: &AppState, team: &Option<String>) -> AppResult<()> {
    if let Some(team) = team {
        if !store::teams(&state.db).await?.iter().any(|t| &t.id == team) {
            return Err(AppError::Invalid(vec![FieldError::new("team", Problem::UnknownChoice)]));
        }
    }
    Ok(())
}

fn admin_only(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The users a caller may know of: admins all, managers their team, reps themselves.
pub fn list_users(state: &AppState, caller: &Caller) -> Vec<User> {
    state.users.all().into_iter().filter(|u| caller.scope.covers_user(&u.username) || caller.is_admin()).collect()
}

pub async fn create_user(state: &AppState, caller: &Caller, input: &UserInput) -> AppResult<User> {
    admin_only(caller)?;
    create_user_unchecked(state, &caller.user.username, input).await
}

/// Changes a user's name, role, team, region, limit, and password if one is given.
pub async fn update_user(state: &AppState, caller: &Caller, input: &UserInput) -> AppResult<User> {
    admin_only(caller)?;
    let input = validate_user(input, false).map_err(AppError::Invalid)?;
    let mut stored = state.users.get(&input.username).ok_or(AppError::NotFound)?;
    check_team(state, &input.team).await?;
    // The last active admin cannot stop being one: nobody could manage users any more.
    if stored.user.role == Role::Admin && input.role != Role::Admin && !other_active_admin(state, &input.username) {
        return Err(AppError::Invalid(vec![FieldError::new("role", Problem::UnknownChoice)]));
    }
    let before = stored.user.clone();
    stored.user.display_name = input.display_name.clone();
    stored.user.role = input.role;
    stored.user.team = input.team.clone();
    stored.user.region = input.region.clone();
    stored.user.max_customers = input.max_customers;
    if !input.password.is_empty() {
        stored.password_hash = hash(input.password.clone()).await?;
    }
    store::update_user(&state.db, &stored).await?;
    let mut changes = Vec::new();
    let mut diff = |f: &str, a: String, b: String| {
        if a != b {
            changes.push(FieldChange::new(f, a, b));
        }
    };
    diff("display_name", before.display_name, stored.user.display_name.clone());
    diff("role", before.role.as_str().into(), stored.user.role.as_str().into());
    diff("team", before.team.unwrap_or_default(), stored.user.team.clone().unwrap_or_default());
    diff("region", before.region, stored.user.region.clone());
    diff("max_customers", before.max_customers.to_string(), stored.user.max_customers.to_string());
    if !input.password.is_empty() {
        changes.push(FieldChange::new("password", "", "(changed)"));
        // A new password ends the user's other sessions.
        store::delete_sessions_of(&state.db, &stored.user.username).await?;
        state.sessions.remove_user(&stored.user.username);
    }
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action: AuditAction::UserUpdated, customer: "", subject: &stored.user.username, changes },
        state.clock.now(),
    )
    .await?;
    state.users.put(stored.clone());
    Ok(stored.user)
}

fn other_active_admin(state: &AppState, username: &str) -> bool {
    state.users.all().iter().any(|u| u.username != username && u.active && u.role == Role::Admin)
}

/// A rep leaves: signed out everywhere, can no longer sign in, and every customer of theirs
/// goes to the pool or to a colleague, in one action. Returns how many customers moved.
pub async fn deactivate_user(state: &AppState, caller: &Caller, username: &str, handover: &Handover) -> AppResult<usize> {
    admin_only(caller)?;
    let mut stored = state.users.get(username).ok_or(AppError::NotFound)?;
    if username == caller.user.username || (stored.user.role == Role::Admin && !other_active_admin(state, username)) {
        return Err(AppError::Forbidden);
    }
    let moved = pool_service::hand_over(state, &caller.user.username, username, handover).await?;
    stored.user.active = false;
    store::update_user(&state.db, &stored).await?;
    store::delete_sessions_of(&state.db, username).await?;
    state.sessions.remove_user(username);
    let to = match handover {
        Handover::ToPool => "(pool)".to_string(),
        Handover::ToUser(u) => u.clone(),
    };
    let changes = vec![FieldChange::new("active", "true", "false"), FieldChange::new("customers", moved.to_string(), to)];
    audit::record(
        &state.db,
        Audit { actor: &caller.user.username, action: AuditAction::UserDeactivated, customer: "", subject: username, changes },
        state.clock.now(),
    )
    .await?;
    state.users.put(stored);
    Ok(moved)
}

pub async fn teams(state: &AppState) -> AppResult<Vec<Team>> {
    store::teams(&state.db).await
}

pub async fn create_team(state: &AppState, caller: &Caller, name: &str) -> AppResult<Team> {
    admin_only(caller)?;
    create_team_unchecked(state, &caller.user.username, name).await
}

/// Creates a team without checking who asks: for the command line.
pub async fn create_team_unchecked(state: &AppState, actor: &str, name: &str) -> AppResult<Team> {
    let name = crate::customers::normalize::clean_line(name);
    if name.is_empty() || name.chars().count() > 100 {
        let problem = if name.is_empty() { Problem::Required } else { Problem::TooLong { max: 100 } };
        return Err(AppError::Invalid(vec![FieldError::new("team", problem)]));
    }
    if store::teams(&state.db).await?.iter().any(|t| t.name == name) {
        return Err(AppError::Invalid(vec![FieldError::new("team", Problem::Duplicate)]));
    }
    let team = store::insert_team(&state.db, new_id("team"), &name, state.clock.now()).await?;
    audit::record(
        &state.db,
        Audit { actor, action: AuditAction::TeamCreated, customer: "", subject: &name, changes: vec![] },
        state.clock.now(),
    )
    .await?;
    Ok(team)
}
