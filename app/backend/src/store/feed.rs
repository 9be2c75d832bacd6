//! The event table's change feed (`CHANGEFEED` in migration 7): the committed events in
//! commit order, read from a versionstamp on (the webhook sender, from its stored cursor) or
//! from a moment on (a replica starting to follow the others, see `replica`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;

use kehu_domain::audit::types::FieldChange;

use super::db::Db;
use super::error::{StoreError, StoreResult};

/// Where reading the feed starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Since {
    /// From this versionstamp on (inclusive).
    Stamp(i64),
    /// From the first commit at or after this moment (as the store's clock mapped it).
    Moment(DateTime<Utc>),
}

/// An event as the change feed gives it back.
#[derive(Debug, Clone, Deserialize)]
pub struct FedEvent {
    pub id: String,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub kind: String,
    pub customer: String,
    pub subject: String,
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    #[serde(default)]
    pub via: Option<String>,
}

impl FedEvent {
    /// The event's key (`event:abc` → `abc`).
    pub fn key(&self) -> &str {
        self.id.strip_prefix("event:").unwrap_or(&self.id).trim_matches(|c| c == '⟨' || c == '⟩' || c == '`')
    }
}

/// One committed transaction's events, in the order it wrote them.
#[derive(Debug, Clone)]
pub struct FedChanges {
    pub versionstamp: i64,
    pub events: Vec<FedEvent>,
}

#[derive(Deserialize)]
struct ChangeSet {
    versionstamp: i64,
    changes: Vec<serde_json::Value>,
}

/// The event table's committed changes from `since` on (inclusive), at most `limit`
/// transactions, in commit order. Only new and changed events are given (an event is
/// never deleted, and a changed one — a personal-data erasure — is not sent again).
pub async fn feed(db: &Db, since: Since, limit: u32) -> StoreResult<Vec<FedChanges>> {
    // SHOW takes no bound parameters: a number, or a datetime literal made here.
    let since = match since {
        Since::Stamp(stamp) => stamp.max(0).to_string(),
        Since::Moment(at) => format!("d'{}'", at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    };
    let value: surrealdb::types::Value = db.query(format!("SHOW CHANGES FOR TABLE event SINCE {since} LIMIT {limit}")).await?.take(0)?;
    let sets: Vec<ChangeSet> = serde_json::from_value(value.into_json_value()).map_err(|e| StoreError::Broken(format!("the event feed could not be read: {e}")))?;
    Ok(sets
        .into_iter()
        .map(|set| FedChanges {
            versionstamp: set.versionstamp,
            events: set
                .changes
                .into_iter()
                .filter_map(|change| change.get("update").cloned())
                .filter_map(|update| match serde_json::from_value::<FedEvent>(update) {
                    Ok(event) => Some(event),
                    Err(e) => {
                        tracing::warn!("an event in the change feed could not be read, skipped: {e}");
                        None
                    }
                })
                .collect(),
        })
        .collect())
}

/// The versionstamp of the newest commit in the feed, if any: where a replica that has just
/// loaded its read models starts following. Found by halving (a few dozen one-row reads),
/// because the feed can only be read forwards from a point.
pub async fn last_stamp(db: &Db) -> StoreResult<Option<i64>> {
    let Some(first) = feed(db, Since::Stamp(0), 1).await?.first().map(|set| set.versionstamp) else { return Ok(None) };
    // `first` has a commit; find the greatest stamp that still has one at or after it.
    let (mut has, mut past) = (first, i64::MAX);
    while past - has > 1 {
        let mid = has + (past - has) / 2;
        match feed(db, Since::Stamp(mid), 1).await?.first() {
            Some(set) => has = set.versionstamp.max(mid),
            None => past = mid,
        }
    }
    Ok(Some(has))
}
