//! Competitors for a signed-in caller: everyone sees the list, admins and managers keep it;
//! the report counts the competitors named in follow-ups and deals of the last twelve months,
//! over the customers the caller may see.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::insight::competitor_report;
use kehu_domain::insight::competitors::{validate_competitor, Competitor, CompetitorInput, CompetitorReport};

use super::competitor_mentions;
use crate::access;
use crate::events::Event;
use crate::state::AppState;
use crate::store::competitors::{self as store, CompetitorRecord, COMPETITOR};
use crate::store::ids::{new_id, record_id};

pub async fn list(state: &AppState) -> AppResult<Vec<Competitor>> {
    Ok(store::all(&state.db).await?)
}

pub async fn add(state: &AppState, caller: &Caller, input: &CompetitorInput) -> AppResult<Vec<Competitor>> {
    access::manager(caller)?;
    let (name, aliases) = validate_competitor(input).map_err(AppError::Invalid)?;
    if list(state).await?.iter().any(|c| c.name.to_lowercase() == name.to_lowercase()) {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::Duplicate)]));
    }
    let event = Event::by(caller, EventKind::CompetitorAdded, state.clock.now()).subject(&name).change("aliases", "", aliases.join("、"));
    let row = CompetitorRecord { id: new_id(COMPETITOR), name, aliases, created_at: state.clock.now() };
    store::insert(&state.db, row, &[event]).await?;
    list(state).await
}

pub async fn remove(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<Competitor>> {
    access::manager(caller)?;
    let rid = record_id(COMPETITOR, id).ok_or(AppError::NotFound)?;
    let name = list(state).await?.into_iter().find(|c| c.id == id).map(|c| c.name).ok_or(AppError::NotFound)?;
    let event = Event::by(caller, EventKind::CompetitorRemoved, state.clock.now()).subject(&name);
    if !store::remove(&state.db, &rid, &[event]).await? {
        return Err(AppError::NotFound);
    }
    list(state).await
}

/// The report over the customers the caller may see, counted from the mentions kept between
/// requests (`competitor_mentions`): no follow-up is read here.
pub async fn report(state: &AppState, caller: &Caller) -> AppResult<CompetitorReport> {
    let (competitors, book) = competitor_mentions::current(state).await?;
    let rows = state.directory.rows();
    let seen = book.customers().filter_map(|(id, mentions)| {
        let row = rows.get_live(id).filter(|r| access::sees(caller, &r.owner, &r.region))?;
        Some((row.id.as_str(), row.name.as_str(), mentions))
    });
    Ok(competitor_report::report(competitors, seen, state.clock.now().date_naive()))
}
