//! SurrealDB queries for service tickets, and how a ticket looks in the store. A change is
//! written only if the ticket is still in the status it was read in (someone else moving it
//! meanwhile makes it [`AppError::TicketChanged`]), with its events, in one transaction.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::error::AppError;
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};
use kehu_domain::service::types::{StatusChange, TicketNote};

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{create_with, rows as event_rows, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::key_of;
use crate::events::Event;

pub const TICKET: &str = "ticket";

#[derive(Debug, Clone, SurrealValue)]
pub struct HistoryRow {
    pub status: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct NoteRow {
    pub author: String,
    pub at: DateTime<Utc>,
    pub body: String,
    pub to_customer: bool,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct TicketRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub title: String,
    pub description: String,
    pub kind: String,
    pub priority: String,
    pub status: String,
    pub category: String,
    pub assignee: String,
    pub resolution: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub history: Vec<HistoryRow>,
    pub notes: Vec<NoteRow>,
    pub merged_into: Option<RecordId>,
    /// The customer's order it is about, if one was named (`order` is a SurrealQL keyword).
    pub sales_order: Option<RecordId>,
}

impl TicketRecord {
    pub fn status(&self) -> Option<TicketStatus> {
        TicketStatus::from_key(&self.status)
    }

    pub fn kind(&self) -> Option<TicketKind> {
        TicketKind::from_key(&self.kind)
    }

    pub fn priority(&self) -> Option<Priority> {
        Priority::from_key(&self.priority)
    }

    pub fn customer_key(&self) -> String {
        key_of(&self.customer)
    }

    /// The status history as the SLA clock reads it; a hand-edited row that is not a status
    /// is left out.
    pub fn history(&self) -> Vec<StatusChange> {
        self.history.iter().filter_map(|h| Some(StatusChange { status: TicketStatus::from_key(&h.status)?, at: h.at })).collect()
    }

    pub fn notes(&self, name_of: &dyn Fn(&str) -> String) -> Vec<TicketNote> {
        self.notes
            .iter()
            .map(|n| TicketNote { author: n.author.clone(), author_name: name_of(&n.author), at: n.at, body: n.body.clone(), to_customer: n.to_customer })
            .collect()
    }
}

pub async fn insert(db: &Db, row: TicketRecord, events: &[Event]) -> StoreResult<()> {
    create_with(db, row.id.clone(), row, events).await
}

/// Stores many new tickets with their events in one transaction (generated bench data; a
/// batch of a thousand or so).
pub async fn insert_many(db: &Db, rows: Vec<TicketRecord>, events: &[Event]) -> StoreResult<()> {
    db.transact(super::events::transaction("INSERT INTO ticket $rows;"))
        .bind(("rows", rows))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

pub async fn get(db: &Db, id: &RecordId) -> StoreResult<Option<TicketRecord>> {
    let rows: Vec<TicketRecord> = db.query("SELECT * FROM $id").bind(("id", id.clone())).await?.take(0)?;
    Ok(rows.into_iter().next())
}

/// Merges ticket `from` into `into`: `from` closed with the pointer and its history row, a note
/// on `into`; only if both are still in the statuses they were read in. `TicketChanged`
/// otherwise, and nothing written.
pub async fn merge(
    db: &Db,
    from: &RecordId,
    from_status: TicketStatus,
    into: &RecordId,
    into_status: TicketStatus,
    closed: HistoryRow,
    note: NoteRow,
    events: &[Event],
) -> StoreResult<()> {
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $a = (SELECT status, merged_into FROM ONLY $from);
             LET $b = (SELECT status, merged_into FROM ONLY $into);
             IF $a = NONE OR $b = NONE OR $a.status != $from_status OR $b.status != $into_status
                OR $a.merged_into != NONE OR $b.merged_into != NONE {{ THROW '{NOT_AS_EXPECTED}' }};
             UPDATE $from SET status = 'closed', merged_into = $into, history = array::push(history, $closed);
             UPDATE $into SET notes = array::push(notes, $note);
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("from", from.clone()))
        .bind(("into", into.clone()))
        .bind(("from_status", from_status.key().to_string()))
        .bind(("into_status", into_status.key().to_string()))
        .bind(("closed", closed))
        .bind(("note", note))
        .bind(("events", event_rows(events)))
        .await;
    match as_expected(response)? {
        Some(_) => Ok(()),
        None => Err(AppError::TicketChanged.into()),
    }
}

/// Every ticket (the ticket book at start-up).
pub async fn all(db: &Db) -> StoreResult<Vec<TicketRecord>> {
    let rows: Vec<TicketRecord> = db.query("SELECT * FROM ticket").await?.take(0)?;
    Ok(rows)
}

/// One customer's tickets (a replica taking another's change to them).
pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<TicketRecord>> {
    Ok(db.query("SELECT * FROM ticket WHERE customer = $customer").bind(("customer", customer.clone())).await?.take(0)?)
}

/// What a change sets on the ticket.
#[derive(Debug, Clone, Default, SurrealValue)]
pub struct TicketPatch {
    pub status: Option<String>,
    pub resolution: Option<String>,
    pub assignee: Option<String>,
    pub priority: Option<String>,
    /// Appended to the history when the status changes.
    pub history: Option<HistoryRow>,
    /// Appended to the notes.
    pub note: Option<NoteRow>,
    /// Set when this is the first note told to the customer.
    pub first_reply_at: Option<DateTime<Utc>>,
}

/// Applies a patch if the ticket is still in `expected` status; `TicketChanged` otherwise.
pub async fn update(db: &Db, id: &RecordId, expected: TicketStatus, patch: TicketPatch, events: &[Event]) -> StoreResult<()> {
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $now = (SELECT status, first_reply_at FROM ONLY $id);
             IF $now = NONE OR $now.status != $expected {{ THROW '{NOT_AS_EXPECTED}' }};
             UPDATE $id SET
                status = $patch.status ?? status,
                resolution = $patch.resolution ?? resolution,
                assignee = $patch.assignee ?? assignee,
                priority = $patch.priority ?? priority,
                history = IF $patch.history = NONE {{ history }} ELSE {{ array::push(history, $patch.history) }},
                notes = IF $patch.note = NONE {{ notes }} ELSE {{ array::push(notes, $patch.note) }},
                first_reply_at = first_reply_at ?? $patch.first_reply_at;
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("id", id.clone()))
        .bind(("expected", expected.key().to_string()))
        .bind(("patch", patch))
        .bind(("events", event_rows(events)))
        .await;
    match as_expected(response)? {
        Some(_) => Ok(()),
        None => Err(AppError::TicketChanged.into()),
    }
}
