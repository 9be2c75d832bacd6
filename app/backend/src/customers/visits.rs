//! A day's visits (外勤): a manager sees the visits their team logged that day (where they
//! checked in, on a map), an admin everyone's, a rep their own.

use chrono::NaiveDate;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::visits::{day_bounds, DayVisits, VisitLine};
use kehu_domain::error::AppResult;

use crate::state::AppState;
use crate::store::customers as store;
use crate::store::ids::key_of;

pub async fn of_day(state: &AppState, caller: &Caller, day: NaiveDate) -> AppResult<DayVisits> {
    let (from, to) = day_bounds(day, state.policy.offset);
    let logged = store::visits_between(&state.db, from, to).await?;
    let me = caller.user.username.as_str();
    let visits = logged
        .into_iter()
        .filter_map(|record| {
            // Logged by someone this caller answers for (Kehu's own notes are never visits).
            let by = record.by.clone()?;
            if !(by == me || caller.is_admin() || (caller.can_assign() && caller.scope.covers_user(&by))) {
                return None;
            }
            let customer_id = key_of(&record.customer);
            let customer_name = state.directory.row(&customer_id).map(|r| r.name).unwrap_or_default();
            let touchpoint = record.into_touchpoint();
            Some(VisitLine {
                at: touchpoint.at,
                by_name: state.users.display_name(&by),
                by,
                customer_id,
                customer_name,
                summary: touchpoint.summary,
                position: touchpoint.position,
            })
        })
        .collect();
    Ok(DayVisits { day: Some(day), visits })
}
