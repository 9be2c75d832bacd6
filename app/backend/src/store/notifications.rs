//! Storing and reading notifications: what Kehu tells a user by itself (so far, that a
//! customer of theirs went back to the pool for want of follow-up). Not changes of the
//! company's data, so they are not events.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::notifications::{Notification, NotificationKind};

use super::db::Db;
use super::error::StoreResult;
use super::ids::{key_of, new_id};

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
pub async fn recycled(db: &Db, owner: &str, customer: &str, name: &str, days: u32, at: DateTime<Utc>) -> StoreResult<()> {
    let row = NotificationRecord {
        id: new_id("notification"),
        user: owner.to_string(),
        at,
        kind: "recycled".into(),
        customer: customer.to_string(),
        customer_name: name.to_string(),
        detail: days.to_string(),
        read: false,
    };
    db.query("CREATE $id CONTENT $row").bind(("id", row.id.clone())).bind(("row", row)).await?.check()?;
    Ok(())
}

/// A user's newest notifications.
pub async fn of_user(db: &Db, user: &str) -> StoreResult<Vec<Notification>> {
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

pub async fn unread_count(db: &Db, user: &str) -> StoreResult<u32> {
    let ids: Vec<RecordId> = db
        .query("SELECT VALUE id FROM notification WHERE user = $user AND read = false")
        .bind(("user", user.to_string()))
        .await?
        .take(0)?;
    Ok(ids.len() as u32)
}

pub async fn mark_all_read(db: &Db, user: &str) -> StoreResult<()> {
    db.query("UPDATE notification SET read = true WHERE user = $user AND read = false")
        .bind(("user", user.to_string()))
        .await?
        .check()?;
    Ok(())
}
