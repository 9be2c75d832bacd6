//! Activity transparency: the heatmap of follow-ups (weekday × hour, and by day) of a person,
//! team, region or the company; each person's habits next to the best quarter's ("高绩效销售
//! 平均每周跟进客户 8 次", computed); and who has logged nothing for a while.

use chrono::{Datelike, NaiveDate};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::Role;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::service::calendar::WorkCalendar;
use kehu_domain::targets::board::{habits, top_quartile};
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::Holder;
use kehu_domain::targets::view::{ActivityPage, HabitRow, SilentRow};

use super::org::org;
use super::progress::board;
use crate::access::{self, Need};
use crate::state::AppState;
use crate::store::{service_settings, targets as store};

/// Working days after `last` up to `today` (all of the last `cap` when there is none).
fn working_days_since(calendar: &WorkCalendar, last: Option<NaiveDate>, today: NaiveDate, cap: u32) -> u32 {
    let mut day = today;
    let mut count = 0;
    while count < cap && Some(day) != last {
        if calendar.is_working_day(day) {
            count += 1;
        }
        match day.pred_opt() {
            Some(d) if last.is_none_or(|l| d >= l) => day = d,
            _ => break,
        }
    }
    count
}

/// The holder a caller sees first: their team (a manager), themselves (a rep), the company.
fn default_holder(caller: &Caller) -> Holder {
    match (caller.user.role, &caller.user.team) {
        (Role::Admin, _) => Holder::Company,
        (Role::Manager, Some(team)) => Holder::Team(team.clone()),
        _ => Holder::Person(caller.user.username.clone()),
    }
}

pub async fn page(state: &AppState, caller: &Caller, holder: &str, period: &str) -> AppResult<ActivityPage> {
    if !caller.sees_money() {
        return Err(AppError::Forbidden);
    }
    let org = org(state).await?;
    let holder = Holder::from_key(holder).unwrap_or_else(|| default_holder(caller));
    access::target(&org, caller, &holder, Need::See)?;
    let today = state.clock.today();
    let period = Period::from_key(period).unwrap_or(Period::Quarter(today.year(), (today.month() - 1) / 3 + 1));
    let to = period.end().min(today);
    let members = org.members(&holder);
    let heatmap = if to >= period.start() { state.performance.heatmap(&members, period.start(), to) } else { Default::default() };
    let settings = store::settings(&state.db).await?;
    let targets = store::of_year(&state.db, period.year()).await?;
    let rows = board(state, &org, &members, period, today, &targets, &settings.weights);
    let weeks = ((to - period.start()).num_days() + 1).max(1) as f64 / 7.0;
    let top = top_quartile(&rows, weeks);
    let people = rows.iter().map(|r| HabitRow { username: r.username.clone(), name: r.name.clone(), habits: habits(&r.tally, weeks) }).collect();
    let calendar = service_settings::current(&state.db).await?.calendar;
    let mut silent: Vec<SilentRow> = members
        .iter()
        .filter(|u| org.person(u).is_some_and(|p| p.active))
        .filter_map(|u| {
            let last = state.performance.last_follow_up(u, today);
            let days = working_days_since(&calendar, last, today, settings.silence_days + 1);
            (days >= settings.silence_days).then(|| SilentRow { username: u.clone(), name: org.name(&Holder::Person(u.clone())), last, working_days: days })
        })
        .collect();
    silent.sort_by_key(|s| s.last);
    let holders = org.visible(&caller.user).into_iter().map(|h| (h.key(), org.name(&h))).collect();
    Ok(ActivityPage { holder: holder.key(), holders, period: period.key(), heatmap, top, people, silent, silence_days: settings.silence_days })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_counts_working_days_only() {
        let calendar = WorkCalendar::default();
        let day = |d: u32| NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
        // Friday 5 March to Wednesday 10 March: Mon, Tue, Wed.
        assert_eq!(working_days_since(&calendar, Some(day(5)), day(10), 99), 3);
        assert_eq!(working_days_since(&calendar, Some(day(10)), day(10), 99), 0);
        assert_eq!(working_days_since(&calendar, None, day(10), 6), 6);
    }
}
