//! Managing users and teams (admins), and a leaving rep's hand-over. Every change goes to the
//! store with its event, then the registry follows.

use kehu_domain::accounts::rules::{validate_user, Caller};
use kehu_domain::accounts::types::{Handover, Role, Team, User, UserInput};
use kehu_domain::audit::types::{EventKind, FieldChange};
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::passwords::hash_password;
use super::registry::StoredUser;
use crate::access;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::accounts::{self as store, EndSessions};
use crate::store::ids::new_id;

/// A password's hash, made when the password gate gives its turn (see `gate`).
pub(crate) async fn hash(state: &AppState, password: String) -> AppResult<String> {
    state.password_gate.run(move || hash_password(&password)).await?
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
            must_change_password: false,
        },
        password_hash: hash(state, input.password.clone()).await?,
    };
    let event = Event::new(EventKind::UserCreated, actor, state.clock.now()).subject(&input.username).change("role", "", input.role.as_str());
    if !store::insert_user(&state.db, &stored, &[event]).await? {
        return Err(AppError::Invalid(vec![FieldError::new("username", Problem::UsernameTaken)]));
    }
    let user = stored.user.clone();
    follow(state, vec![Effect::User(stored)]).await;
    Ok(user)
}

async fn check_team(state: &AppState, team: &Option<String>) -> AppResult<()> {
    if let Some(team) = team {
        if !store::teams(&state.db).await?.iter().any(|t| &t.id == team) {
            return Err(AppError::Invalid(vec![FieldError::new("team", Problem::UnknownChoice)]));
        }
    }
    Ok(())
}

/// The users a caller may know of: admins all, managers their team, reps themselves.
pub fn list_users(state: &AppState, caller: &Caller) -> Vec<User> {
    state.users.all().into_iter().filter(|u| access::knows_user(caller, &u.username)).collect()
}

pub async fn create_user(state: &AppState, caller: &Caller, input: &UserInput) -> AppResult<User> {
    access::admin(caller)?;
    create_user_unchecked(state, &caller.user.username, input).await
}

/// Changes a user's name, role, team, region, limit, and password if one is given.
pub async fn update_user(state: &AppState, caller: &Caller, input: &UserInput) -> AppResult<User> {
    access::admin(caller)?;
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
    let new_password = !input.password.is_empty();
    if new_password {
        stored.password_hash = hash(state, input.password.clone()).await?;
        // A password an admin chose for someone else is known to two people: the user picks
        // their own at their next sign-in.
        stored.user.must_change_password = input.username != caller.user.username;
    }
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
    if new_password {
        changes.push(FieldChange::new("password", "", "(changed)"));
    }
    let event = Event::by(caller, EventKind::UserUpdated, state.clock.now()).subject(&stored.user.username).changes(changes);
    // A new password ends the user's other sessions.
    let end = if new_password { EndSessions::All } else { EndSessions::None };
    store::update_user(&state.db, &stored, end, &[event]).await?;
    let user = stored.user.clone();
    let mut effects = vec![Effect::User(stored)];
    if new_password {
        effects.push(Effect::SignedOut { username: user.username.clone() });
    }
    follow(state, effects).await;
    Ok(user)
}

fn other_active_admin(state: &AppState, username: &str) -> bool {
    state.users.all().iter().any(|u| u.username != username && u.active && u.role == Role::Admin)
}

/// A rep leaves: signed out everywhere, can no longer sign in, and every customer of theirs
/// goes to the pool or to a colleague, in one action. Returns how many customers moved.
pub async fn deactivate_user(state: &AppState, caller: &Caller, username: &str, handover: &Handover) -> AppResult<usize> {
    access::admin(caller)?;
    let mut stored = state.users.get(username).ok_or(AppError::NotFound)?;
    if username == caller.user.username || (stored.user.role == Role::Admin && !other_active_admin(state, username)) {
        return Err(AppError::Forbidden);
    }
    let moved = crate::customers::pool::hand_over(state, &caller.user.username, username, handover).await?;
    stored.user.active = false;
    let to = match handover {
        Handover::ToPool => "(pool)".to_string(),
        Handover::ToUser(u) => u.clone(),
    };
    let event = Event::by(caller, EventKind::UserDeactivated, state.clock.now())
        .subject(username)
        .change("active", "true", "false")
        .change("customers", moved.to_string(), to);
    store::update_user(&state.db, &stored, EndSessions::All, &[event]).await?;
    follow(state, vec![Effect::User(stored), Effect::SignedOut { username: username.to_string() }]).await;
    Ok(moved)
}

pub async fn teams(state: &AppState) -> AppResult<Vec<Team>> {
    Ok(store::teams(&state.db).await?)
}

pub async fn create_team(state: &AppState, caller: &Caller, name: &str) -> AppResult<Team> {
    access::admin(caller)?;
    create_team_unchecked(state, &caller.user.username, name).await
}

/// Creates a team without checking who asks: for the command line.
pub async fn create_team_unchecked(state: &AppState, actor: &str, name: &str) -> AppResult<Team> {
    let mut check = kehu_domain::check::Check::default();
    let name = check.line("team", name, 100, true);
    check.finish(()).map_err(AppError::Invalid)?;
    if store::teams(&state.db).await?.iter().any(|t| t.name == name) {
        return Err(AppError::Invalid(vec![FieldError::new("team", Problem::Duplicate)]));
    }
    let now = state.clock.now();
    let event = Event::new(EventKind::TeamCreated, actor, now).subject(&name);
    Ok(store::insert_team(&state.db, new_id("team"), &name, now, &[event]).await?)
}
