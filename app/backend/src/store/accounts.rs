//! SurrealDB queries for users, teams and sessions.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::accounts::types::{Role, Team, User};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, transaction};
use super::ids::key_of;
use crate::accounts::registry::StoredUser;
use crate::accounts::sessions::SessionEntry;
use crate::events::Event;

#[derive(Debug, SurrealValue)]
struct UserRecord {
    id: RecordId,
    display_name: String,
    password_hash: String,
    role: String,
    team: Option<String>,
    region: String,
    active: bool,
    max_customers: i64,
    must_change_password: bool,
}

impl UserRecord {
    fn into_stored(self) -> StoredUser {
        StoredUser {
            user: User {
                username: key_of(&self.id),
                display_name: self.display_name,
                role: Role::parse(&self.role).unwrap_or_default(),
                team: self.team,
                region: self.region,
                active: self.active,
                max_customers: self.max_customers.clamp(0, u32::MAX as i64) as u32,
                must_change_password: self.must_change_password,
            },
            password_hash: self.password_hash,
        }
    }
}

/// A user row as written.
#[derive(Debug, SurrealValue)]
struct UserContent {
    display_name: String,
    password_hash: String,
    role: String,
    team: Option<String>,
    region: String,
    active: bool,
    max_customers: i64,
    must_change_password: bool,
}

impl UserContent {
    fn from(stored: &StoredUser) -> Self {
        let u = &stored.user;
        UserContent {
            display_name: u.display_name.clone(),
            password_hash: stored.password_hash.clone(),
            role: u.role.as_str().to_string(),
            team: u.team.clone(),
            region: u.region.clone(),
            active: u.active,
            max_customers: u.max_customers as i64,
            must_change_password: u.must_change_password,
        }
    }
}

fn user_id(username: &str) -> RecordId {
    RecordId::new("user", username.to_string())
}

pub async fn all_users(db: &Db) -> StoreResult<Vec<StoredUser>> {
    let records: Vec<UserRecord> = db.query("SELECT * FROM user").await?.take(0)?;
    Ok(records.into_iter().map(UserRecord::into_stored).collect())
}

/// Creates a user with its events; `false` if the username is taken (nothing written).
pub async fn insert_user(db: &Db, user: &StoredUser, events: &[Event]) -> StoreResult<bool> {
    let exists: Option<RecordId> = db
        .query("SELECT VALUE id FROM ONLY $id")
        .bind(("id", user_id(&user.user.username)))
        .await?
        .take(0)?;
    if exists.is_some() {
        return Ok(false);
    }
    db.transact(transaction("CREATE $id CONTENT $row;"))
        .bind(("id", user_id(&user.user.username)))
        .bind(("row", UserContent::from(user)))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(true)
}

/// Which of a user's sessions end when they are saved.
pub enum EndSessions<'a> {
    None,
    /// All (deactivated, or a password set by an admin).
    All,
    /// All but the one with this key (a user who changed their own password stays signed in).
    AllBut(&'a str),
}

/// Saves a user with its events; the sessions `end` names end in the same transaction.
pub async fn update_user(db: &Db, user: &StoredUser, end: EndSessions<'_>, events: &[Event]) -> StoreResult<()> {
    let statements = match end {
        EndSessions::None => "UPDATE $id MERGE $row;",
        EndSessions::All => "UPDATE $id MERGE $row; DELETE session WHERE user = $user;",
        EndSessions::AllBut(_) => "UPDATE $id MERGE $row; DELETE session WHERE user = $user AND id != $keep;",
    };
    let keep = match end {
        EndSessions::AllBut(key) => Some(session_id(key)),
        _ => None,
    };
    db.transact(transaction(statements))
        .bind(("id", user_id(&user.user.username)))
        .bind(("row", UserContent::from(user)))
        .bind(("user", user.user.username.clone()))
        .bind(("keep", keep))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct TeamRecord {
    id: RecordId,
    name: String,
}

pub async fn teams(db: &Db) -> StoreResult<Vec<Team>> {
    let records: Vec<TeamRecord> = db.query("SELECT id, name FROM team ORDER BY name").await?.take(0)?;
    Ok(records.into_iter().map(|t| Team { id: key_of(&t.id), name: t.name }).collect())
}

pub async fn insert_team(db: &Db, id: RecordId, name: &str, now: DateTime<Utc>, events: &[Event]) -> StoreResult<Team> {
    db.transact(transaction("CREATE $id SET name = $name, created_at = $now;"))
        .bind(("id", id.clone()))
        .bind(("name", name.to_string()))
        .bind(("now", now))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(Team { id: key_of(&id), name: name.to_string() })
}

#[derive(Debug, SurrealValue)]
struct SessionRecord {
    user: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
}

fn session_id(key: &str) -> RecordId {
    RecordId::new("session", key.to_string())
}

pub async fn insert_session(db: &Db, key: &str, entry: &SessionEntry) -> StoreResult<()> {
    db.query("CREATE $id SET user = $user, created_at = $created, last_seen_at = $seen")
        .bind(("id", session_id(key)))
        .bind(("user", entry.username.clone()))
        .bind(("created", entry.created_at))
        .bind(("seen", entry.last_seen_at))
        .await?
        .check()?;
    Ok(())
}

pub async fn get_session(db: &Db, key: &str) -> StoreResult<Option<SessionEntry>> {
    let record: Option<SessionRecord> =
        db.query("SELECT user, created_at, last_seen_at FROM ONLY $id").bind(("id", session_id(key))).await?.take(0)?;
    Ok(record.map(|r| SessionEntry { username: r.user, created_at: r.created_at, last_seen_at: r.last_seen_at }))
}

pub async fn touch_session(db: &Db, key: &str, at: DateTime<Utc>) -> StoreResult<()> {
    db.query("UPDATE $id SET last_seen_at = $at").bind(("id", session_id(key))).bind(("at", at)).await?.check()?;
    Ok(())
}

pub async fn delete_session(db: &Db, key: &str) -> StoreResult<()> {
    db.query("DELETE $id").bind(("id", session_id(key))).await?.check()?;
    Ok(())
}

/// Deletes the sessions that are over: idle since before `idle_before`, or opened before
/// `opened_before`.
pub async fn delete_ended_sessions(db: &Db, idle_before: DateTime<Utc>, opened_before: DateTime<Utc>) -> StoreResult<()> {
    db.query("DELETE session WHERE last_seen_at < $idle OR created_at < $opened")
        .bind(("idle", idle_before))
        .bind(("opened", opened_before))
        .await?
        .check()?;
    Ok(())
}
