//! The board (看板) and the funnel report (漏斗): read from the deal book and the deals'
//! stage moves, over the customers the caller may see.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::check::parse_day;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::pipeline::rules::{alerts, conversion};
use kehu_domain::pipeline::types::*;

use super::deals::pipeline;
use crate::access;
use crate::readmodel::deal_book::BoardFilter;
use crate::state::AppState;
use crate::store::deals as store;
use crate::store::ids::{date_to_datetime, key_of};

/// The board for the caller, filtered.
pub async fn board(state: &AppState, caller: &Caller, query: &BoardQuery) -> AppResult<Board> {
    crate::access::money(caller)?;
    let everyone = state.users.all();
    let mut owners_filter: Option<Vec<String>> = None;
    if !query.owner.is_empty() {
        owners_filter = Some(vec![query.owner.clone()]);
    }
    if !query.team.is_empty() {
        let members: Vec<String> =
            everyone.iter().filter(|u| u.team.as_deref() == Some(query.team.as_str())).map(|u| u.username.clone()).collect();
        owners_filter = Some(match owners_filter {
            Some(one) => one.into_iter().filter(|o| members.contains(o)).collect(),
            None => members,
        });
    }
    let close_month = if query.close_month.is_empty() {
        None
    } else {
        let parsed = NaiveDate::parse_from_str(&format!("{}-01", query.close_month), "%Y-%m-%d")
            .map_err(|_| AppError::Invalid(vec![FieldError::new("close_month", Problem::InvalidDate)]))?;
        Some((parsed.year(), parsed.month()))
    };
    let filter = BoardFilter { scope: &caller.scope, owners: owners_filter, close_month };
    let p = pipeline(state).clone();
    let mut columns = state.deals.board(&p, &state.directory, &filter);
    for card in columns.iter_mut().flat_map(|c| c.cards.iter_mut()) {
        card.owner_name = state.users.display_name(&card.owner);
    }
    let visible_users: Vec<_> = everyone.into_iter().filter(|u| caller.scope.covers_user(&u.username)).collect();
    let owners = visible_users.iter().map(|u| (u.username.clone(), u.display_name.clone())).collect();
    let teams = crate::accounts::users::teams(state)
        .await?
        .into_iter()
        .filter(|t| visible_users.iter().any(|u| u.team.as_deref() == Some(t.id.as_str())))
        .map(|t| (t.id, t.name))
        .collect();
    Ok(Board { pipeline: p, columns, owners, teams })
}

/// Conversion over `[from, to]` (whole days, `YYYY-MM-DD`) for the deals the caller may see,
/// with alerts for everyone in view and, for a manager or admin, for each rep.
pub async fn funnel(state: &AppState, caller: &Caller, from: &str, to: &str) -> AppResult<FunnelReport> {
    crate::access::money(caller)?;
    let from = parse_day(from).map_err(|p| AppError::Invalid(vec![FieldError::new("from", p)]))?;
    let to = parse_day(to).map_err(|p| AppError::Invalid(vec![FieldError::new("to", p)]))?;
    if to < from {
        return Err(AppError::Invalid(vec![FieldError::new("to", Problem::EndBeforeStart)]));
    }
    if to - from > Duration::days(366 * 5) {
        return Err(AppError::Invalid(vec![FieldError::new("from", Problem::DateTooOld)]));
    }
    let start: DateTime<Utc> = date_to_datetime(from);
    let end: DateTime<Utc> = date_to_datetime(to) + Duration::days(1);
    let p = pipeline(state).clone();
    // Each moved deal's owner, for the deals whose customer the caller may see.
    let mut owner_of_deal: std::collections::HashMap<String, String> = Default::default();
    let mut moves: Vec<StageMove> = Vec::new();
    let moved = store::moves_since(&state.db, start).await?;
    {
        let rows = state.directory.rows();
        for (customer, record) in moved {
            let Some(row) = rows.get(&key_of(&customer)) else { continue };
            if !access::sees(caller, &row.owner, &row.region) {
                continue;
            }
            owner_of_deal.insert(key_of(&record.deal), row.owner.clone());
            moves.push(record.into_move());
        }
    }
    let (stages, started, won) = conversion(&p, &moves, start, end);
    let mut found = alerts(&p, "", &stages, started, won);
    if caller.can_assign() {
        let mut owners: Vec<&String> = owner_of_deal.values().filter(|o| !o.is_empty()).collect();
        owners.sort();
        owners.dedup();
        for owner in owners {
            let theirs: Vec<StageMove> = moves.iter().filter(|m| owner_of_deal.get(&m.deal) == Some(owner)).cloned().collect();
            let (s, st, w) = conversion(&p, &theirs, start, end);
            found.extend(alerts(&p, owner, &s, st, w));
        }
    }
    for alert in &mut found {
        alert.owner_name = if alert.owner.is_empty() { String::new() } else { state.users.display_name(&alert.owner) };
    }
    let mut collection: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    {
        let rows = store::collection(&state.db).await?;
        let dir = state.directory.rows();
        for (customer, contracted, received) in rows {
            let Some(row) = dir.get(&key_of(&customer)) else { continue };
            if !access::sees(caller, &row.owner, &row.region) {
                continue;
            }
            let e = collection.entry(row.owner.clone()).or_default();
            e.0 += received;
            e.1 += contracted;
        }
    }
    let collection = collection
        .into_iter()
        .map(|(owner, (received, contracted))| (state.users.display_name(&owner), received, contracted))
        .collect();
    Ok(FunnelReport { pipeline: p, from, to, stages, started, won, alerts: found, collection })
}
