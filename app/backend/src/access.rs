//! Who may see and change what — the one place services ask.
//!
//! The rule itself is the domain's (`Scope` and `Caller` in `kehu_domain::accounts::rules`):
//! an admin sees everything; a manager their team's customers, their region's and the pool;
//! a rep their own and the pool; a rep changes only their own. This module applies it to
//! customers by id (everything that hangs off a customer — deals, orders, reminders,
//! do-not-disturb windows, care dates, its history — is reached through its customer), to
//! the customers a caller may aggregate over, and to the users a caller may give customers to.
//!
//! A customer outside the caller's scope is "not found" rather than "forbidden", which would
//! confirm that it exists. The answer comes from the directory, which every committed change
//! updates before the service answers (see `events::follow`).

use kehu_domain::accounts::rules::Caller;
use kehu_domain::customers::types::CustomerRow;
use kehu_domain::error::{AppError, AppResult};

use crate::state::AppState;

/// What the caller wants to do with a customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    See,
    Change,
}

/// The customer's directory row if the caller may do `need` with it: `NotFound` if they may
/// not see it, `Forbidden` if they may see but not change it (a pool customer before it is
/// claimed).
pub fn customer(state: &AppState, caller: &Caller, id: &str, need: Need) -> AppResult<CustomerRow> {
    let row = state.directory.row(id).ok_or(AppError::NotFound)?;
    // Whoever has a ticket of the customer sees (only sees) it, to work the ticket beside the
    // profile; a service agent also for their team's tickets and those given to nobody yet.
    if !caller.can_view(&row.owner, &row.region) && holds_ticket(state, caller, id) {
        return if need == Need::See { Ok(row) } else { Err(AppError::Forbidden) };
    }
    check(caller, &row, need)?;
    Ok(row)
}

/// The assignees whose tickets the caller works: their own; a service agent also their team
/// mates' and those given to nobody yet ("") — the service desk's to take.
pub fn ticket_people(state: &AppState, caller: &Caller) -> std::collections::BTreeSet<String> {
    let mut people: std::collections::BTreeSet<String> = [caller.user.username.clone()].into();
    if caller.is_service() {
        people.insert(String::new());
        if caller.user.team.is_some() {
            people.extend(state.users.all().into_iter().filter(|u| u.team == caller.user.team).map(|u| u.username));
        }
    }
    people
}

/// Whether a ticket of the customer is one the caller works (see [`ticket_people`]).
pub fn holds_ticket(state: &AppState, caller: &Caller, customer: &str) -> bool {
    state.tickets.held_by_any(customer, &ticket_people(state, caller))
}

/// What deals are worth is not for service agents: deals, quotes, contracts, the board, the
/// funnel and the forecast answer them `Forbidden`.
pub fn money(caller: &Caller) -> AppResult<()> {
    if caller.sees_money() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The same answer for a row already at hand.
pub fn check(caller: &Caller, row: &CustomerRow, need: Need) -> AppResult<()> {
    if !caller.can_view(&row.owner, &row.region) {
        return Err(AppError::NotFound);
    }
    if need == Need::Change && !caller.can_edit(&row.owner, &row.region) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Whether the caller may see a customer owned by `owner` in `region`: for reading models
/// row by row (reports, the funnel, duplicates, the audit log).
pub fn sees(caller: &Caller, owner: &str, region: &str) -> bool {
    caller.can_view(owner, region)
}

/// Whether the caller may change a customer owned by `owner` in `region`.
pub fn changes(caller: &Caller, owner: &str, region: &str) -> bool {
    caller.can_edit(owner, region)
}

/// Every customer the caller may see, as directory rows.
pub fn visible_rows(state: &AppState, caller: &Caller) -> Vec<CustomerRow> {
    each_visible(state, caller, |rows| rows.cloned().collect())
}

/// Walks every customer the caller may see in place, without copying the rows: for pages
/// that add up over thousands of customers. It runs under the directory's read lock, so
/// `walk` should take what it needs and return (no waiting, no other read model's lock).
pub fn each_visible<R>(state: &AppState, caller: &Caller, walk: impl FnOnce(&mut dyn Iterator<Item = &CustomerRow>) -> R) -> R {
    let rows = state.directory.rows();
    let mut visible = rows.visible(&caller.scope);
    walk(&mut visible)
}

/// Whether the caller may give customers to `username` (assigning, or a new customer's owner):
/// managers to their own team, admins to anyone.
pub fn may_assign_to(caller: &Caller, username: &str) -> bool {
    caller.can_assign() && caller.scope.covers_user(username)
}

/// Whether the caller may know of `username` at all (the users list, owner menus).
pub fn knows_user(caller: &Caller, username: &str) -> bool {
    caller.is_admin() || caller.scope.covers_user(username)
}

/// Admins only: managing users, teams, the reminder rules; merging duplicates.
pub fn admin(caller: &Caller) -> AppResult<()> {
    if caller.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Admins and managers: the product catalogue, competitors, the audit log.
pub fn manager(caller: &Caller) -> AppResult<()> {
    if caller.can_audit() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Targets and progress: a rep sees their own, a manager their team's and region's, admins
/// everyone's (`NotFound` otherwise); setting is for admins, and managers for their own team
/// (`Forbidden` to someone who may only see).
pub fn target(org: &kehu_domain::targets::org::Org, caller: &Caller, holder: &kehu_domain::targets::types::Holder, need: Need) -> AppResult<()> {
    let sees = org.may_see(&caller.user, holder);
    match need {
        Need::Change if org.may_set(&caller.user, holder) => Ok(()),
        Need::Change if sees => Err(AppError::Forbidden),
        Need::See if sees => Ok(()),
        _ => Err(AppError::NotFound),
    }
}
