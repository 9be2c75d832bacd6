//! Personal access tokens as stored: the secret only as its SHA-256, the rest for the owner's
//! list. Creating and revoking one is audited with it in one transaction.

use chrono::{DateTime, Utc};
use kehu_domain::platform::tokens::{ApiToken, TokenScope};
use surrealdb::types::{RecordId, SurrealValue};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction};
use super::ids::key_of;
use crate::events::Event;

pub const API_TOKEN: &str = "api_token";

#[derive(Debug, Clone, SurrealValue)]
pub struct TokenRecord {
    pub id: RecordId,
    pub user: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub hash: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenRecord {
    pub fn view(&self) -> ApiToken {
        ApiToken {
            id: key_of(&self.id),
            name: self.name.clone(),
            // A scope this build does not know (written by a newer one) grants nothing.
            scopes: self.scopes.iter().filter_map(|s| TokenScope::parse(s)).collect(),
            prefix: self.prefix.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
        }
    }
}

pub async fn create(db: &Db, row: TokenRecord, events: &[Event]) -> StoreResult<()> {
    super::events::create_with(db, row.id.clone(), row, events).await
}

/// The user's tokens, newest first.
pub async fn of_user(db: &Db, user: &str) -> StoreResult<Vec<TokenRecord>> {
    Ok(db
        .query("SELECT * FROM api_token WHERE user = $user ORDER BY created_at DESC")
        .bind(("user", user.to_string()))
        .await?
        .take(0)?)
}

/// The token a secret's hash names, if any (revoked and expired ones included: the caller
/// decides, so it can say why).
pub async fn by_hash(db: &Db, hash: &str) -> StoreResult<Option<TokenRecord>> {
    let rows: Vec<TokenRecord> =
        db.query("SELECT * FROM api_token WHERE hash = $hash LIMIT 1").bind(("hash", hash.to_string())).await?.take(0)?;
    Ok(rows.into_iter().next())
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<TokenRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Revokes a live token, with its audit entry; revoking twice changes nothing.
pub async fn revoke(db: &Db, id: &RecordId, at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("UPDATE $id SET revoked_at = $at WHERE revoked_at = NONE;"))
        .bind(("id", id.clone()))
        .bind(("at", at))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// Notes when a token was last used (the caller writes this at most once a minute per token).
pub async fn touch(db: &Db, id: &RecordId, at: DateTime<Utc>) -> StoreResult<()> {
    db.query("UPDATE $id SET last_used_at = $at").bind(("id", id.clone())).bind(("at", at)).await?.check()?;
    Ok(())
}
