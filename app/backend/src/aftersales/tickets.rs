//! Service tickets (工单) for a signed-in caller. A ticket is reached through its customer:
//! whoever may see the customer sees its tickets and may open one (a rep hands a problem to
//! service in one step); whoever may change the customer, or the ticket's assignee, works it.
//! Every change is an event about the customer, so it shows on the customer's timeline.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::Role;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};
use kehu_domain::service::types::{validate_ticket, queue_order, QueueScope, Ticket, TicketAction, TicketFormOptions, TicketInput, NOTE_MAX};
use kehu_domain::check::Check;
use kehu_domain::customers::types::CustomerRow;

use crate::access::{self, Need};
use crate::events::Event;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, new_id, record_id};
use crate::store::service_settings;
use crate::store::tickets::{self as store, HistoryRow, NoteRow, TicketPatch, TicketRecord, TICKET};

use super::views::{labels, view, views_of};

/// The ticket form's menus: the complaint categories, and whom the caller may give a ticket
/// to (by the same rule as [`check_assignee`]).
pub async fn form_options(state: &AppState, caller: &Caller) -> AppResult<TicketFormOptions> {
    let assignees = state
        .users
        .all()
        .into_iter()
        .filter(|u| check_assignee(caller, state, &u.username).is_ok())
        .map(|u| (u.username, u.display_name))
        .collect();
    Ok(TicketFormOptions { categories: service_settings::current(&state.db).await?.categories, assignees })
}

/// Someone the ticket may be given to: an active user the caller may know of, or any active
/// manager or admin — a rep hands a problem on to whoever handles service, not only within
/// their own book.
fn check_assignee(caller: &Caller, state: &AppState, username: &str) -> AppResult<()> {
    if username.is_empty() {
        return Ok(());
    }
    let fits = state.users.get(username).is_some_and(|u| u.user.active && (u.user.role != Role::Rep || access::knows_user(caller, username)));
    if fits {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new("assignee", Problem::UnknownChoice)]))
    }
}

/// A customer's tickets, newest first.
pub async fn of_customer(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<Ticket>> {
    let row = access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let records = store::of_customer(&state.db, &rid).await?;
    Ok(records.into_iter().filter_map(|r| view(state, &settings, r, &row.name, &labels(&row), now)).collect())
}

/// Most open tickets a queue shows at once, the most urgent first.
pub const QUEUE_MAX: usize = 500;

/// The service queue: open tickets given to the caller, given to nobody, or all the caller
/// may see (their customers' and those given to them), the most urgent first.
pub async fn queue(state: &AppState, caller: &Caller, scope: QueueScope) -> AppResult<Vec<Ticket>> {
    let me = caller.user.username.as_str();
    let records = match scope {
        QueueScope::Mine => store::open_of_assignee(&state.db, me).await?,
        QueueScope::Unassigned => store::open_of_assignee(&state.db, "").await?,
        QueueScope::All => store::open(&state.db).await?,
    };
    let team = access::ticket_people(state, caller);
    let visible: Vec<TicketRecord> = {
        let rows = state.directory.rows();
        records
            .into_iter()
            .filter(|r| team.contains(&r.assignee) || rows.get(&r.customer_key()).is_some_and(|row| access::sees(caller, &row.owner, &row.region)))
            .collect()
    };
    let mut list = views_of(state, visible).await?;
    list.sort_by(queue_order);
    list.truncate(QUEUE_MAX);
    Ok(list)
}

/// Opens a ticket on a customer the caller may see.
pub async fn open(state: &AppState, caller: &Caller, customer: &str, input: &TicketInput) -> AppResult<Ticket> {
    let row = access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let settings = service_settings::current(&state.db).await?;
    let new = validate_ticket(input, &settings.categories).map_err(AppError::Invalid)?;
    check_assignee(caller, state, &new.assignee)?;
    let now = state.clock.now();
    let record = new_record(rid, &new.title, &new.description, new.kind, new.priority, &new.category, &new.assignee, &caller.user.username, now);
    let event = Event::by(caller, EventKind::TicketOpened, now)
        .about(customer, &row.name)
        .change("ticket", "", format!("{} · {}", new.title, new.kind.key()))
        .change("assignee", "", new.assignee);
    store::insert(&state.db, record.clone(), &[event]).await?;
    holders_changed(state, &record.customer).await;
    let id = key_of(&record.id);
    super::sla_watch::after_change(state, &id).await;
    view(state, &settings, record, &row.name, &labels(&row), now).ok_or(AppError::NotFound)
}

/// A new ticket as stored: status new, its history begun.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_record(
    customer: surrealdb::types::RecordId,
    title: &str,
    description: &str,
    kind: TicketKind,
    priority: Priority,
    category: &str,
    assignee: &str,
    created_by: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> TicketRecord {
    TicketRecord {
        id: new_id(TICKET),
        customer,
        title: title.to_string(),
        description: description.to_string(),
        kind: kind.key().into(),
        priority: priority.key().into(),
        status: TicketStatus::New.key().into(),
        category: category.to_string(),
        assignee: assignee.to_string(),
        resolution: String::new(),
        created_by: created_by.to_string(),
        created_at: now,
        first_reply_at: None,
        history: vec![HistoryRow { status: TicketStatus::New.key().into(), at: now }],
        notes: Vec::new(),
    }
}

/// The customer's ticket holders again, for the service role's sight. On failure the old
/// entry stays (logged) until the next start.
pub(crate) async fn holders_changed(state: &AppState, customer: &surrealdb::types::RecordId) {
    match store::holders_of(&state.db, customer).await {
        Ok(holders) => state.ticket_holders.set(&key_of(customer), holders),
        Err(e) => tracing::warn!("reading the ticket holders of {} failed: {e}", key_of(customer)),
    }
}

/// One ticket, if the caller may see its customer.
pub async fn get(state: &AppState, caller: &Caller, ticket: &str) -> AppResult<Ticket> {
    let (record, row) = load(state, caller, ticket, Need::See).await?;
    let settings = service_settings::current(&state.db).await?;
    view(state, &settings, record, &row.name, &labels(&row), state.clock.now()).ok_or(AppError::NotFound)
}

async fn load(state: &AppState, caller: &Caller, ticket: &str, need: Need) -> AppResult<(TicketRecord, CustomerRow)> {
    let tid = record_id(TICKET, ticket).ok_or(AppError::NotFound)?;
    let record = store::get(&state.db, &tid).await?.ok_or(AppError::NotFound)?;
    let customer = record.customer_key();
    // The assignee sees and works the ticket whoever owns the customer: service is handed
    // problems from every rep's book. A service agent works their team's and unassigned
    // tickets too.
    let holds = access::ticket_people(state, caller).contains(&record.assignee);
    let row = if holds {
        state.directory.row(&customer).ok_or(AppError::NotFound)?
    } else {
        access::customer(state, caller, &customer, need)?
    };
    Ok((record, row))
}

/// Works a ticket: moves its status, gives it to someone, changes its priority or adds a note.
pub async fn act(state: &AppState, caller: &Caller, ticket: &str, action: &TicketAction) -> AppResult<Ticket> {
    let (record, row) = load(state, caller, ticket, Need::Change).await?;
    let status = record.status().ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    let event = Event::by(caller, EventKind::TicketUpdated, now).about(&row.id, &row.name).change("ticket", "", record.title.clone());
    let (patch, event) = match action {
        TicketAction::Move { status: to, resolution } => {
            if !status.can_move_to(*to) {
                return Err(AppError::Invalid(vec![FieldError::new("status", Problem::UnknownChoice)]));
            }
            let mut c = Check::default();
            let resolution = c.text("resolution", resolution, NOTE_MAX, *to == TicketStatus::Solved);
            c.finish(()).map_err(AppError::Invalid)?;
            let patch = TicketPatch {
                status: Some(to.key().into()),
                resolution: (*to == TicketStatus::Solved).then(|| resolution.clone()),
                history: Some(HistoryRow { status: to.key().into(), at: now }),
                ..TicketPatch::default()
            };
            let field = if status.is_reopening(*to) { "reopened" } else { "status" };
            (patch, event.change(field, status.key(), to.key()).change("resolution", "", resolution))
        }
        TicketAction::Assign { assignee } => {
            let assignee = assignee.trim().to_string();
            check_assignee(caller, state, &assignee)?;
            let patch = TicketPatch { assignee: Some(assignee.clone()), ..TicketPatch::default() };
            (patch, event.change("assignee", record.assignee.clone(), assignee))
        }
        TicketAction::Prioritise { priority } => {
            let patch = TicketPatch { priority: Some(priority.key().into()), ..TicketPatch::default() };
            (patch, event.change("priority", record.priority.clone(), priority.key()))
        }
        TicketAction::Note { body, to_customer } => {
            let mut c = Check::default();
            let body = c.text("body", body, NOTE_MAX, true);
            c.finish(()).map_err(AppError::Invalid)?;
            let patch = TicketPatch {
                note: Some(NoteRow { author: caller.user.username.clone(), at: now, body: body.clone(), to_customer: *to_customer }),
                first_reply_at: to_customer.then_some(now),
                ..TicketPatch::default()
            };
            let kind_field = if *to_customer { "reply" } else { "note" };
            let event = Event::by(caller, EventKind::TicketNoteAdded, now).about(&row.id, &row.name).change("ticket", "", record.title.clone());
            (patch, event.change(kind_field, "", body))
        }
    };
    let tid = record.id.clone();
    store::update(&state.db, &tid, status, patch, &[event]).await?;
    if matches!(action, TicketAction::Assign { .. }) {
        holders_changed(state, &record.customer).await;
    }
    super::sla_watch::after_change(state, &key_of(&tid)).await;
    if matches!(action, TicketAction::Move { status: TicketStatus::Solved, .. }) {
        super::surveys::after_solved(state, &caller.user.username, &record, &row.name).await;
    }
    get(state, caller, &key_of(&tid)).await
}
