//! SurrealDB queries for customers' care dates, and how they look in the store.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;
use super::events::create_with;
use super::guard::delete_with;
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
    create_with(db, row.id.clone(), row, events).await
}

/// Removes a care date of this customer; false if there was none.
pub async fn remove(db: &Db, id: &RecordId, customer: &RecordId, events: &[Event]) -> StoreResult<bool> {
    delete_with(db, id, Some(customer), events).await
}
