//! A ticket as it is first stored, and the read model of who holds a customer's tickets —
//! shared by whatever opens tickets: a person, a low survey score, a won deal.

use kehu_domain::service::tickets::TicketStatus;
use kehu_domain::service::types::NewTicket;

use crate::state::AppState;
use crate::store::ids::{key_of, new_id};
use crate::store::tickets::{self as store, HistoryRow, TicketRecord, TICKET};

/// A new ticket as stored: status new, its history begun.
pub fn new_record(customer: surrealdb::types::RecordId, new: &NewTicket, created_by: &str, now: chrono::DateTime<chrono::Utc>) -> TicketRecord {
    TicketRecord {
        id: new_id(TICKET),
        customer,
        title: new.title.clone(),
        description: new.description.clone(),
        kind: new.kind.key().into(),
        priority: new.priority.key().into(),
        status: TicketStatus::New.key().into(),
        category: new.category.clone(),
        assignee: new.assignee.clone(),
        resolution: String::new(),
        created_by: created_by.to_string(),
        created_at: now,
        first_reply_at: None,
        history: vec![HistoryRow { status: TicketStatus::New.key().into(), at: now }],
        notes: Vec::new(),
        merged_into: None,
    }
}

/// The customer's ticket holders again, for the service role's sight. On failure the old
/// entry stays (logged) until the next start.
pub async fn holders_changed(state: &AppState, customer: &surrealdb::types::RecordId) {
    match store::holders_of(&state.db, customer).await {
        Ok(holders) => state.ticket_holders.set(&key_of(customer), holders),
        Err(e) => tracing::warn!("reading the ticket holders of {} failed: {e}", key_of(customer)),
    }
}
