//! Server functions for signing in and out and for managing users and teams.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::accounts::types::{Handover, Me, Team, User, UserInput};
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::accounts::{signin, users};

/// The signed-in user, or `None`.
#[server(input = Json)]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    let state = state()?;
    signin::me_from_cookies(&state, cookie_header().as_deref()).await
}

#[server(input = Json)]
pub async fn login(username: String, password: String) -> Result<Me, AppError> {
    let state = state()?;
    let (token, caller) = signin::login(&state, &username, &password, &client_address(&state).await).await?;
    set_session_cookie(&state, &token);
    signin::me(&state, &caller).await
}

#[server(input = Json)]
pub async fn logout() -> Result<(), AppError> {
    let state = state()?;
    if let Some(token) = session_token() {
        signin::logout(&state, &token).await?;
    }
    clear_session_cookie(&state);
    Ok(())
}

/// Whether the first-admin page is open for this token.
#[server(input = Json)]
pub async fn setup_open(token: String) -> Result<bool, AppError> {
    let state = state()?;
    let current = state.setup_token.lock().map(|t| t.clone()).unwrap_or_default();
    Ok(!state.users.any_active_admin() && current.is_some_and(|t| t == token))
}

#[server(input = Json)]
pub async fn setup_admin(token: String, input: UserInput) -> Result<Me, AppError> {
    let state = state()?;
    let (session, caller) = signin::setup_admin(&state, &token, &input).await?;
    set_session_cookie(&state, &session);
    signin::me(&state, &caller).await
}

#[server(input = Json)]
pub async fn list_users() -> Result<Vec<User>, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(users::list_users(&state, &caller))
}

#[server(input = Json)]
pub async fn list_teams() -> Result<Vec<Team>, AppError> {
    let (state, _) = signed_in().await?;
    users::teams(&state).await
}

#[server(input = Json)]
pub async fn create_user(input: UserInput) -> Result<User, AppError> {
    let (state, caller) = signed_in().await?;
    users::create_user(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn update_user(input: UserInput) -> Result<User, AppError> {
    let (state, caller) = signed_in().await?;
    users::update_user(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn deactivate_user(username: String, handover: Handover) -> Result<usize, AppError> {
    let (state, caller) = signed_in().await?;
    users::deactivate_user(&state, &caller, &username, &handover).await
}

#[server(input = Json)]
pub async fn create_team(name: String) -> Result<Team, AppError> {
    let (state, caller) = signed_in().await?;
    users::create_team(&state, &caller, &name).await
}

/// The signed-in user chooses a new password, giving the current one.
#[server(input = Json)]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    let (state, caller) = signed_in_choosing_password().await?;
    let token = session_token().ok_or(AppError::Unauthorized)?;
    signin::change_password(&state, &caller, &token, &current, &new_password).await
}
