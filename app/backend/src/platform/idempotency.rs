//! `Idempotency-Key` on API creates: the first request with a key runs and its answer is kept
//! for a day; a retry with the same key and the same request gets that answer again and
//! creates nothing; the same key with a different request is refused, as is a retry while
//! the first is still running. Keys are per token, so two programs cannot collide.
//!
//! The answer is stored after the create commits, not in its transaction (the services own
//! their transactions): a crash in between leaves the key "running" for a minute, after
//! which a retry runs again.

use chrono::Duration;
use kehu_domain::error::AppResult;
use surrealdb::types::RecordId;

use crate::accounts::passwords::token_key;
use crate::state::AppState;
use crate::store::idempotency_keys::{self as store, KeyRow, API_IDEMPOTENCY};

/// How long an answer is kept for retries.
pub const KEPT_FOR_HOURS: i64 = 24;
/// A key still "running" after this long is taken to be from a request that died.
const RUNNING_AT_MOST_SECS: i64 = 60;

/// What to do with a request that carries a key.
#[derive(Debug, PartialEq)]
pub enum Claim {
    /// The first with this key: run it, then [`answered`] (or [`release`] if it failed).
    Run,
    /// Answered before: give this answer again.
    Replay { status: u16, body: String, location: Option<String> },
    /// The key was used for a different request.
    Mismatch,
    /// The first request with this key is still running.
    Running,
}

fn id(token_id: &str, key: &str) -> RecordId {
    // The key is the client's text: hashed, so any characters are safe in a record id.
    RecordId::new(API_IDEMPOTENCY, format!("{token_id}_{}", &token_key(key)[..40]))
}

/// Whether a key is acceptable: 1–255 visible ASCII characters (what the header may carry).
pub fn valid_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// Claims `key` of `token_id` for a request with `fingerprint` (method, path and body hash).
pub async fn claim(state: &AppState, token_id: &str, key: &str, fingerprint: &str) -> AppResult<Claim> {
    let rid = id(token_id, key);
    let now = state.clock.now();
    let existing = store::get(&state.db, &rid).await?;
    let stale_at = match existing {
        None => None,
        Some(row) if now - row.at >= Duration::hours(KEPT_FOR_HOURS) => Some(row.at),
        Some(row) if row.fingerprint != fingerprint => return Ok(Claim::Mismatch),
        Some(row) if row.status != 0 => {
            return Ok(Claim::Replay { status: row.status as u16, body: row.body, location: row.location })
        }
        Some(row) if now - row.at < Duration::seconds(RUNNING_AT_MOST_SECS) => return Ok(Claim::Running),
        Some(row) => Some(row.at),
    };
    let row = KeyRow { fingerprint: fingerprint.to_string(), status: 0, body: String::new(), location: None, at: now };
    // Of two requests racing for the same key, one creates (or takes over the stale claim,
    // compared by its time) and the other finds the key running.
    let taken = match stale_at {
        None => store::create(&state.db, &rid, row).await?,
        Some(at) => store::take_over(&state.db, &rid, at, row).await?,
    };
    Ok(if taken { Claim::Run } else { Claim::Running })
}

/// Keeps the answer given to the request that claimed `key`.
pub async fn answered(state: &AppState, token_id: &str, key: &str, status: u16, body: &str, location: Option<String>) -> AppResult<()> {
    Ok(store::answer(&state.db, &id(token_id, key), i64::from(status), body.to_string(), location).await?)
}

/// Lets `key` go after a request that failed on the server's side, so a retry runs again.
pub async fn release(state: &AppState, token_id: &str, key: &str) -> AppResult<()> {
    Ok(store::remove(&state.db, &id(token_id, key)).await?)
}

/// Forgets answers older than a day.
pub async fn prune(state: &AppState) -> AppResult<()> {
    Ok(store::remove_before(&state.db, state.clock.now() - Duration::hours(KEPT_FOR_HOURS)).await?)
}
