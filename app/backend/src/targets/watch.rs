//! Target warnings and milestones as reminders, so the reminder center, the live badge and
//! the calendar feed carry them: from the configured day of a period, a person or team behind
//! pace by more than the threshold is told once, and each team's managers get one reminder
//! naming who is behind; a target reaching 50 / 90 / 100 % is announced once to its people.
//! Worked out with every reminder run (the daily catch-up) and after results or targets
//! change. Each reminder's key says what it is about, and the store keeps the first one
//! written under a key, so nothing is told twice.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use surrealdb::types::RecordId;

use kehu_domain::accounts::types::Role;
use kehu_domain::error::AppResult;
use kehu_domain::money::money_text;
use kehu_domain::reminders::announce::announce_at;
use kehu_domain::reminders::types::ReminderKind;
use kehu_domain::targets::org::Org;
use kehu_domain::targets::pace::milestones_crossed;
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::{Holder, Metric};

use super::org::org;
use super::progress::progress_of;
use crate::state::AppState;
use crate::store::reminders::{self as reminder_store, reminder_id, ReminderRecord};
use crate::store::targets::{self as store, StoredTarget};

/// Target reminders concern no customer; they name this one, which never exists.
pub fn no_customer() -> RecordId {
    RecordId::new(crate::store::customer_rows::CUSTOMER, "_targets")
}

fn metric_name(metric: Metric) -> &'static str {
    match metric {
        Metric::Signed => "签约额",
        Metric::Collected => "回款",
        Metric::NewCustomers => "新客户",
        Metric::FollowUps => "跟进次数",
        Metric::OrderRevenue => "订单收入",
    }
}

fn holder_name(org: &Org, holder: &Holder) -> String {
    match holder {
        Holder::Company => "公司".into(),
        h => org.name(h),
    }
}

fn reminder(key: String, owner: &str, subject: String, now: DateTime<Utc>) -> ReminderRecord {
    ReminderRecord {
        id: reminder_id(&key),
        kind: ReminderKind::Target.as_str().into(),
        customer: no_customer(),
        owner: owner.to_string(),
        subject,
        rule_due: now,
        due: now,
        moved_by: None,
        snoozed: false,
        status: "open".into(),
        created_at: now,
        announce_at: announce_at(now, now),
    }
}

/// The managers of a team (active).
fn managers_of(state: &AppState, team: &str) -> Vec<String> {
    state.users.all().into_iter().filter(|u| u.active && u.role == Role::Manager && u.team.as_deref() == Some(team)).map(|u| u.username).collect()
}

/// Who hears about a holder's milestone: the person; a team's people; a region's managers;
/// the company's admins.
fn audience(state: &AppState, org: &Org, holder: &Holder) -> Vec<String> {
    match holder {
        Holder::Person(p) => vec![p.clone()],
        Holder::Team(_) => org.members(holder),
        Holder::Region(r) => state.users.all().into_iter().filter(|u| u.active && u.role == Role::Manager && u.region == *r).map(|u| u.username).collect(),
        Holder::Company => state.users.all().into_iter().filter(|u| u.active && u.role == Role::Admin).map(|u| u.username).collect(),
    }
}

/// The periods running on `today`: its month, quarter and year.
fn running(today: NaiveDate) -> [Period; 3] {
    Period::around(today)
}

/// The reminders the targets call for on `today`, for the targets concerning `only` (all
/// with `None`).
async fn reminders(state: &AppState, only: Option<&[String]>) -> AppResult<Vec<ReminderRecord>> {
    let now = state.clock.now();
    let today = state.clock.today();
    let org = org(state).await?;
    let settings = store::settings(&state.db).await?;
    let periods = running(today);
    let targets: Vec<StoredTarget> = store::of_year(&state.db, today.year())
        .await?
        .into_iter()
        .filter(|t| periods.contains(&t.period) && t.amount > 0)
        .filter(|t| only.is_none_or(|people| org.members(&t.holder).iter().any(|m| people.contains(m))))
        .collect();
    let mut out = Vec::new();
    // Team → (metric, period) → people behind, for the managers' one reminder per team.
    let mut behind_in_team: BTreeMap<(String, Metric, Period), Vec<String>> = BTreeMap::new();
    for t in &targets {
        let row = progress_of(state, &org, t, today, &settings.warn);
        let about = format!("{}|{}|{}", t.metric.key(), t.holder.key(), t.period.key());
        let name = holder_name(&org, &t.holder);
        let figure = |v: i64| if t.metric.is_money() { money_text(v, "CNY") } else { v.to_string() };
        for m in milestones_crossed(-1.0, row.pace.actual_percent) {
            for person in audience(state, &org, &t.holder) {
                let subject = format!("{name} {} {}目标完成 {m}%（{} / {}）", t.period.key(), metric_name(t.metric), figure(row.pace.actual), figure(row.pace.target));
                out.push(reminder(format!("target:milestone:{m}:{about}:{person}"), &person, subject, now));
            }
        }
        if !row.behind {
            continue;
        }
        let subject = format!(
            "{name} {} {}落后进度：应完成 {}%，实际 {}%",
            t.period.key(),
            metric_name(t.metric),
            row.pace.expected_percent,
            row.pace.actual_percent
        );
        match &t.holder {
            Holder::Person(p) => {
                out.push(reminder(format!("target:behind:{about}:{p}"), p, subject, now));
                if let Some(team) = org.person(p).and_then(|x| x.team.clone()) {
                    behind_in_team.entry((team, t.metric, t.period)).or_default().push(name.clone());
                }
            }
            Holder::Team(team) => {
                for manager in managers_of(state, team) {
                    out.push(reminder(format!("target:behind:{about}:{manager}"), &manager, subject.clone(), now));
                }
            }
            // Regions and the company are steered through their teams and people.
            _ => {}
        }
    }
    for ((team, metric, period), people) in behind_in_team {
        let team_name = holder_name(&org, &Holder::Team(team.clone()));
        for manager in managers_of(state, &team) {
            let subject = format!("{team_name} {} {}落后进度：{}", period.key(), metric_name(metric), people.join("、"));
            out.push(reminder(format!("target:behind-team:{}|{team}|{}:{manager}", metric.key(), period.key()), &manager, subject, now));
        }
    }
    Ok(out)
}

async fn store_them(state: &AppState, fresh: Vec<ReminderRecord>) -> AppResult<usize> {
    let told: Vec<String> = fresh.iter().map(|r| r.owner.clone()).collect();
    let made = fresh.len();
    reminder_store::sync(&state.db, Vec::new(), fresh).await?;
    state.live.changed_for(told);
    Ok(made)
}

/// Every target's warnings and milestones (the reminder run).
pub async fn run(state: &AppState) -> AppResult<usize> {
    let fresh = reminders(state, None).await?;
    store_them(state, fresh).await
}

/// After `people`'s results or targets changed: the milestones and warnings of the targets
/// they count for. A failure is logged; the next reminder run repairs it.
pub async fn after_results(state: &AppState, people: &[String]) {
    if people.is_empty() {
        return;
    }
    let result = match reminders(state, Some(people)).await {
        Ok(fresh) => store_them(state, fresh).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        tracing::warn!("working out the target reminders of {people:?} failed: {e:?}");
    }
}
