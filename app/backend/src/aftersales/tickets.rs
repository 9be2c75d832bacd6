//! Service tickets (工单) for a signed-in caller. A ticket is reached through its customer:
//! whoever may see the customer sees its tickets and may open one (a rep hands a problem to
//! service in one step); whoever may change the customer, or the ticket's assignee, works it.
//! Every change is an event about the customer, so it shows on the customer's timeline.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::Role;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::service::assignment::{least_busy, team_choice, team_of};
use kehu_domain::service::tickets::TicketStatus;
use kehu_domain::service::types::{validate_ticket, queue_rank, QueueScope, Ticket, TicketAction, TicketFormOptions, TicketInput, NOTE_MAX};
use kehu_domain::check::Check;
use kehu_domain::customers::types::CustomerRow;

use crate::access::{self, Need};
use crate::events::Event;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, record_id};
use crate::store::service_settings;
use crate::store::tickets::{self as store, HistoryRow, NoteRow, TicketPatch, TicketRecord};

use super::views::{labels, view};

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
    // Teams with someone in them to take a ticket.
    let teams = crate::store::accounts::teams(&state.db)
        .await?
        .into_iter()
        .filter(|t| !team_members(state, &t.id).is_empty())
        .map(|t| (team_choice(&t.id), t.name))
        .collect();
    Ok(TicketFormOptions { categories: service_settings::current(&state.db).await?.categories, assignees, teams })
}

/// Who of a team takes its tickets: its service agents, or else all its active members.
fn team_members(state: &AppState, team: &str) -> Vec<String> {
    let members: Vec<_> = state.users.all().into_iter().filter(|u| u.active && u.team.as_deref() == Some(team)).collect();
    let agents: Vec<String> = members.iter().filter(|u| u.role == Role::Service).map(|u| u.username.clone()).collect();
    if agents.is_empty() { members.into_iter().map(|u| u.username).collect() } else { agents }
}

/// The person an assignee as chosen names: a team (`@east`) becomes its least busy member;
/// a person is checked as [`check_assignee`] says.
async fn resolve_assignee(state: &AppState, caller: &Caller, chosen: &str) -> AppResult<String> {
    let Some(team) = team_of(chosen) else {
        check_assignee(caller, state, chosen)?;
        return Ok(chosen.to_string());
    };
    let members = team_members(state, team);
    let open = state.tickets.open_counts();
    least_busy(&members, &open).cloned().ok_or_else(|| AppError::Invalid(vec![FieldError::new("assignee", Problem::UnknownChoice)]))
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
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let tags = labels(&row);
    Ok(state.tickets.of_customer(customer).iter().filter_map(|r| view(state, &settings, r, &row.name, &tags, now)).collect())
}

/// Most open tickets a queue shows at once, the most urgent first.
pub const QUEUE_MAX: usize = 500;

/// The service queue: open tickets given to the caller, given to nobody, or all the caller
/// may see (their customers' and those given to them), the most urgent first.
pub async fn queue(state: &AppState, caller: &Caller, scope: QueueScope) -> AppResult<Vec<Ticket>> {
    let me = caller.user.username.as_str();
    let records = match scope {
        QueueScope::Mine => state.tickets.open_where(|r| r.assignee == me),
        QueueScope::Unassigned => state.tickets.open_where(|r| r.assignee.is_empty()),
        QueueScope::All => state.tickets.open(),
    };
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let team = access::ticket_people(state, caller);
    // Ranked by their clocks alone; only the shown ones are made into whole tickets.
    let mut ranked: Vec<_> = {
        let rows = state.directory.rows();
        records
            .into_iter()
            .filter_map(|r| {
                let row = rows.get(&r.customer_key())?;
                if !team.contains(&r.assignee) && !access::sees(caller, &row.owner, &row.region) {
                    return None;
                }
                let clocks = super::views::clocks(&settings, &r, &labels(row), now);
                Some((queue_rank(clocks.as_ref().map(|c| c.1), clocks.as_ref().map(|c| c.2), r.created_at), r, clocks))
            })
            .collect()
    };
    ranked.sort_by(|a, b| a.0.cmp(&b.0));
    ranked.truncate(QUEUE_MAX);
    let rows = state.directory.rows();
    Ok(ranked
        .into_iter()
        .filter_map(|(_, r, clocks)| super::views::shown(state, &r, &rows.get(&r.customer_key())?.name, clocks))
        .collect())
}

/// Opens a ticket on a customer the caller may see.
pub async fn open(state: &AppState, caller: &Caller, customer: &str, input: &TicketInput) -> AppResult<Ticket> {
    let row = access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let settings = service_settings::current(&state.db).await?;
    let mut new = validate_ticket(input, &settings.categories).map_err(AppError::Invalid)?;
    if !new.order_id.is_empty() && !state.orders.order_ids(customer).contains(&new.order_id) {
        return Err(AppError::Invalid(vec![FieldError::new("order_id", Problem::UnknownChoice)]));
    }
    new.assignee = resolve_assignee(state, caller, &new.assignee).await?;
    let now = state.clock.now();
    let record = super::ticket_records::new_record(rid, &new, &caller.user.username, now);
    let event = Event::by(caller, EventKind::TicketOpened, now)
        .about(customer, &row.name)
        .change("ticket", "", format!("{} · {}", new.title, new.kind.key()))
        .change("assignee", "", new.assignee);
    store::insert(&state.db, record.clone(), &[event]).await?;
    state.tickets.put(record.clone());
    let id = key_of(&record.id);
    super::sla_watch::after_change(state, &id).await;
    view(state, &settings, &record, &row.name, &labels(&row), now).ok_or(AppError::NotFound)
}

/// One ticket, if the caller may see its customer.
pub async fn get(state: &AppState, caller: &Caller, ticket: &str) -> AppResult<Ticket> {
    let (record, row) = load(state, caller, ticket, Need::See).await?;
    let settings = service_settings::current(&state.db).await?;
    view(state, &settings, &record, &row.name, &labels(&row), state.clock.now()).ok_or(AppError::NotFound)
}

async fn load(state: &AppState, caller: &Caller, ticket: &str, need: Need) -> AppResult<(TicketRecord, CustomerRow)> {
    let record = state.tickets.get(ticket).map(|r| TicketRecord::clone(&r)).ok_or(AppError::NotFound)?;
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
    if record.merged_into.is_some() {
        return Err(AppError::Invalid(vec![FieldError::new("ticket", Problem::TicketMerged)]));
    }
    let now = state.clock.now();
    if let TicketAction::Merge { into } = action {
        return merge(state, caller, record, &row, into).await;
    }
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
        TicketAction::Merge { .. } => return Err(AppError::NotFound),
        TicketAction::Assign { assignee } => {
            let assignee = resolve_assignee(state, caller, assignee.trim()).await?;
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
    super::ticket_records::stored(state, &tid).await;
    super::sla_watch::after_change(state, &key_of(&tid)).await;
    if matches!(action, TicketAction::Move { status: TicketStatus::Solved, .. }) {
        super::surveys::after_solved(state, &caller.user.username, &record, &row.name).await;
    }
    get(state, caller, &key_of(&tid)).await
}

/// Merges a ticket into another open one of the same customer: this one is closed pointing
/// there, and a note there says what was merged (its description kept).
async fn merge(state: &AppState, caller: &Caller, record: TicketRecord, row: &CustomerRow, into: &str) -> AppResult<Ticket> {
    let refuse = || AppError::Invalid(vec![FieldError::new("into", Problem::UnknownChoice)]);
    let target = state.tickets.get(into).ok_or_else(refuse)?;
    let (from_status, into_status) = (record.status().ok_or(AppError::NotFound)?, target.status().ok_or_else(refuse)?);
    if target.id == record.id || target.customer != record.customer || target.merged_into.is_some() || !into_status.is_open() || from_status == TicketStatus::Closed {
        return Err(refuse());
    }
    let now = state.clock.now();
    let body = format!("{}：{}\n{}", record.title, key_of(&record.id), record.description).trim().to_string();
    let note = NoteRow { author: caller.user.username.clone(), at: now, body: body.chars().take(NOTE_MAX).collect(), to_customer: false };
    let event = Event::by(caller, EventKind::TicketUpdated, now)
        .about(&row.id, &row.name)
        .change("ticket", "", record.title.clone())
        .change("merged_into", "", target.title.clone());
    let closed = HistoryRow { status: TicketStatus::Closed.key().into(), at: now };
    store::merge(&state.db, &record.id, from_status, &target.id, into_status, closed, note, &[event]).await?;
    super::ticket_records::stored(state, &record.id).await;
    super::ticket_records::stored(state, &target.id).await;
    super::sla_watch::after_change(state, &key_of(&record.id)).await;
    get(state, caller, &key_of(&target.id)).await
}
