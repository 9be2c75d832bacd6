//! The performance page: progress of each target the caller may see (actual against the
//! target on the pace line, and the chance of making it), the leaderboard of their people
//! with the weighted score, and its export.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::targets::board::{leaderboard, LeaderRow, Tally};
use kehu_domain::insight::forecast::OpenDeal;
use kehu_domain::targets::chance::{chance, Chance, ExpectedRepeat};
use kehu_domain::targets::org::Org;
use kehu_domain::targets::pace::{pace, should_warn, target_on};
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::{Holder, Metric};
use kehu_domain::targets::view::{PerformancePage, ProgressRow};

use super::org::org;
use crate::state::AppState;
use crate::store::targets::{self as store, StoredTarget};

/// The period a page asks for, or the current month.
pub fn period_or_month(state: &AppState, key: &str) -> Period {
    let today = state.clock.today();
    Period::from_key(key).unwrap_or(Period::Month(chrono::Datelike::year(&today), chrono::Datelike::month(&today)))
}

/// What `people` did in the period up to `today` (the whole period once it is over).
pub fn tally_of(state: &AppState, people: &[String], period: Period, today: NaiveDate) -> Tally {
    let mut sum = Tally::default();
    let to = period.end().min(today);
    if to < period.start() {
        return sum;
    }
    for person in people {
        sum.add(&state.performance.tally(person, period.start(), to));
    }
    sum
}

/// The open deals of `people` and the repeat orders their customers are expected to place,
/// for the chance of a money metric; `None` for the counts.
fn outlook(state: &AppState, metric: Metric, people: &HashSet<&str>, period: Period, today: NaiveDate) -> Option<(Vec<OpenDeal>, Vec<ExpectedRepeat>)> {
    match metric {
        Metric::Signed => Some((state.deals.weighted_open(&state.policy.pipeline, |d| people.contains(d.owner.as_str())), Vec::new())),
        Metric::OrderRevenue => {
            let Some(run) = state.insight.latest() else { return Some((Vec::new(), Vec::new())) };
            let left = (period.end() - today).num_days().max(0) as f64;
            let rows = state.directory.rows();
            let repeats = rows
                .live()
                .filter(|(row, _)| people.contains(row.owner.as_str()))
                .filter_map(|(row, _)| run.scores.get(&row.id))
                .filter_map(|s| {
                    let (e30, e90) = (s.expected_30?, s.expected_90?);
                    // Expected purchases in the days left, read off the 30- and 90-day figures.
                    let purchases = if left <= 30.0 { e30 * left / 30.0 } else if left <= 90.0 { e30 + (e90 - e30) * (left - 30.0) / 60.0 } else { e90 * left / 90.0 };
                    (purchases > 0.0).then_some(ExpectedRepeat { purchases, avg_order: s.avg_order_cents })
                })
                .collect();
            Some((Vec::new(), repeats))
        }
        _ => None,
    }
}

/// One target's progress.
pub fn progress_of(state: &AppState, org: &Org, t: &StoredTarget, today: NaiveDate, warn: &kehu_domain::targets::pace::WarnRule) -> ProgressRow {
    let members = org.members(&t.holder);
    let actual = tally_of(state, &members, t.period, today).value(t.metric);
    let target = target_on(&t.history, today.min(t.period.end())).unwrap_or(t.amount);
    let p = pace(t.period, target, actual, today);
    let people: HashSet<&str> = members.iter().map(String::as_str).collect();
    let chance: Option<Chance> = if today <= t.period.end() {
        outlook(state, t.metric, &people, t.period, today).map(|(deals, repeats)| chance(t.period, today, target, actual, &deals, &repeats))
    } else {
        None
    };
    ProgressRow {
        name: if t.holder == Holder::Company { String::new() } else { org.name(&t.holder) },
        holder: t.holder.key(),
        metric: t.metric,
        behind: should_warn(t.period, &p, today, warn),
        pace: p,
        chance,
    }
}

/// The leaderboard of `people` for the period, scored against their own targets.
pub fn board(state: &AppState, org: &Org, people: &[String], period: Period, today: NaiveDate, targets: &[StoredTarget], weights: &[kehu_domain::targets::score::Weight]) -> Vec<LeaderRow> {
    let mine: HashMap<(String, Metric), i64> = targets
        .iter()
        .filter(|t| t.period == period)
        .filter_map(|t| match &t.holder {
            Holder::Person(p) => Some(((p.clone(), t.metric), target_on(&t.history, today.min(period.end())).unwrap_or(t.amount))),
            _ => None,
        })
        .collect();
    let rows = people
        .iter()
        .map(|p| (p.clone(), org.name(&Holder::Person(p.clone())), tally_of(state, std::slice::from_ref(p), period, today)))
        .collect();
    leaderboard(rows, weights, |person, metric| mine.get(&(person.to_string(), metric)).copied())
}

pub async fn page(state: &AppState, caller: &Caller, period: &str) -> AppResult<PerformancePage> {
    if !caller.sees_money() {
        return Err(AppError::Forbidden);
    }
    let period = period_or_month(state, period);
    let today = state.clock.today();
    let org = org(state).await?;
    let settings = store::settings(&state.db).await?;
    let targets = store::of_year(&state.db, period.year()).await?;
    let tree: Vec<Holder> = org.tree().into_iter().map(|(h, _)| h).collect();
    let order = |h: &Holder| tree.iter().position(|x| x == h).unwrap_or(usize::MAX);
    let mut shown: Vec<&StoredTarget> = targets.iter().filter(|t| t.period == period && org.may_see(&caller.user, &t.holder)).collect();
    shown.sort_by_key(|t| (order(&t.holder), t.metric));
    let progress = shown.into_iter().map(|t| progress_of(state, &org, t, today, &settings.warn)).collect();
    let people = org.board_people(&caller.user);
    let board = board(state, &org, &people, period, today, &targets, &settings.weights);
    Ok(PerformancePage { period: period.key(), today, progress, board, may_edit_settings: caller.is_admin(), settings })
}
