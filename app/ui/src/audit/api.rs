//! Server functions that read the audit log.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::audit::types::AuditEntry;
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;

/// Everything recorded about one customer: for admins and managers who can see it.
#[server(input = Json)]
pub async fn customer_history(id: String) -> Result<Vec<AuditEntry>, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::audit::customer_history(&state, &caller, &id).await
}

/// The newest changes: all of them for an admin; for a manager, those about customers in
/// their scope.
#[server(input = Json)]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::audit::log(&state, &caller).await
}
