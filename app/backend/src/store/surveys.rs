//! SurrealDB queries for satisfaction surveys. An answer is written only while the survey is
//! open (not answered, not expired) — two submits racing leave one answer — together with
//! the complaint ticket a low score opens and the events, in one transaction.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use kehu_domain::service::survey_rules::{state_of, SurveyEntry};
use kehu_domain::service::surveys::SurveyKind;

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{create_with, rows as event_rows, APPEND};
use super::guard::{as_expected, NOT_AS_EXPECTED};
use super::ids::key_of;
use super::tickets::TicketRecord;
use crate::events::Event;

pub const SURVEY: &str = "survey";

#[derive(Debug, Clone, SurrealValue)]
pub struct SurveyRecord {
    pub id: RecordId,
    pub token: String,
    pub customer: RecordId,
    pub kind: String,
    pub ticket: Option<RecordId>,
    pub about: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub sent_to: String,
    pub answered_at: Option<DateTime<Utc>>,
    pub score: Option<i64>,
    pub reason: String,
    pub comment: String,
    pub complaint: Option<RecordId>,
    /// The after-sales plan step it was sent for (`care:{deal}:…`), if a plan sent it.
    pub plan_step: Option<String>,
}

impl SurveyRecord {
    pub fn kind(&self) -> Option<SurveyKind> {
        SurveyKind::from_key(&self.kind)
    }

    pub fn score(&self) -> Option<u8> {
        self.score.and_then(|s| u8::try_from(s).ok())
    }

    pub fn customer_key(&self) -> String {
        key_of(&self.customer)
    }

    pub fn entry(&self, now: DateTime<Utc>) -> Option<SurveyEntry> {
        Some(SurveyEntry {
            id: key_of(&self.id),
            kind: self.kind()?,
            state: state_of(self.answered_at.is_some(), self.expires_at, now),
            about: self.about.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
            sent_to: self.sent_to.clone(),
            score: self.score(),
            reason: self.reason.clone(),
            comment: self.comment.clone(),
            answered_at: self.answered_at,
            path: String::new(),
            url: String::new(),
            qr_svg: String::new(),
        })
    }
}

pub async fn insert(db: &Db, row: SurveyRecord, events: &[Event]) -> StoreResult<()> {
    create_with(db, row.id.clone(), row, events).await
}

pub async fn by_token(db: &Db, token: &str) -> StoreResult<Option<SurveyRecord>> {
    let rows: Vec<SurveyRecord> =
        db.query("SELECT * FROM survey WHERE token = $wanted LIMIT 1").bind(("wanted", token.to_string())).await?.take(0)?;
    Ok(rows.into_iter().next())
}

/// A customer's surveys, newest first.
pub async fn of_customer(db: &Db, customer: &RecordId) -> StoreResult<Vec<SurveyRecord>> {
    let rows: Vec<SurveyRecord> = db
        .query("SELECT * FROM survey WHERE customer = $customer ORDER BY created_at DESC")
        .bind(("customer", customer.clone()))
        .await?
        .take(0)?;
    Ok(rows)
}

/// Every survey (the satisfaction figures, the response rate and the complaint analysis).
pub async fn all(db: &Db) -> StoreResult<Vec<SurveyRecord>> {
    let rows: Vec<SurveyRecord> = db.query("SELECT * FROM survey").await?.take(0)?;
    Ok(rows)
}

/// Notes the address the survey was mailed to, with the event saying so.
pub async fn mailed(db: &Db, id: &RecordId, address: &str, events: &[Event]) -> StoreResult<()> {
    db.transact(super::events::transaction("UPDATE $id SET sent_to = $address;"))
        .bind(("id", id.clone()))
        .bind(("address", address.to_string()))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}

/// What an answer writes.
#[derive(Debug, Clone, SurrealValue)]
pub struct AnswerRow {
    pub answered_at: DateTime<Utc>,
    pub score: i64,
    pub reason: String,
    pub comment: String,
}

/// Records the answer if the survey is still open at `answer.answered_at`, with the complaint
/// ticket a low score opens; false if it was answered or expired meanwhile (nothing written).
pub async fn answer(db: &Db, id: &RecordId, answer: AnswerRow, complaint: Option<TicketRecord>, events: &[Event]) -> StoreResult<bool> {
    let complaint_id = complaint.as_ref().map(|t| t.id.clone());
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $done = (UPDATE $id SET answered_at = $row.answered_at, score = $row.score, reason = $row.reason,
                 comment = $row.comment, complaint = $complaint_id
                 WHERE answered_at = NONE AND expires_at > $row.answered_at RETURN AFTER);
             IF array::len($done) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             IF $complaint != NONE {{ CREATE $complaint_id CONTENT $complaint }};
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("id", id.clone()))
        .bind(("row", answer))
        .bind(("complaint_id", complaint_id))
        .bind(("complaint", complaint))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}
