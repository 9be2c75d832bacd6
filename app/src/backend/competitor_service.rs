//! Competitors for a signed-in caller: everyone sees the list, admins and managers keep it;
//! the report reads follow-ups of the last twelve months and every deal, over the customers
//! the caller may see.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Months, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::records::{key_of, new_id, record_id};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::accounts::types::Role;
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::insight::competitors::{validate_competitor, Competitor, CompetitorInput, CompetitorReport, CompetitorStats, Matcher};

const COMPETITOR: &str = "competitor";
/// Customers named per competitor in the report.
const SOME_CUSTOMERS: usize = 10;

#[derive(Debug, Clone, SurrealValue)]
struct CompetitorRecord {
    id: RecordId,
    name: String,
    aliases: Vec<String>,
    created_at: DateTime<Utc>,
}

pub async fn list(state: &AppState) -> AppResult<Vec<Competitor>> {
    let rows: Vec<CompetitorRecord> = state.db.query("SELECT * FROM competitor ORDER BY name").await?.take(0)?;
    Ok(rows.into_iter().map(|r| Competitor { id: key_of(&r.id), name: r.name, aliases: r.aliases }).collect())
}

fn may_keep(caller: &Caller) -> AppResult<()> {
    match caller.user.role {
        Role::Admin | Role::Manager => Ok(()),
        Role::Rep => Err(AppError::Forbidden),
    }
}

pub async fn add(state: &AppState, caller: &Caller, input: &CompetitorInput) -> AppResult<Vec<Competitor>> {
    may_keep(caller)?;
    let (name, aliases) = validate_competitor(input).map_err(AppError::Invalid)?;
    if list(state).await?.iter().any(|c| c.name.to_lowercase() == name.to_lowercase()) {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::Duplicate)]));
    }
    let row = CompetitorRecord { id: new_id(COMPETITOR), name, aliases, created_at: state.clock.now() };
    state.db.query("CREATE $id CONTENT $row").bind(("id", row.id.clone())).bind(("row", row)).await?.check()?;
    list(state).await
}

pub async fn remove(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<Competitor>> {
    may_keep(caller)?;
    let rid = record_id(COMPETITOR, id).ok_or(AppError::NotFound)?;
    let gone: Vec<CompetitorRecord> = state.db.query("DELETE $id RETURN BEFORE").bind(("id", rid)).await?.take(0)?;
    if gone.is_empty() {
        return Err(AppError::NotFound);
    }
    list(state).await
}

#[derive(Debug, SurrealValue)]
struct NoteRow {
    customer: RecordId,
    summary: String,
    next_step: String,
    at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct DealRow {
    customer: RecordId,
    title: String,
    competitor: String,
    lost_reason: String,
    status: String,
    created_at: DateTime<Utc>,
}

pub async fn report(state: &AppState, caller: &Caller) -> AppResult<CompetitorReport> {
    let competitors = list(state).await?;
    let matcher = Matcher::new(&competitors);
    let now = state.clock.now();
    let first_month = now.date_naive().with_day(1).and_then(|d| d.checked_sub_months(Months::new(11))).unwrap_or(now.date_naive());
    let since = first_month.and_hms_opt(0, 0, 0).map(|d| d.and_utc()).unwrap_or(now);
    let mut response = state
        .db
        .query("SELECT customer, summary, next_step, at FROM touchpoint WHERE at >= $since; SELECT customer, title, competitor, lost_reason, status, created_at FROM deal;")
        .bind(("since", since))
        .await?;
    let notes: Vec<NoteRow> = response.take(0)?;
    let deals: Vec<DealRow> = response.take(1)?;
    // Only the caller's customers count, with their names for the report.
    let names: HashMap<String, String> = {
        let rows = state.directory.rows();
        rows.live().filter(|(r, _)| caller.can_view(&r.owner, &r.region)).map(|(r, _)| (r.id.clone(), r.name.clone())).collect()
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
