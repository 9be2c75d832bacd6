//! A ticket as it is first stored, and the ticket book kept in step after a write —
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
        sales_order: (!new.order_id.is_empty()).then(|| surrealdb::types::RecordId::new(crate::store::orders::SALES_ORDER, new.order_id.clone())),
    }
}

/// The ticket book takes a ticket as it is now stored, after a write. On failure the old
/// copy stays (logged) until the next start.
pub async fn stored(state: &AppState, ticket: &surrealdb::types::RecordId) {
    match store::get(&state.db, ticket).await {
        Ok(Some(record)) => state.tickets.put(record),
        Ok(None) => tracing::warn!("ticket {} was written but is not in the store", key_of(ticket)),
        Err(e) => tracing::warn!("reading ticket {} back failed: {e}", key_of(ticket)),
    }
}
