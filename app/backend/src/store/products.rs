//! SurrealDB queries for the product catalogue, and how a product looks in the store.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::insight::types::Product;

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::key_of;
use crate::events::Event;

pub const PRODUCT: &str = "product";

#[derive(Debug, Clone, SurrealValue)]
pub struct ProductRecord {
    pub id: RecordId,
    pub name: String,
    pub category: String,
    pub price_cents: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProductRecord {
    pub fn into_product(self) -> Product {
        Product { id: key_of(&self.id), name: self.name, category: self.category, price_cents: self.price_cents }
    }
}

pub async fn all(db: &Db) -> StoreResult<Vec<Product>> {
    let rows: Vec<ProductRecord> = db.query("SELECT * FROM product ORDER BY name").await?.take(0)?;
    Ok(rows.into_iter().map(ProductRecord::into_product).collect())
}

/// Creates products (a new one, or the ones an import names); names are unique, so a
/// name taken meanwhile fails the whole call and nothing is written.
pub async fn insert(db: &Db, rows: Vec<ProductRecord>, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("INSERT INTO product $rows RETURN NONE;"))
        .bind(("rows", rows))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

pub async fn update(db: &Db, id: &RecordId, name: &str, category: &str, price_cents: i64, at: DateTime<Utc>, events: &[Event]) -> StoreResult<bool> {
    // Only an existing product is changed, and only then are the events written.
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $changed = (UPDATE $id SET name = $name, category = $category, price_cents = $price, updated_at = $at WHERE id = $id RETURN AFTER);
             IF array::len($changed) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("events", event_rows(events)))
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("category", category.to_string()))
        .bind(("price", price_cents))
        .bind(("at", at))
        .await;
    Ok(as_expected(response)?.is_some())
}
