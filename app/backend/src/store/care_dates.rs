//! SurrealDB queries for customers' care dates, and how they look in the store.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction};
use super::guard::delete_of_customer;
use crate::events::Event;
use super::ids::key_of;
use kehu_domain::reminders::types::CareDate;

pub const CARE_DATE: &str = "care_date";

#[derive(Debug, SurrealValue)]
pub struct CareDateRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub label: String,
    pub month: i64,
    pub day: i64,
    pub created_at: DateTime<Utc>,
}

impl CareDateRecord {
    pub fn into_care_date(self) -> CareDate {
        CareDate {
            id: key_of(&self.id),
            customer_id: key_of(&self.customer),
            label: self.label,
            // The schema holds these to 1–12 and 1–31.
            month: self.month.clamp(1, 12) as u32,
            day: self.day.clamp(1, 31) as u32,
        }
    }
}

pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<CareDate>> {
    let rows: Vec<CareDateRecord> = db
        .query("SELECT * FROM care_date WHERE customer = $customer ORDER BY month, day")
        .bind(("customer", customer.clone()))
        .await?
        .take(0)?;
    Ok(rows.into_iter().map(CareDateRecord::into_care_date).collect())
}

pub async fn insert(db: &Db, row: CareDateRecord, events: &[Event]) -> StoreResult<()> {
    db.query(transaction("CREATE $id CONTENT $row;"))
        .bind(("id", row.id.clone()))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// Removes a care date of this customer; false if there was none.
pub async fn remove(db: &Db, id: &RecordId, customer: &RecordId, events: &[Event]) -> StoreResult<bool> {
    delete_of_customer(db, id, customer, events).await
}
