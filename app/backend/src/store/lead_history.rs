//! What the lead score learns from and scores with: closed deals' outcomes per customer, and
//! customers' touches (kind and time only).

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;

#[derive(Debug, SurrealValue)]
pub struct ClosedDeal {
    pub customer: RecordId,
    pub won: bool,
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
pub struct Touch {
    pub customer: RecordId,
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// Every closed deal: whose, won or lost, and when.
pub async fn closed_deals(db: &Db) -> StoreResult<Vec<ClosedDeal>> {
    Ok(db.query("SELECT customer, status = 'won' AS won, closed_at FROM deal WHERE status != 'open'").await?.take(0)?)
}

/// The touches of these customers.
pub async fn touches_of(db: &Db, customers: Vec<RecordId>) -> StoreResult<Vec<Touch>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db.query("SELECT customer, kind, at FROM touchpoint WHERE customer IN $customers").bind(("customers", customers)).await?.take(0)?)
}
