//! Personal access tokens: made by their user (the secret shown once), listed with their last
//! use, revoked; and an API request's bearer secret turned back into its user, acting "via
//! API" with the token's scopes. A wrong, revoked or expired secret, or one of a deactivated
//! user, is refused the same way (401): it tells nobody which it was.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::platform::tokens::{
    expiry, validate_new_token, ApiToken, NewToken, NewTokenInput, TokenScope, MAX_LIVE_TOKENS, SECRET_PREFIX, SHOWN_PREFIX_LEN,
};

use crate::accounts::passwords::{new_token, token_key};
use crate::events::Event;
use crate::state::AppState;
use crate::store::api_tokens::{self as store, TokenRecord, API_TOKEN};
use crate::store::ids::{new_id, record_id};

/// An API request's caller: the token's user (marked as acting via the API) and what the
/// token allows.
#[derive(Clone, Debug)]
pub struct Grant {
    pub caller: Caller,
    pub token_id: String,
    pub scopes: Vec<TokenScope>,
}

/// Makes a token for the caller; the answer carries the secret, which is not kept.
pub async fn create(state: &AppState, caller: &Caller, input: &NewTokenInput) -> AppResult<NewToken> {
    let input = validate_new_token(input, caller.user.role).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let live = store::of_user(&state.db, &caller.user.username).await?.iter().filter(|t| t.view().is_live(now)).count();
    if live >= MAX_LIVE_TOKENS {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::TooMany { max: MAX_LIVE_TOKENS })]));
    }
    let secret = format!("{SECRET_PREFIX}{}", new_token()?);
    let scopes: Vec<String> = input.scopes.iter().map(|s| s.as_str().to_string()).collect();
    let row = TokenRecord {
        id: new_id(API_TOKEN),
        user: caller.user.username.clone(),
        name: input.name.clone(),
        scopes: scopes.clone(),
        hash: token_key(&secret),
        prefix: secret.chars().take(SHOWN_PREFIX_LEN).collect(),
        created_at: now,
        expires_at: expiry(now, input.days),
        last_used_at: None,
        revoked_at: None,
    };
    let event = Event::by(caller, EventKind::ApiTokenCreated, now)
        .subject(&input.name)
        .change("scopes", "", scopes.join(","))
        .change("expires_at", "", row.expires_at.to_rfc3339());
    store::create(&state.db, row.clone(), &[event]).await?;
    Ok(NewToken { token: row.view(), secret })
}

/// The caller's own tokens, newest first.
pub async fn list(state: &AppState, caller: &Caller) -> AppResult<Vec<ApiToken>> {
    Ok(store::of_user(&state.db, &caller.user.username).await?.iter().map(TokenRecord::view).collect())
}

/// Revokes one of the caller's own tokens (it stops working at once); gives the list after.
pub async fn revoke(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<ApiToken>> {
    let rid = record_id(API_TOKEN, id).ok_or(AppError::NotFound)?;
    let token = store::get(&state.db, &rid).await?.filter(|t| t.user == caller.user.username).ok_or(AppError::NotFound)?;
    if token.revoked_at.is_none() {
        let now = state.clock.now();
        let event = Event::by(caller, EventKind::ApiTokenRevoked, now).subject(&token.name);
        store::revoke(&state.db, &rid, now, &[event]).await?;
        state.api.forget(id);
    }
    list(state, caller).await
}

/// The grant behind an `Authorization: Bearer` secret, counted against the token's rate
/// limit (`RateLimited` past it).
pub async fn grant(state: &AppState, secret: &str) -> AppResult<Grant> {
    let well_formed = secret
        .strip_prefix(SECRET_PREFIX)
        .is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()));
    if !well_formed {
        return Err(AppError::Unauthorized);
    }
    let record = store::by_hash(&state.db, &token_key(secret)).await?.ok_or(AppError::Unauthorized)?;
    let now = state.clock.now();
    let token = record.view();
    if !token.is_live(now) {
        return Err(AppError::Unauthorized);
    }
    let mut caller = state.users.caller(&record.user).ok_or(AppError::Unauthorized)?;
    caller.via_api = true;
    // As for a signed-in page: nothing until the read models are loaded.
    state.warmup.check()?;
    let admitted = state
        .api
        .admit(&token.id, now, state.policy.api_requests_per_minute)
        .map_err(|retry_after_secs| AppError::RateLimited { retry_after_secs })?;
    if admitted.write_last_use {
        if let Err(e) = store::touch(&state.db, &record.id, now).await {
            // Only the list's "last used" is late; the request goes on.
            tracing::warn!("noting the last use of API token {} failed: {e}", token.id);
        }
    }
    Ok(Grant { caller, token_id: token.id, scopes: token.scopes })
}
