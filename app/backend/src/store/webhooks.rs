//! Webhook subscriptions, their deliveries, and how far the sender has read the event
//! table's change feed. A subscription's changes are audited in their transaction; queueing
//! deliveries moves the feed cursor in the same transaction, so a crash between the two
//! reads the same changes again and queues nothing twice (deliveries are keyed by
//! subscription and event).

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::audit::types::EventKind;
use kehu_domain::platform::webhooks::{Delivery, DeliveryStatus, Webhook, WebhookState, WebhookTarget};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction};
use super::ids::key_of;
use crate::events::Event;

pub const WEBHOOK: &str = "webhook";
pub const DELIVERY: &str = "webhook_delivery";

#[derive(Debug, Clone, SurrealValue)]
pub struct WebhookRecord {
    pub id: RecordId,
    pub name: String,
    pub target: String,
    pub url: String,
    pub secret: String,
    pub topics: Vec<String>,
    pub fields: Vec<String>,
    pub team: String,
    pub state: String,
    pub created_at: DateTime<Utc>,
}

impl WebhookRecord {
    pub fn key(&self) -> String {
        key_of(&self.id)
    }

    pub fn target(&self) -> WebhookTarget {
        WebhookTarget::parse(&self.target).unwrap_or_default()
    }

    pub fn state(&self) -> WebhookState {
        WebhookState::parse(&self.state)
    }

    pub fn topics(&self) -> Vec<EventKind> {
        self.topics.iter().filter_map(|t| EventKind::parse(t)).collect()
    }

    pub fn view(&self, counts: (u32, u32)) -> Webhook {
        let target = self.target();
        let secret_hint = match (target, self.secret.is_empty()) {
            (_, true) => String::new(),
            (WebhookTarget::Http, false) => format!("{}…", self.secret.chars().take(10).collect::<String>()),
            (_, false) => "••••".into(),
        };
        Webhook {
            id: self.key(),
            name: self.name.clone(),
            target,
            url: self.url.clone(),
            topics: self.topics(),
            fields: self.fields.clone(),
            team: self.team.clone(),
            state: self.state(),
            created_at: self.created_at,
            secret_hint,
            pending: counts.0,
            failed: counts.1,
        }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct DeliveryRecord {
    pub id: RecordId,
    pub webhook: String,
    pub event: String,
    pub kind: String,
    pub subject: String,
    pub resource: String,
    pub seq: i64,
    pub pos: i64,
    pub at: DateTime<Utc>,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_at: DateTime<Utc>,
    pub last_code: Option<i64>,
    pub last_latency_ms: Option<i64>,
    pub last_error: String,
}

impl DeliveryRecord {
    pub fn view(&self) -> Option<Delivery> {
        let status = DeliveryStatus::parse(&self.status);
        Some(Delivery {
            id: key_of(&self.id),
            event_id: self.event.clone(),
            kind: EventKind::parse(&self.kind)?,
            subject: self.subject.clone(),
            at: self.at,
            status,
            attempts: u32::try_from(self.attempts).unwrap_or(0),
            last_code: self.last_code.and_then(|c| u16::try_from(c).ok()),
            last_latency_ms: self.last_latency_ms.and_then(|c| u32::try_from(c).ok()),
            last_error: self.last_error.clone(),
            next_at: (status == DeliveryStatus::Pending).then_some(self.next_at),
        })
    }
}

/// A delivery's key: its subscription's and its event's.
pub fn delivery_id(webhook: &str, event: &str) -> RecordId {
    RecordId::new(DELIVERY, format!("{webhook}_{event}"))
}

pub async fn create(db: &Db, row: WebhookRecord, events: &[Event]) -> StoreResult<()> {
    super::events::create_with(db, row.id.clone(), row, events).await
}

/// Saves a changed subscription with its audit entry.
pub async fn save(db: &Db, row: WebhookRecord, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("UPDATE $id CONTENT $row;"))
        .bind(("id", row.id.clone()))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// Removes a subscription; what it still had to send is cancelled (kept in no log: the
/// subscription is gone).
pub async fn remove(db: &Db, id: &RecordId, events: &[Event]) -> StoreResult<()> {
    db.transact(transaction("DELETE $id; DELETE webhook_delivery WHERE webhook = $key;"))
        .bind(("id", id.clone()))
        .bind(("key", key_of(id)))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

pub async fn all(db: &Db) -> StoreResult<Vec<WebhookRecord>> {
    Ok(db.query("SELECT * FROM webhook ORDER BY created_at DESC").await?.take(0)?)
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<WebhookRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

#[derive(Debug, Clone, SurrealValue)]
struct CountRow {
    webhook: String,
    status: String,
    count: i64,
}

/// Pending and failed deliveries per subscription key.
pub async fn counts(db: &Db) -> StoreResult<std::collections::HashMap<String, (u32, u32)>> {
    let rows: Vec<CountRow> = db
        .query("SELECT webhook, status, count() AS count FROM webhook_delivery WHERE status IN ['pending', 'failed'] GROUP BY webhook, status")
        .await?
        .take(0)?;
    let mut counts = std::collections::HashMap::new();
    for r in rows {
        let entry: &mut (u32, u32) = counts.entry(r.webhook).or_default();
        let n = u32::try_from(r.count).unwrap_or(u32::MAX);
        if r.status == "pending" {
            entry.0 = n;
        } else {
            entry.1 = n;
        }
    }
    Ok(counts)
}

/// A subscription's deliveries, newest first.
pub async fn deliveries_of(db: &Db, webhook: &str, limit: usize) -> StoreResult<Vec<DeliveryRecord>> {
    Ok(db
        .query("SELECT * FROM webhook_delivery WHERE webhook = $webhook ORDER BY seq DESC, pos DESC LIMIT $limit")
        .bind(("webhook", webhook.to_string()))
        .bind(("limit", limit as i64))
        .await?
        .take(0)?)
}

pub async fn delivery(db: &Db, id: &RecordId) -> StoreResult<Option<DeliveryRecord>> {
    Ok(db.query("SELECT * FROM ONLY $id").bind(("id", id.clone())).await?.take(0)?)
}

/// Deliveries waiting to be tried (due or not), oldest first: the sender keeps each
/// resource's order by trying only the first of each.
pub async fn pending(db: &Db, limit: usize) -> StoreResult<Vec<DeliveryRecord>> {
    Ok(db
        .query("SELECT * FROM webhook_delivery WHERE status = 'pending' ORDER BY seq, pos LIMIT $limit")
        .bind(("limit", limit as i64))
        .await?
        .take(0)?)
}

/// What one try did to a delivery.
#[derive(Debug, Clone, SurrealValue)]
pub struct TryOutcome {
    pub status: String,
    pub attempts: i64,
    pub next_at: DateTime<Utc>,
    pub last_code: Option<i64>,
    pub last_latency_ms: Option<i64>,
    pub last_error: String,
}

pub async fn record_try(db: &Db, id: &RecordId, outcome: TryOutcome) -> StoreResult<()> {
    db.query("UPDATE $id MERGE $outcome").bind(("id", id.clone())).bind(("outcome", outcome)).await?.check()?;
    Ok(())
}

/// The receiver said 410 Gone: the subscription is unsubscribed and what it still had to
/// send is cancelled, in one transaction.
pub async fn unsubscribe(db: &Db, webhook: &RecordId) -> StoreResult<()> {
    db.transact(
        "BEGIN TRANSACTION; UPDATE $id SET state = 'gone';
         UPDATE webhook_delivery SET status = 'cancelled' WHERE webhook = $key AND status = 'pending'; COMMIT TRANSACTION;",
    )
    .bind(("id", webhook.clone()))
    .bind(("key", key_of(webhook)))
    .await?
    .check()?;
    Ok(())
}

/// Puts a delivery back in the queue, to be tried at `at` with a full set of retries.
pub async fn requeue(db: &Db, id: &RecordId, at: DateTime<Utc>) -> StoreResult<()> {
    db.query("UPDATE $id SET status = 'pending', attempts = 0, next_at = $at")
        .bind(("id", id.clone()))
        .bind(("at", at))
        .await?
        .check()?;
    Ok(())
}

/// Queues deliveries and moves the feed cursor to `versionstamp`, together.
pub async fn queue(db: &Db, deliveries: Vec<DeliveryRecord>, versionstamp: i64) -> StoreResult<()> {
    db.transact(
        "BEGIN TRANSACTION; INSERT IGNORE INTO webhook_delivery $deliveries;
         UPSERT webhook_feed:cursor SET versionstamp = $versionstamp; COMMIT TRANSACTION;",
    )
    .bind(("deliveries", deliveries))
    .bind(("versionstamp", versionstamp))
    .await?
    .check()?;
    Ok(())
}

/// Forgets finished deliveries of events before `before`.
pub async fn prune(db: &Db, before: DateTime<Utc>) -> StoreResult<()> {
    db.query("DELETE webhook_delivery WHERE status != 'pending' AND at < $before").bind(("before", before)).await?.check()?;
    Ok(())
}

pub async fn cursor(db: &Db) -> StoreResult<Option<i64>> {
    let rows: Vec<i64> = db.query("SELECT VALUE versionstamp FROM webhook_feed:cursor").await?.take(0)?;
    Ok(rows.into_iter().next())
}
