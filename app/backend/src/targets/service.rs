//! Setting targets and cascading them (拆解), the targets grid with its sums check, and the
//! performance settings. Every written target is an event in the same transaction, and its
//! earlier values stay in its history.

use std::collections::HashMap;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError};
use kehu_domain::money::amount_plain;
use kehu_domain::problem::Problem;
use kehu_domain::targets::cascade::{gap, months_into_quarters, split, year_into_months, Shape};
use kehu_domain::targets::org::Org;
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::{Holder, Metric};
use kehu_domain::targets::view::{
    validate_settings, validate_target, CascadeInput, PerformanceSettings, SettingsInput, TargetInput, TargetRow, TargetsPage,
};

use super::org::org;
use crate::access::{self, Need};
use crate::events::Event;
use crate::state::AppState;
use crate::store::targets::{self as store, StoredTarget, TargetWrite};

/// The years a target may be set for: around today.
fn check_year(state: &AppState, year: i32) -> AppResult<()> {
    let this = chrono::Datelike::year(&state.clock.today());
    if (this - 5..=this + 5).contains(&year) {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new("period", Problem::OutOfRange { min: i64::from(this - 5), max: i64::from(this + 5) })]))
    }
}

/// Whether the holder names someone or something that exists.
fn exists(org: &Org, holder: &Holder) -> bool {
    match holder {
        Holder::Company => true,
        Holder::Region(r) => org.regions.contains(r),
        Holder::Team(t) => org.teams.contains_key(t),
        Holder::Person(p) => org.person(p).is_some(),
    }
}

/// An amount as the audit log shows it: yuan for money, a count otherwise.
fn shown(metric: Metric, amount: Option<i64>) -> String {
    match amount {
        None => String::new(),
        Some(a) if metric.is_money() => amount_plain(a),
        Some(a) => a.to_string(),
    }
}

/// The events for `writes`, each saying what the target was and became.
fn events(state: &AppState, caller: &Caller, org: &Org, writes: &[TargetWrite], before: &HashMap<(Holder, Period), i64>) -> Vec<Event> {
    writes
        .iter()
        .map(|w| {
            let name = match &w.holder {
                Holder::Company => "公司".to_string(),
                h => org.name(h),
            };
            Event::by(caller, EventKind::TargetSet, state.clock.now())
                .subject(&format!("{name} {}", w.period.key()))
                .change(&format!("{}:{}", w.metric.key(), w.holder.key()), shown(w.metric, before.get(&(w.holder.clone(), w.period)).copied()), shown(w.metric, Some(w.amount)))
        })
        .collect()
}

async fn current(state: &AppState, year: i32, metric: Metric) -> AppResult<HashMap<(Holder, Period), StoredTarget>> {
    Ok(store::of_year(&state.db, year).await?.into_iter().filter(|t| t.metric == metric).map(|t| ((t.holder.clone(), t.period), t)).collect())
}

async fn write(state: &AppState, caller: &Caller, org: &Org, metric: Metric, year: i32, writes: Vec<TargetWrite>) -> AppResult<()> {
    let before: HashMap<(Holder, Period), i64> = current(state, year, metric).await?.into_iter().map(|(k, t)| (k, t.amount)).collect();
    // Unchanged values are not written again (no event, no history entry).
    let writes: Vec<TargetWrite> = writes.into_iter().filter(|w| before.get(&(w.holder.clone(), w.period)) != Some(&w.amount)).collect();
    let events = events(state, caller, org, &writes, &before);
    store::set(&state.db, &writes, &caller.user.username, state.clock.now(), &events).await?;
    let people: Vec<String> = writes.iter().flat_map(|w| org.members(&w.holder)).collect();
    super::watch::after_results(state, &people).await;
    Ok(())
}

/// Sets one target.
pub async fn set(state: &AppState, caller: &Caller, input: &TargetInput) -> AppResult<TargetsPage> {
    let valid = validate_target(input).map_err(AppError::Invalid)?;
    check_year(state, valid.period.year())?;
    let org = org(state).await?;
    if !exists(&org, &valid.holder) {
        return Err(AppError::Invalid(vec![FieldError::new("holder", Problem::UnknownChoice)]));
    }
    access::target(&org, caller, &valid.holder, Need::Change)?;
    let since = state.clock.today();
    let write_one = TargetWrite { metric: valid.metric, holder: valid.holder, period: valid.period, amount: valid.amount, since };
    write(state, caller, &org, valid.metric, valid.period.year(), vec![write_one]).await?;
    page(state, caller, valid.period.year(), valid.metric.key()).await
}

/// Splits a holder's year target into its quarters and months and/or among its children,
/// evenly or in the shape of last year's results.
pub async fn cascade(state: &AppState, caller: &Caller, input: &CascadeInput) -> AppResult<TargetsPage> {
    let metric = Metric::from_key(&input.metric).ok_or_else(|| AppError::Invalid(vec![FieldError::new("metric", Problem::UnknownChoice)]))?;
    let holder = Holder::from_key(&input.holder).ok_or_else(|| AppError::Invalid(vec![FieldError::new("holder", Problem::UnknownChoice)]))?;
    check_year(state, input.year)?;
    let org = org(state).await?;
    if !exists(&org, &holder) {
        return Err(AppError::Invalid(vec![FieldError::new("holder", Problem::UnknownChoice)]));
    }
    // Rights first, so nobody learns from the answer whether a holder has a target.
    access::target(&org, caller, &holder, Need::Change)?;
    if !input.into_months && !input.into_children {
        return Err(AppError::Invalid(vec![FieldError::new("cascade", Problem::Required)]));
    }
    let year = Period::Year(input.year);
    let targets = current(state, input.year, metric).await?;
    let Some(amount) = targets.get(&(holder.clone(), year)).map(|t| t.amount) else {
        return Err(AppError::Invalid(vec![FieldError::new("year", Problem::Required)]));
    };
    let children = if input.into_children { org.children(&holder) } else { Vec::new() };
    if input.into_children && children.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("cascade", Problem::UnknownChoice)]));
    }
    // Every child written to must be the caller's to set too.
    for child in &children {
        access::target(&org, caller, child, Need::Change)?;
    }
    let last_year = |h: &Holder| -> [i64; 12] {
        if input.by_last_year { state.performance.months_of(&org.members(h), input.year - 1, metric) } else { [1; 12] }
    };
    let since = state.clock.today();
    let mut writes = Vec::new();
    let months_of = |h: &Holder, amount: i64, writes: &mut Vec<TargetWrite>| {
        let months = year_into_months(amount, &Shape::Seasonal(last_year(h)));
        for (i, q) in months_into_quarters(&months).into_iter().enumerate() {
            writes.push(TargetWrite { metric, holder: h.clone(), period: Period::Quarter(input.year, i as u32 + 1), amount: q, since });
        }
        for (i, m) in months.into_iter().enumerate() {
            writes.push(TargetWrite { metric, holder: h.clone(), period: Period::Month(input.year, i as u32 + 1), amount: m, since });
        }
    };
    if input.into_months {
        months_of(&holder, amount, &mut writes);
    }
    if !children.is_empty() {
        let weights: Vec<i64> = children.iter().map(|c| if input.by_last_year { last_year(c).iter().sum() } else { 1 }).collect();
        for (child, part) in children.iter().zip(split(amount, &weights)) {
            writes.push(TargetWrite { metric, holder: child.clone(), period: year, amount: part, since });
            if input.into_months {
                months_of(child, part, &mut writes);
            }
        }
    }
    write(state, caller, &org, metric, input.year, writes).await?;
    page(state, caller, input.year, metric.key()).await
}

/// The grid for a year and metric: the holders the caller may see, parents first.
pub async fn page(state: &AppState, caller: &Caller, year: i32, metric: &str) -> AppResult<TargetsPage> {
    if !caller.sees_money() {
        return Err(AppError::Forbidden);
    }
    check_year(state, year)?;
    let metric = Metric::from_key(metric).unwrap_or(Metric::Signed);
    let org = org(state).await?;
    let targets = current(state, year, metric).await?;
    let amount = |h: &Holder, p: Period| targets.get(&(h.clone(), p)).map(|t| t.amount);
    let rows = org
        .tree()
        .into_iter()
        .filter(|(h, _)| org.may_see(&caller.user, h))
        .map(|(holder, depth)| {
            let year_amount = amount(&holder, Period::Year(year));
            let quarters: Vec<Option<i64>> = (1..=4).map(|q| amount(&holder, Period::Quarter(year, q))).collect();
            let months: Vec<Option<i64>> = (1..=12).map(|m| amount(&holder, Period::Month(year, m))).collect();
            let sum_gap = |parts: &[Option<i64>]| {
                let set: Vec<i64> = parts.iter().flatten().copied().collect();
                year_amount.filter(|_| !set.is_empty()).map(|y| gap(y, &set))
            };
            let children: Vec<i64> = org.children(&holder).iter().filter_map(|c| amount(c, Period::Year(year))).collect();
            TargetRow {
                name: if holder == Holder::Company { String::new() } else { org.name(&holder) },
                may_set: org.may_set(&caller.user, &holder),
                depth: depth.min(9) as u8,
                months_gap: sum_gap(&months),
                quarters_gap: sum_gap(&quarters),
                children_gap: year_amount.filter(|_| !children.is_empty()).map(|y| gap(y, &children)),
                history: targets.get(&(holder.clone(), Period::Year(year))).map(|t| t.history.iter().map(|c| (c.from, c.amount)).collect()).unwrap_or_default(),
                holder: holder.key(),
                year: year_amount,
                quarters,
                months,
            }
        })
        .collect();
    Ok(TargetsPage { year, metric, rows })
}

pub async fn settings(state: &AppState) -> AppResult<PerformanceSettings> {
    Ok(store::settings(&state.db).await?)
}

/// Admins set the score's weights, when warnings start, and the silence.
pub async fn save_settings(state: &AppState, caller: &Caller, input: &SettingsInput) -> AppResult<PerformanceSettings> {
    access::admin(caller)?;
    let valid = validate_settings(input).map_err(AppError::Invalid)?;
    let before = store::settings(&state.db).await?;
    let text = |s: &PerformanceSettings| {
        let weights: Vec<String> = s.weights.iter().map(|w| format!("{} {}%", w.metric.key(), w.percent)).collect();
        format!("{}; warn from day {} at {} points; silence {} days", weights.join(", "), s.warn.from_day, s.warn.behind_points, s.silence_days)
    };
    let event = Event::by(caller, EventKind::PerformanceSettingsSaved, state.clock.now()).change("settings", text(&before), text(&valid));
    store::save_settings(&state.db, &valid, state.clock.now(), &[event]).await?;
    Ok(valid)
}
