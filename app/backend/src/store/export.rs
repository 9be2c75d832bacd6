//! Reading what an export takes of many customers: their contacts, deals and orders, a chunk
//! of customers per query (their own rows come from `customer_import::current`).

use surrealdb::types::{RecordId, SurrealValue};

use super::customer_rows::ContactRecord;
use super::db::Db;
use super::deal_rows::DealRecord;
use super::error::StoreResult;
use super::events::create_with;
use super::ids::new_id;
use super::orders::OrderRecord;
use crate::events::Event;

/// An export's own record, written with its audit event (who, when, which filter).
#[derive(Debug, Clone, SurrealValue)]
struct ExportRecord {
    kind: String,
    rows: i64,
}

pub async fn record(db: &Db, kind: &str, rows: usize, events: &[Event]) -> StoreResult<()> {
    create_with(db, new_id("export"), ExportRecord { kind: kind.to_string(), rows: rows as i64 }, events).await
}

pub async fn contacts(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<ContactRecord>> {
    Ok(db.query("SELECT * FROM contact WHERE customer IN $ids ORDER BY created_at").bind(("ids", ids)).await?.take(0)?)
}

/// A customer's address, for the contacts export (which has the customers' names already).
#[derive(Debug, SurrealValue)]
pub struct CustomerAddress {
    pub id: RecordId,
    pub address: String,
}

/// The addresses of those of `ids` that have one.
pub async fn addresses(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<CustomerAddress>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db.query("SELECT id, address FROM $ids WHERE address != ''").bind(("ids", ids)).await?.take(0)?)
}

pub async fn deals(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<DealRecord>> {
    Ok(db.query("SELECT * FROM deal WHERE customer IN $ids ORDER BY created_at").bind(("ids", ids)).await?.take(0)?)
}

pub async fn orders(db: &Db, ids: Vec<RecordId>) -> StoreResult<Vec<OrderRecord>> {
    Ok(db.query("SELECT * FROM sales_order WHERE customer IN $ids ORDER BY on").bind(("ids", ids)).await?.take(0)?)
}
