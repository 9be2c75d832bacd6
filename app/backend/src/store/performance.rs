//! What the performance book is built from at start (and after bulk writes): the closed
//! deals with who owned them when they closed, their contracts' amounts and payments, each
//! deal's first quote, and the follow-ups with who logged them. One round trip.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;
use super::ids::key_of;

/// The touchpoint kinds that are a person's follow-up (not a note, not the customer's own
/// web visit or download).
pub const FOLLOW_UP_KINDS: [&str; 4] = ["call", "visit", "email", "chat"];

/// A closed deal as performance counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedDeal {
    pub id: String,
    pub customer: String,
    /// Who it is credited to: its customer's owner when it closed (today's owner for deals
    /// closed before that was kept).
    pub person: String,
    pub won: bool,
    pub created: NaiveDate,
    pub closed: NaiveDate,
    /// The contract's amount when there is one, else the deal's.
    pub amount: i64,
    /// Payments received: (day, amount).
    pub payments: Vec<(NaiveDate, i64)>,
    /// When its first quote was made.
    pub first_quote: Option<NaiveDate>,
}

/// A follow-up as performance counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    /// The touchpoint's key: the same follow-up given twice is counted once.
    pub id: String,
    pub customer: String,
    /// Who logged it (a username): its `by`, else the user with its author's name, else the
    /// customer's owner now.
    pub person: String,
    pub at: DateTime<Utc>,
    pub visit: bool,
}

#[derive(Debug, SurrealValue)]
struct DealRow {
    id: RecordId,
    customer: RecordId,
    status: String,
    amount_cents: i64,
    created_at: DateTime<Utc>,
    closed_at: DateTime<Utc>,
    owner_at_close: Option<String>,
    owner_now: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct PaymentRow {
    received_on: DateTime<Utc>,
    amount_cents: i64,
}

#[derive(Debug, SurrealValue)]
struct ContractRow {
    deal: RecordId,
    amount_cents: i64,
    payments: Vec<PaymentRow>,
}

#[derive(Debug, SurrealValue)]
struct QuoteRow {
    deal: RecordId,
    first: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct TouchRow {
    id: RecordId,
    customer: RecordId,
    kind: String,
    at: DateTime<Utc>,
    by: Option<String>,
    author: String,
    owner_now: Option<String>,
}

/// Every closed deal, or `only` these (after a change to one).
pub async fn closed_deals(db: &Db, only: Option<&RecordId>) -> StoreResult<Vec<ClosedDeal>> {
    let (deal_is, of_deal) = if only.is_some() { (" AND id = $only", " WHERE deal = $only") } else { ("", "") };
    let sql = format!(
        "SELECT id, customer, status, amount_cents, created_at, closed_at, owner_at_close, customer.owner AS owner_now
             FROM deal WHERE status != 'open' AND closed_at != NONE{deal_is};
         SELECT deal, amount_cents, payments FROM contract{of_deal};
         SELECT deal, time::min(created_at) AS first FROM quote{of_deal} GROUP BY deal;"
    );
    let mut response = db.query(sql).bind(("only", only.cloned())).await?;
    let deals: Vec<DealRow> = response.take(0)?;
    let contracts: Vec<ContractRow> = response.take(1)?;
    let quotes: Vec<QuoteRow> = response.take(2)?;
    let mut contracts: HashMap<String, ContractRow> = contracts.into_iter().map(|c| (key_of(&c.deal), c)).collect();
    let quotes: HashMap<String, NaiveDate> = quotes.into_iter().map(|q| (key_of(&q.deal), q.first.date_naive())).collect();
    Ok(deals
        .into_iter()
        .map(|d| {
            let id = key_of(&d.id);
            let contract = contracts.remove(&id);
            ClosedDeal {
                customer: key_of(&d.customer),
                person: d.owner_at_close.filter(|o| !o.is_empty()).or(d.owner_now).unwrap_or_default(),
                won: d.status == "won",
                created: d.created_at.date_naive(),
                closed: d.closed_at.date_naive(),
                amount: contract.as_ref().map(|c| c.amount_cents).filter(|a| *a > 0).unwrap_or(d.amount_cents),
                payments: contract.map(|c| c.payments.into_iter().map(|p| (p.received_on.date_naive(), p.amount_cents)).collect()).unwrap_or_default(),
                first_quote: quotes.get(&id).copied(),
                id,
            }
        })
        .collect())
}

/// Every follow-up, or `only` one customer's; `who` turns a display name into a username.
pub async fn follow_ups(db: &Db, only: Option<&RecordId>, who: impl Fn(&str) -> Option<String>) -> StoreResult<Vec<FollowUp>> {
    let of_customer = if only.is_some() { " AND customer = $only" } else { "" };
    let rows: Vec<TouchRow> = db
        .query(format!("SELECT id, customer, kind, at, by, author, customer.owner AS owner_now FROM touchpoint WHERE kind IN $kinds{of_customer}"))
        .bind(("kinds", FOLLOW_UP_KINDS.map(String::from).to_vec()))
        .bind(("only", only.cloned()))
        .await?
        .take(0)?;
    Ok(rows
        .into_iter()
        .map(|r| FollowUp {
            id: key_of(&r.id),
            customer: key_of(&r.customer),
            person: r.by.filter(|b| !b.is_empty()).or_else(|| who(&r.author)).or(r.owner_now).unwrap_or_default(),
            at: r.at,
            visit: r.kind == "visit",
        })
        .collect())
}
