//! Targets and the performance settings in the store. A target is keyed by metric, holder
//! and period, so setting it again replaces its amount and appends to its history; several
//! targets (a cascade) are written in one transaction with their events.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::targets::pace::TargetChange;
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::{Holder, Metric};
use kehu_domain::targets::view::PerformanceSettings;

use super::transact::Transact;
use super::db::Db;
use super::error::{StoreError, StoreResult};
use super::events::{rows as event_rows, transaction};
use super::ids::date_to_datetime;
use crate::events::Event;

pub const TARGET: &str = "target";

#[derive(Debug, Clone, SurrealValue)]
struct HistoryRow {
    since: DateTime<Utc>,
    amount: i64,
    by: String,
}

#[derive(Debug, Clone, SurrealValue)]
struct TargetRow {
    metric: String,
    holder: String,
    period: String,
    amount: i64,
    history: Vec<HistoryRow>,
}

/// One stored target, its values over time (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTarget {
    pub metric: Metric,
    pub holder: Holder,
    pub period: Period,
    pub amount: i64,
    pub history: Vec<TargetChange>,
}

/// A target's record id: its three keys.
pub fn target_id(metric: Metric, holder: &Holder, period: Period) -> RecordId {
    RecordId::new(TARGET, format!("{}|{}|{}", metric.key(), holder.key(), period.key()))
}

/// Every target of a year (its year, quarters and months).
pub async fn of_year(db: &Db, year: i32) -> StoreResult<Vec<StoredTarget>> {
    let rows: Vec<TargetRow> =
        db.query("SELECT metric, holder, period, amount, history FROM target WHERE year = $year").bind(("year", i64::from(year))).await?.take(0)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(StoredTarget {
                metric: Metric::from_key(&r.metric)?,
                holder: Holder::from_key(&r.holder)?,
                period: Period::from_key(&r.period)?,
                amount: r.amount,
                history: r.history.into_iter().map(|h| TargetChange { from: h.since.date_naive(), amount: h.amount }).collect(),
            })
        })
        .collect())
}

/// One target to write: from `since` (today) on, it is `amount`.
pub struct TargetWrite {
    pub metric: Metric,
    pub holder: Holder,
    pub period: Period,
    pub amount: i64,
    pub since: NaiveDate,
}

/// Writes the targets and their events in one transaction. A value set again on the same day
/// replaces that day's entry in the history rather than adding one.
pub async fn set(db: &Db, writes: &[TargetWrite], by: &str, at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    if writes.is_empty() {
        return Ok(());
    }
    #[derive(SurrealValue)]
    struct Write {
        id: RecordId,
        metric: String,
        holder: String,
        period: String,
        year: i64,
        amount: i64,
        entry: HistoryRow,
    }
    let rows: Vec<Write> = writes
        .iter()
        .map(|w| Write {
            id: target_id(w.metric, &w.holder, w.period),
            metric: w.metric.key().into(),
            holder: w.holder.key(),
            period: w.period.key(),
            year: i64::from(w.period.year()),
            amount: w.amount,
            entry: HistoryRow { since: date_to_datetime(w.since), amount: w.amount, by: by.into() },
        })
        .collect();
    db.transact(transaction(
        "FOR $w IN $writes {
             UPSERT $w.id SET metric = $w.metric, holder = $w.holder, period = $w.period, year = $w.year,
                 amount = $w.amount, updated_at = $at,
                 history = array::push((history ?? []).filter(|$h| $h.since != $w.entry.since), $w.entry);
         };",
    ))
    .bind(("writes", rows))
    .bind(("at", at))
    .bind(("events", event_rows(events)))
    .await?
    .check()?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct SettingsRow {
    settings: String,
}

pub async fn settings(db: &Db) -> StoreResult<PerformanceSettings> {
    let rows: Vec<SettingsRow> = db.query("SELECT settings FROM performance_settings:current").await?.take(0)?;
    Ok(rows.into_iter().next().and_then(|r| serde_json::from_str(&r.settings).ok()).unwrap_or_default())
}

pub async fn save_settings(db: &Db, settings: &PerformanceSettings, at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    let json = serde_json::to_string(settings).map_err(|e| StoreError::Broken(format!("performance settings as JSON: {e}")))?;
    db.transact(transaction("UPSERT performance_settings:current SET settings = $json, updated_at = $at;"))
        .bind(("json", json))
        .bind(("at", at))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}
