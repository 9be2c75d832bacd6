//! Storing and reading notifications.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::records::{key_of, new_id};
use super::state::AppState;
use crate::error::AppResult;
use crate::notifications::{Notification, NotificationKind};

#[derive(Debug, SurrealValue)]
struct NotificationRecord {
    id: RecordId,
    user: String,
    at: DateTime<Utc>,
    kind: String,
    customer: String,
    customer_name: String,
    detail: String,
    read: bool,
}

/// Tells `owner` that a customer of theirs went back to the pool after `days` days.
pub async fn recycled(state: &AppState, owner: &str, customer: &str, name: &str, days: u32) -> AppResult<()> {
    let row = NotificationRecord {
        id: new_id("notification"),
        user: owner.to_string(),
        at: state.clock.now(),
        kind: "recycled".into(),
        customer: customer.to_string(),
        customer_name: name.to_string(),
        detail: days.to_string(),
        read: false,
    };
    state.db.query("CREATE $id CONTENT $row").bind(("id", row.id.clone())).bind(("row", row)).await?.check()?;
    Ok(())
}

/// A user's newest notifications.
pub async fn of_user(db: &Db, user: &str) -> AppResult<Vec<Notification>> {
    let records: Vec<NotificationRecord> = db
        .query("SELECT * FROM notification WHERE user = $user ORDER BY at DESC LIMIT 200")
        .bind(("user", user.to_string()))
        .await?
        .take(0)?;
    Ok(records
        .into_iter()
        .map(|r| Notification {
            id: key_of(&r.id),
            at: r.at,
            kind: NotificationKind::Recycled,
            customer: r.customer,
            customer_name: r.customer_name,
            detail: r.detail,
            read: r.read,
        })
        .collect())
}

pub async fn unread_count(db: &Db, user: &str) -> AppResult<u32> {
    let ids: Vec<RecordId> = db
        .query("SELECT VALUE id FROM notification WHERE user = $user AND read = false")
        .bind(("user", user.to_string()))
        .await?
        .take(0)?;
    Ok(ids.len() as u32)
}

pub async fn mark_all_read(db: &Db, user: &str) -> AppResult<()> {
    db.query("UPDATE notification SET read = true WHERE user = $user AND read = false")
        .bind(("user", user.to_string()))
        .await?
        .check()?;
    Ok(())
}
