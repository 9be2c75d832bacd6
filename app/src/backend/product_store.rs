//! SurrealDB queries for the product catalogue, and how a product looks in the store.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::records::key_of;
use crate::error::AppResult;
use crate::insight::types::Product;

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

pub async fn all(db: &Db) -> AppResult<Vec<Product>> {
    let rows: Vec<ProductRecord> = db.query("SELECT * FROM product ORDER BY name").await?.take(0)?;
    Ok(rows.into_iter().map(ProductRecord::into_product).collect())
}

/// Creates products (a new one, or the ones an import names); names are unique, so a
/// name taken meanwhile fails the whole call and nothing is written.
pub async fn insert(db: &Db, rows: Vec<ProductRecord>) -> AppResult<()> {
    db.query("INSERT INTO product $rows RETURN NONE").bind(("rows", rows)).await?.check()?;
    Ok(())
}

pub async fn update(db: &Db, id: &RecordId, name: &str, category: &str, price_cents: i64, at: DateTime<Utc>) -> AppResult<bool> {
    let changed: Vec<ProductRecord> = db
        .query("UPDATE $id SET name = $name, category = $category, price_cents = $price, updated_at = $at WHERE id = $id")
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("category", category.to_string()))
        .bind(("price", price_cents))
        .bind(("at", at))
        .await?
        .take(0)?;
    Ok(!changed.is_empty())
}
