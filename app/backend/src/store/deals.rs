//! SurrealDB queries for deals, stage moves, quotes and contracts; no rules. A change, the
//! record of it (a stage move, a quote and the deal's count of quotes) and its events are
//! written in one transaction, and a version check inside it turns a lost race into
//! [`AppError::DealChanged`].

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::error::AppError;

use super::transact::Transact;
use super::customer_rows::TouchpointRecord;
use super::db::Db;
use super::deal_rows::*;
use super::error::{StoreError, StoreResult};
use super::events::{rows as event_rows, APPEND};
use crate::events::Event;

/// The marker a transaction throws when the deal moved on since it was read.
const STALE: &str = "kehu:stale";

/// Maps the marker thrown inside a transaction to `DealChanged`; other failures stay store errors.
fn stale_or(e: surrealdb::Error) -> StoreError {
    if e.to_string().contains(STALE) {
        AppError::DealChanged.into()
    } else {
        e.into()
    }
}

/// Runs a transaction whose statement `index` (BEGIN counts as 0) returns the deal.
async fn deal_from(response: Result<super::transact::Answer, surrealdb::Error>, index: usize) -> StoreResult<DealRecord> {
    let response = response.map_err(stale_or)?;
    // A failed transaction fails every statement; the one that threw says why.
    if response.threw(STALE) {
        return Err(AppError::DealChanged.into());
    }
    let mut response = response.check()?;
    let rows: Vec<DealRecord> = response.take(index)?;
    rows.into_iter().next().ok_or_else(|| AppError::DealChanged.into())
}

pub async fn insert(db: &Db, deal: DealRecord, actor: &str, events: &[Event]) -> StoreResult<DealRecord> {
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             CREATE ONLY $id CONTENT $deal RETURN AFTER;
             CREATE deal_move CONTENT {{ deal: $id, from_stage: '', to_stage: $stage, at: $at, actor: $actor }};
             SELECT * FROM $id;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("id", deal.id.clone()))
        .bind(("stage", deal.stage.clone()))
        .bind(("at", deal.created_at))
        .bind(("actor", actor.to_string()))
        .bind(("deal", deal))
        .await;
    deal_from(response, 3).await
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<DealRecord>> {
    let found: Option<DealRecord> = db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?;
    Ok(found)
}

/// Every open deal, for the in-memory board at start-up.
pub async fn open_deals(db: &Db) -> StoreResult<Vec<DealRecord>> {
    Ok(db.query("SELECT * FROM deal WHERE status = 'open'").await?.take(0)?)
}

/// How far each closed deal got and whether it was won: the history win chances use.
pub async fn closed_outcomes(db: &Db) -> StoreResult<Vec<(i64, bool)>> {
    #[derive(SurrealValue)]
    struct Outcome {
        furthest: i64,
        won: bool,
    }
    let rows: Vec<Outcome> =
        db.query("SELECT furthest, status = 'won' AS won FROM deal WHERE status != 'open'").await?.take(0)?;
    Ok(rows.into_iter().map(|o| (o.furthest, o.won)).collect())
}

pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<DealRecord>> {
    Ok(db
        .query("SELECT * FROM deal WHERE customer = $customer ORDER BY created_at DESC")
        .bind(("customer", customer.clone()))
        .await?
        .take(0)?)
}

/// Saves the form's fields if the deal is still at `expected` version.
pub async fn update_fields(db: &Db, id: &RecordId, mut patch: DealPatch, expected: i64, events: &[Event]) -> StoreResult<DealRecord> {
    patch.version = expected + 1;
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $done = (UPDATE $id MERGE $patch WHERE version = $expected RETURN AFTER);
             IF array::len($done) = 0 {{ THROW '{STALE}' }};
             SELECT * FROM $id;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("id", id.clone()))
        .bind(("patch", patch))
        .bind(("expected", expected))
        .await;
    deal_from(response, 3).await
}

/// Applies `set` to an open deal still at `expected` version and records the move from
/// `from` to `to` (a stage, or `won` / `lost`), in one transaction. `set` may use `$to`,
/// `$furthest`, `$reason` and `$at`.
async fn change_open(db: &Db, id: &RecordId, set: &str, change: Change<'_>, note: Option<TouchpointRecord>, events: &[Event]) -> StoreResult<DealRecord> {
    // A note on the customer's timeline goes with some changes (a deal won or lost).
    let note_statement = if note.is_some() { "CREATE $note_id CONTENT $note;" } else { "" };
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $done = (UPDATE $id SET {set}, updated_at = $at, version = version + 1
                 WHERE version = $expected AND status = 'open' RETURN AFTER);
             IF array::len($done) = 0 {{ THROW '{STALE}' }};
             CREATE deal_move CONTENT {{ deal: $id, from_stage: $from, to_stage: $to, at: $at, actor: $actor }};
             SELECT * FROM $id;
             {note_statement}
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("note_id", note.as_ref().map(|n| n.id.clone())))
        .bind(("note", note))
        .bind(("id", id.clone()))
        .bind(("from", change.from.to_string()))
        .bind(("to", change.to.to_string()))
        .bind(("furthest", change.furthest))
        .bind(("reason", change.reason.to_string()))
        .bind(("expected", change.expected))
        .bind(("at", change.at))
        .bind(("actor", change.actor.to_string()))
        .await;
    deal_from(response, 4).await
}

/// One recorded change of an open deal.
pub struct Change<'a> {
    pub from: &'a str,
    pub to: &'a str,
    /// The furthest stage index reached, after the change.
    pub furthest: i64,
    /// Why a deal was lost (empty otherwise).
    pub reason: &'a str,
    pub expected: i64,
    pub at: DateTime<Utc>,
    pub actor: &'a str,
}

/// Moves an open deal to stage `change.to`.
pub async fn move_stage(db: &Db, id: &RecordId, change: Change<'_>, events: &[Event]) -> StoreResult<DealRecord> {
    change_open(db, id, "stage = $to, furthest = $furthest, stage_entered_at = $at", change, None, events).await
}

/// Ends an open deal: `change.to` is `won` or `lost`; `note` tells the customer's timeline.
pub async fn close(db: &Db, id: &RecordId, change: Change<'_>, note: TouchpointRecord, events: &[Event]) -> StoreResult<DealRecord> {
    change_open(db, id, "status = $to, lost_reason = $reason, closed_at = $at, owner_at_close = customer.owner", change, Some(note), events).await
}

/// Ticks or unticks one playbook item. Order-free, so no version check: two people ticking
/// different items both keep their tick.
pub async fn set_check(db: &Db, id: &RecordId, item: &str, on: bool, at: DateTime<Utc>, events: &[Event]) -> StoreResult<Option<DealRecord>> {
    let sql = if on {
        "UPDATE $id SET checklist = array::union(checklist, [$item]), updated_at = $at RETURN AFTER;"
    } else {
        "UPDATE $id SET checklist = array::complement(checklist, [$item]), updated_at = $at RETURN AFTER;"
    };
    let rows: Vec<DealRecord> = db
        .transact(super::events::transaction(sql))
        .bind(("id", id.clone()))
        .bind(("item", item.to_string()))
        .bind(("at", at))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    Ok(rows.into_iter().next())
}

/// Stores a quote and counts it on its deal, together.
pub async fn add_quote(db: &Db, quote: QuoteRecord, events: &[Event]) -> StoreResult<DealRecord> {
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             CREATE ONLY $qid CONTENT $quote;
             UPDATE $deal SET quote_count = quote_count + 1, updated_at = $at, version = version + 1;
             SELECT * FROM $deal;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("qid", quote.id.clone()))
        .bind(("deal", quote.deal.clone()))
        .bind(("at", quote.created_at))
        .bind(("quote", quote))
        .await;
    deal_from(response, 3).await
}

pub async fn quotes_of(db: &Db, deal: &RecordId) -> StoreResult<Vec<QuoteRecord>> {
    Ok(db
        .query("SELECT * FROM quote WHERE deal = $deal ORDER BY created_at DESC")
        .bind(("deal", deal.clone()))
        .await?
        .take(0)?)
}

pub async fn get_quote(db: &Db, id: &RecordId) -> StoreResult<Option<QuoteRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Creates or updates the deal's one contract (its key is the deal's), and records on the
/// deal whether it is signed, together.
pub async fn save_contract(db: &Db, id: &RecordId, fields: ContractFields, at: DateTime<Utc>, events: &[Event]) -> StoreResult<DealRecord> {
    let signed = fields.signed_on.is_some();
    let deal = fields.deal.clone();
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             IF record::exists($id) {{ UPDATE $id MERGE $fields }} ELSE {{
                 CREATE $id CONTENT object::extend($fields, {{ instalments: [], payments: [], created_at: $at }})
             }};
             UPDATE $deal SET contract_signed = $signed, updated_at = $at, version = version + 1;
             SELECT * FROM $deal;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("id", id.clone()))
        .bind(("deal", deal))
        .bind(("signed", signed))
        .bind(("at", at))
        .bind(("fields", fields))
        .await;
    deal_from(response, 3).await
}

pub async fn contract_of(db: &Db, id: &RecordId) -> StoreResult<Option<ContractRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Appends a planned instalment or a received payment to a contract.
pub async fn add_to_contract(
    db: &Db,
    id: &RecordId,
    payment: bool,
    on: DateTime<Utc>,
    amount_cents: i64,
    events: &[Event],
) -> StoreResult<Option<ContractRecord>> {
    let sql = if payment {
        "UPDATE $id SET payments += { received_on: $on, amount_cents: $amount } RETURN AFTER;"
    } else {
        "UPDATE $id SET instalments += { due: $on, amount_cents: $amount } RETURN AFTER;"
    };
    let rows: Vec<ContractRecord> = db
        .transact(super::events::transaction(sql))
        .bind(("id", id.clone()))
        .bind(("on", on))
        .bind(("amount", amount_cents))
        .bind(("events", event_rows(events)))
        .await?
        .check()?
        .take(1)?;
    Ok(rows.into_iter().next())
}

pub async fn moves_of(db: &Db, deal: &RecordId) -> StoreResult<Vec<MoveRecord>> {
    Ok(db
        .query("SELECT deal, from_stage, to_stage, at, actor FROM deal_move WHERE deal = $deal ORDER BY at")
        .bind(("deal", deal.clone()))
        .await?
        .take(0)?)
}

/// Every move of every deal that moved at or after `since` (earlier moves of those deals
/// too, so time in stage and later progress are complete), each with its deal's customer —
/// read through the move's link, so the funnel never reads the whole deal table.
pub async fn moves_since(db: &Db, since: DateTime<Utc>) -> StoreResult<Vec<(RecordId, MoveRecord)>> {
    #[derive(SurrealValue)]
    struct Row {
        customer: RecordId,
        deal: RecordId,
        from_stage: String,
        to_stage: String,
        at: DateTime<Utc>,
        actor: String,
    }
    let rows: Vec<Row> = db
        .query(
            "LET $deals = array::distinct(SELECT VALUE deal FROM deal_move WHERE at >= $since);
             SELECT deal.customer AS customer, deal, from_stage, to_stage, at, actor FROM deal_move WHERE deal IN $deals;",
        )
        .bind(("since", since))
        .await?
        .take(1)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.customer, MoveRecord { deal: r.deal, from_stage: r.from_stage, to_stage: r.to_stage, at: r.at, actor: r.actor }))
        .collect())
}

/// Every contract's amount and what was received, with the deal's customer.
pub async fn collection(db: &Db) -> StoreResult<Vec<(RecordId, i64, i64)>> {
    #[derive(SurrealValue)]
    struct Row {
        customer: RecordId,
        amount_cents: i64,
        received: i64,
    }
    let rows: Vec<Row> = db
        .query("SELECT deal.customer AS customer, amount_cents, math::sum(payments.amount_cents) AS received FROM contract")
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(|r| (r.customer, r.amount_cents, r.received)).collect())
}
