//! What the customer feature offers the others: moving a customer along its lifecycle (a
//! deal started or won moves it) and the notes Kehu writes on a timeline in its own words
//! (pool moves, merges, a deal's end), which other features write inside their own changes.

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::{LifecycleStage, TouchpointKind};
use kehu_domain::customers::validate::ValidTouchpoint;
use kehu_domain::error::{AppError, AppResult};

use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::{TouchpointRecord, TOUCHPOINT};
use crate::store::customers as store;
use crate::store::ids::new_id;

/// Moves a customer to `stage` on behalf of `actor`, as an edit the log shows. Does nothing
/// if it is already there. True if it moved (and so its reminders were worked out again).
pub async fn set_stage(state: &AppState, actor: &str, rid: &RecordId, stage: LifecycleStage) -> AppResult<bool> {
    let Some(current) = store::get_customer(&state.db, rid).await? else { return Err(AppError::NotFound) };
    if current.stage == stage {
        return Ok(false);
    }
    let now = state.clock.now();
    let event = Event::new(EventKind::CustomerUpdated, actor, now)
        .about(&current.id, &current.name)
        .change("stage", current.stage.as_str(), stage.as_str());
    let updated = store::set_stage(&state.db, rid, stage.as_str(), now, &[event]).await?.ok_or(AppError::NotFound)?;
    follow(state, vec![Effect::Customer(updated)]).await;
    Ok(true)
}

/// A note on the customer's timeline in Kehu's words, signed by `author`, to be written in
/// the transaction of the change it tells of. It is not contact with the customer: the
/// last-contact time stays.
pub fn note(customer: &RecordId, author: &str, summary: String, at: DateTime<Utc>) -> TouchpointRecord {
    let valid = ValidTouchpoint { author: author.to_string(), summary, next_step: String::new(), next_step_on: None, position: None };
    TouchpointRecord::from_valid(new_id(TOUCHPOINT), customer.clone(), TouchpointKind::Note, &valid, at, at)
}
