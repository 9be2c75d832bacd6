//! SurrealDB queries for customers' orders, the scores the insight batch stores, and how
//! they look in the store. Only this file (and the migration) knows these column names.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::insight::types::{ModelFit, OrderSource};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction};
use super::guard::delete_with;
use super::ids::{date_to_datetime, key_of};
use crate::events::Event;

pub const SALES_ORDER: &str = "sales_order";
pub const CUSTOMER_SCORE: &str = "customer_score";

#[derive(Debug, Clone, SurrealValue)]
pub struct LineRecord {
    pub product: RecordId,
    pub quantity: i64,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct OrderRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub on: DateTime<Utc>,
    pub order_no: String,
    /// Who delivered it, when recorded.
    pub carrier: Option<String>,
    pub lines: Vec<LineRecord>,
    pub total_cents: i64,
    pub source: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl OrderRecord {
    pub fn new(id: RecordId, customer: RecordId, on: NaiveDate, order_no: String, lines: Vec<LineRecord>, source: OrderSource, by: &str, at: DateTime<Utc>) -> Self {
        let total_cents = lines.iter().map(|l| l.amount_cents).sum();
        OrderRecord { id, customer, on: date_to_datetime(on), order_no, carrier: None, lines, total_cents, source: source.as_str().into(), created_by: by.into(), created_at: at }
    }

    /// The order with who delivered it (nobody recorded when empty).
    pub fn with_carrier(mut self, carrier: String) -> Self {
        self.carrier = (!carrier.is_empty()).then_some(carrier);
        self
    }
}

/// Every order, oldest first, for the order book at start-up.
pub async fn all(db: &Db) -> StoreResult<Vec<OrderRecord>> {
    Ok(db.query("SELECT * FROM sales_order").await?.take(0)?)
}

/// One customer's orders (a replica taking another's change to them).
pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<OrderRecord>> {
    Ok(db.query("SELECT * FROM sales_order WHERE customer = $customer").bind(("customer", customer.clone())).await?.take(0)?)
}

/// These orders, newest first (ids from the order book: reading by key needs no index).
pub async fn by_ids(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<OrderRecord>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<OrderRecord> = db.query("SELECT * FROM $ids").bind(("ids", ids)).await?.take(0)?;
    rows.sort_by(|a, b| b.on.cmp(&a.on).then(b.created_at.cmp(&a.created_at)));
    Ok(rows)
}

/// Writes orders, replacing any with the same id (a file imported again).
pub async fn upsert(db: &Db, rows: Vec<OrderRecord>, events: &[Event]) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    db.transact(transaction("INSERT INTO sales_order $rows ON DUPLICATE KEY UPDATE on = $input.on, order_no = $input.order_no, lines = $input.lines, total_cents = $input.total_cents, source = $input.source, created_by = $input.created_by, created_at = $input.created_at RETURN NONE;"))
        .bind(("rows", rows))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// Removes an order of this customer; false if there was none.
pub async fn remove(db: &Db, id: &RecordId, customer: &RecordId, events: &[Event]) -> StoreResult<bool> {
    delete_with(db, id, Some(customer), events).await
}

#[derive(Debug, Clone, SurrealValue)]
pub struct ScoreRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub segment: Option<String>,
    pub p_alive_pct: Option<i64>,
    pub data: String,
    pub computed_at: DateTime<Utc>,
}

/// The stored scores (customer id → JSON), to compare a new batch against.
pub async fn stored_scores(db: &Db) -> StoreResult<Vec<(String, String)>> {
    #[derive(SurrealValue)]
    struct Row {
        customer: RecordId,
        data: String,
    }
    let rows: Vec<Row> = db.query("SELECT customer, data FROM customer_score").await?.take(0)?;
    Ok(rows.into_iter().map(|r| (key_of(&r.customer), r.data)).collect())
}

/// Writes the scores that changed and removes those of customers no longer scored.
pub async fn save_scores(db: &Db, changed: Vec<ScoreRecord>, gone: Vec<RecordId>) -> StoreResult<()> {
    for chunk in changed.chunks(5_000) {
        db.query("INSERT INTO customer_score $rows ON DUPLICATE KEY UPDATE segment = $input.segment, p_alive_pct = $input.p_alive_pct, data = $input.data, computed_at = $input.computed_at RETURN NONE")
            .bind(("rows", chunk.to_vec()))
            .await?
            .check()?;
    }
    if !gone.is_empty() {
        db.query("DELETE $gone").bind(("gone", gone)).await?.check()?;
    }
    Ok(())
}

pub async fn save_run(db: &Db, at: DateTime<Utc>, customers: usize, orders: usize, fit: Option<&ModelFit>) -> StoreResult<()> {
    let model = fit.and_then(|f| serde_json::to_string(f).ok());
    db.query("UPSERT insight_run:latest SET computed_at = $at, customers = $customers, orders = $orders, model = $model")
        .bind(("at", at))
        .bind(("customers", customers as i64))
        .bind(("orders", orders as i64))
        .bind(("model", model))
        .await?
        .check()?;
    Ok(())
}
