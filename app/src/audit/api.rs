//! Server functions that read the audit log.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::AuditEntry;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::backend::{audit_store, customer_service, records, request::*};

/// Everything recorded about one customer: for admins and managers who can see it.
#[server(input = Json)]
pub async fn customer_history(id: String) -> Result<Vec<AuditEntry>, AppError> {
    let (state, caller) = signed_in().await?;
    if !caller.can_audit() {
        return Err(AppError::Forbidden);
    }
    let rid = records::record_id(records::CUSTOMER, &id).ok_or(AppError::NotFound)?;
    customer_service::visible(&state, &caller, &rid).await?;
    let users = state.users.clone();
    audit_store::of_customer(&state.db, &id, &|u| users.display_name(u)).await
}

/// The newest changes: all of them for an admin; for a manager, those about customers in
/// their scope.
#[server(input = Json)]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let (state, caller) = signed_in().await?;
    if !caller.can_audit() {
        return Err(AppError::Forbidden);
    }
    let users = state.users.clone();
    let entries = audit_store::recent(&state.db, 1000, &|u| users.display_name(u)).await?;
    if caller.is_admin() {
        return Ok(entries);
    }
    Ok(entries
        .into_iter()
        .filter(|e| !e.customer.is_empty())
        .filter(|e| state.directory.row(&e.customer).is_some_and(|r| caller.can_view(&r.owner, &r.region)))
        .take(300)
        .collect())
}
