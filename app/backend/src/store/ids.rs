//! Record ids as the browser sees them (the key part, a plain string) and back, checked so a
//! key sent by a client can only ever name a record of the table it is meant for.

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, RecordIdKey};

/// The longest id a client may send; anything longer cannot be ours.
const MAX_KEY_LEN: usize = 64;

/// The key part of a record id, as the browser sees it.
pub fn key_of(id: &RecordId) -> String {
    match &id.key {
        RecordIdKey::String(s) => s.clone(),
        RecordIdKey::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    }
}

/// A record id from a key sent by a client; `None` for one that cannot exist.
pub fn record_id(table: &str, key: &str) -> Option<RecordId> {
    let ok = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    ok.then(|| RecordId::new(table, key.to_string()))
}

/// A fresh random record id.
pub fn new_id(table: &str) -> RecordId {
    RecordId::new(table, RecordIdKey::rand())
}

pub fn date_to_datetime(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}
