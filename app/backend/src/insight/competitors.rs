//! Competitors for a signed-in caller: everyone sees the list, admins and managers keep it;
//! the report reads follow-ups of the last twelve months and every deal, over the customers
//! the caller may see.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Months, Utc};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::insight::competitors::{validate_competitor, Competitor, CompetitorInput, CompetitorReport, CompetitorStats, Matcher};

use crate::access;
use crate::events::Event;
use crate::state::AppState;
use crate::store::competitors::{self as store, CompetitorRecord, COMPETITOR};
use crate::store::ids::{key_of, new_id, record_id};

/// Customers named per competitor in the report.
const SOME_CUSTOMERS: usize = 10;

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

pub async fn report(state: &AppState, caller: &Caller) -> AppResult<CompetitorReport> {
    let competitors = list(state).await?;
    let matcher = Matcher::new(&competitors);
    let now = state.clock.now();
    let first_month = now.date_naive().with_day(1).and_then(|d| d.checked_sub_months(Months::new(11))).unwrap_or(now.date_naive());
    let since = first_month.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now);
    let (notes, deals) = store::mentions_since(&state.db, since).await?;
    // Only the caller's customers count, with their names for the report.
    let names: HashMap<String, String> = {
        let rows = state.directory.rows();
        rows.live().filter(|(r, _)| access::sees(caller, &r.owner, &r.region)).map(|(r, _)| (r.id.clone(), r.name.clone())).collect()
    };
    let months: Vec<String> = (0..12).filter_map(|i| first_month.checked_add_months(Months::new(i))).map(|d| d.format("%Y-%m").to_string()).collect();
    let mut by_month: BTreeMap<String, Vec<u32>> = months.iter().map(|m| (m.clone(), vec![0; competitors.len()])).collect();
    let mut stats: Vec<CompetitorStats> = competitors.iter().map(|c| CompetitorStats { name: c.name.clone(), ..Default::default() }).collect();
    let mut who: Vec<HashSet<String>> = vec![HashSet::new(); competitors.len()];
    let mut mention = |i: usize, customer: &str, at: DateTime<Utc>, stats: &mut Vec<CompetitorStats>| {
        stats[i].mentions += 1;
        who[i].insert(customer.to_string());
        if let Some(counts) = by_month.get_mut(&at.format("%Y-%m").to_string()) {
            counts[i] += 1;
        }
    };
    for n in &notes {
        let customer = key_of(&n.customer);
        if !names.contains_key(&customer) {
            continue;
        }
        for i in matcher.mentions(&format!("{}\n{}", n.summary, n.next_step)) {
            mention(i, &customer, n.at, &mut stats);
        }
    }
    for d in &deals {
        let customer = key_of(&d.customer);
        if !names.contains_key(&customer) {
            continue;
        }
        for i in matcher.mentions(&format!("{}\n{}\n{}", d.title, d.competitor, d.lost_reason)) {
            mention(i, &customer, d.created_at, &mut stats);
            match d.status.as_str() {
                "won" => stats[i].deals_won += 1,
                "lost" => stats[i].deals_lost += 1,
                _ => stats[i].deals_open += 1,
            }
        }
    }
    for (s, customers) in stats.iter_mut().zip(who) {
        s.customers = customers.len() as u32;
        let mut some: Vec<(String, String)> = customers.into_iter().filter_map(|id| Some((id.clone(), names.get(&id)?.clone()))).collect();
        some.sort_by(|a, b| a.1.cmp(&b.1));
        some.truncate(SOME_CUSTOMERS);
        s.some_customers = some;
    }
    Ok(CompetitorReport { competitors, stats, by_month: by_month.into_iter().collect() })
}
