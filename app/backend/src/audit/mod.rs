//! The audit log (admins and managers), read from the event log: everything recorded about
//! one customer, and the newest changes the reader may see.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::AuditEntry;
use kehu_domain::error::AppResult;

use crate::access::{self, Need};
use crate::state::AppState;
use crate::store::events as store;

/// Entries the whole log page shows at most, newest first.
const LOG_LIMIT: usize = 1000;
/// What a manager sees of them, after the ones outside their scope are left out.
const MANAGER_LIMIT: usize = 300;

/// Everything recorded about one customer: for admins and managers who can see it.
pub async fn customer_history(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<AuditEntry>> {
    access::manager(caller)?;
    access::customer(state, caller, id, Need::See)?;
    let users = state.users.clone();
    Ok(store::of_customer(&state.db, id, &|u| users.display_name(u)).await?)
}

/// The newest changes: all of them for an admin; for a manager, those about customers in
/// their scope.
pub async fn log(state: &AppState, caller: &Caller) -> AppResult<Vec<AuditEntry>> {
    access::manager(caller)?;
    let users = state.users.clone();
    let entries = store::recent(&state.db, LOG_LIMIT, &|u| users.display_name(u)).await?;
    if caller.is_admin() {
        return Ok(entries);
    }
    Ok(entries
        .into_iter()
        .filter(|e| !e.customer.is_empty())
        .filter(|e| access::customer(state, caller, &e.customer, Need::See).is_ok())
        .take(MANAGER_LIMIT)
        .collect())
}
