//! `/api/v1/tickets`: service tickets (工单) — the caller's queue, a customer's tickets, one
//! ticket with its SLA clocks, opening one (`Idempotency-Key`), and working it (a note, a
//! new status, a new assignee) — through the after-sales service, so the SLA clocks, the
//! rights of service agents and the audit log are the pages'.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kehu_backend::aftersales::tickets as service;
use kehu_domain::error::AppError;
use kehu_domain::problem::{FieldError, Problem};
use kehu_domain::service::sla::{ClockState, SlaClock};
use kehu_domain::service::tickets::{Priority, TicketStatus};
use kehu_domain::service::types::{QueueScope, Ticket, TicketAction, TicketInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created, WithLocation};
use super::problem::{json_body, plain, problem, ProblemDetails};
use super::paging::{page_of, PageParams, Paging};
use super::ApiState;

/// An SLA clock, counted in working minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClock {
    pub target_minutes: i64,
    pub used_minutes: i64,
    /// `running`, `warning`, `paused`, `met` or `breached`.
    pub state: String,
    pub deadline: Option<DateTime<Utc>>,
}

impl From<&SlaClock> for ApiClock {
    fn from(c: &SlaClock) -> Self {
        let state = match c.state {
            ClockState::Running => "running",
            ClockState::Warning => "warning",
            ClockState::Paused => "paused",
            ClockState::Met => "met",
            ClockState::Breached => "breached",
        };
        ApiClock { target_minutes: c.target_minutes, used_minutes: c.used_minutes, state: state.into(), deadline: c.deadline }
    }
}

/// A service ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTicket {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    pub description: String,
    /// `question`, `incident`, `complaint`, `installation` or `return`.
    pub kind: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// `new`, `in_progress`, `waiting_customer`, `solved` or `closed`.
    pub status: String,
    pub category: String,
    /// The assignee's username; empty while in the service queue.
    pub assignee: String,
    pub resolution: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub first_reply_at: Option<DateTime<Utc>>,
    /// The SLA policy that holds; empty when none fits.
    pub sla_name: String,
    pub first_response: Option<ApiClock>,
    pub resolution_clock: Option<ApiClock>,
    pub notes: Vec<ApiNote>,
}

/// A note on a ticket.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiNote {
    pub author: String,
    pub at: DateTime<Utc>,
    pub body: String,
    /// A reply to the customer (stops the first-response clock), else internal.
    pub to_customer: bool,
}

impl From<&Ticket> for ApiTicket {
    fn from(t: &Ticket) -> Self {
        ApiTicket {
            id: t.id.clone(),
            customer_id: t.customer_id.clone(),
            customer_name: t.customer_name.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            kind: t.kind.key().into(),
            priority: t.priority.key().into(),
            status: t.status.key().into(),
            category: t.category.clone(),
            assignee: t.assignee.clone(),
            resolution: t.resolution.clone(),
            created_by: t.created_by.clone(),
            created_at: t.created_at,
            first_reply_at: t.first_reply_at,
            sla_name: t.sla_name.clone(),
            first_response: t.first_response.as_ref().map(ApiClock::from),
            resolution_clock: t.resolution_clock.as_ref().map(ApiClock::from),
            notes: t.notes.iter().map(|n| ApiNote { author: n.author.clone(), at: n.at, body: n.body.clone(), to_customer: n.to_customer }).collect(),
        }
    }
}

page_of!(TicketList, ApiTicket, "A page of tickets.");

/// Which open tickets.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Mine,
    Unassigned,
    All,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// `mine` (the default), `unassigned` or `all` the caller may see; most urgent first.
    #[param(inline)]
    pub scope: Option<Scope>,
}

/// A new ticket.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTicket {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `question`, `incident`, `complaint`, `installation` or `return`.
    pub kind: String,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// Required for complaints.
    #[serde(default)]
    pub category: String,
    /// A username, `@team` for its least busy member, or empty for the service queue.
    #[serde(default)]
    pub assignee: String,
    /// One of the customer's orders the ticket is about.
    #[serde(default)]
    pub order_id: String,
}

/// Work on a ticket: exactly one of `note`, `status`, `assignee`, `priority`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkTicket {
    /// A note; with `to_customer` a reply to the customer.
    pub note: Option<String>,
    #[serde(default)]
    pub to_customer: bool,
    /// `new`, `in_progress`, `waiting_customer`, `solved` or `closed`.
    pub status: Option<String>,
    /// With `status` `solved`: how it was solved.
    #[serde(default)]
    pub resolution: String,
    pub assignee: Option<String>,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: Option<String>,
}

fn invalid(field: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, Problem::UnknownChoice)])
}

impl WorkTicket {
    fn action(self) -> Result<TicketAction, AppError> {
        match (self.note, self.status, self.assignee, self.priority) {
            (Some(body), None, None, None) => Ok(TicketAction::Note { body, to_customer: self.to_customer }),
            (None, Some(status), None, None) => {
                let status = TicketStatus::from_key(&status).ok_or_else(|| invalid("status"))?;
                Ok(TicketAction::Move { status, resolution: self.resolution })
            }
            (None, None, Some(assignee), None) => Ok(TicketAction::Assign { assignee }),
            (None, None, None, Some(priority)) => Ok(TicketAction::Prioritise { priority: Priority::from_key(&priority).ok_or_else(|| invalid("priority"))? }),
            _ => Err(AppError::Invalid(vec![FieldError::new("action", Problem::Required)])),
        }
    }
}

fn list(result: Result<Vec<Ticket>, AppError>, page: &PageParams, caller: &ApiCaller) -> Response {
    match result.and_then(|tickets| page.cut(&tickets, |t| ApiTicket::from(t))) {
        Ok(paged) => axum::Json(TicketList::from(paged)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets", params(QueueParams, PageParams),
    responses((status = 200, body = TicketList), (status = 403, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn queue(State(api): State<ApiState>, caller: ApiCaller, params: Result<Query<QueueParams>, axum::extract::rejection::QueryRejection>, Paging(page): Paging) -> Response {
    let Ok(Query(params)) = params else { return plain(StatusCode::BAD_REQUEST, "the query parameters are not understood (scope is mine, unassigned or all)") };
    let scope = match params.scope {
        None | Some(Scope::Mine) => QueueScope::Mine,
        Some(Scope::Unassigned) => QueueScope::Unassigned,
        Some(Scope::All) => QueueScope::All,
    };
    list(service::queue(&api.state, &caller.grant.caller, scope).await, &page, &caller)
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/tickets", tag = "tickets", params(("id" = String, Path), PageParams),
    responses((status = 200, body = TicketList), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn of_customer(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, Paging(page): Paging) -> Response {
    list(service::of_customer(&api.state, &caller.grant.caller, &id).await, &page, &caller)
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = String, Path)),
    responses((status = 200, body = ApiTicket), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn get(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::get(&api.state, &caller.grant.caller, &id).await {
        Ok(ticket) => axum::Json(ApiTicket::from(&ticket)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/tickets", tag = "tickets", request_body = NewTicket,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the ticket is opened once")),
    responses((status = 201, body = ApiTicket, headers(("Location" = String))), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn open(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text, customer) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: NewTicket = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new ticket: {e}")))?;
        let input = TicketInput {
            title: new.title,
            description: new.description,
            kind: new.kind,
            priority: new.priority,
            category: new.category,
            assignee: new.assignee,
            order_id: new.order_id,
        };
        let ticket = service::open(&state, &who, &customer, &input).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(ApiTicket::from(&ticket))).into_response().with_location(format!("/api/v1/tickets/{}", ticket.id)))
    };
    idempotent(&api, &caller, &headers, &format!("POST /api/v1/customers/{id}/tickets"), &body, work).await
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}", tag = "tickets", request_body = WorkTicket, params(("id" = String, Path)),
    responses((status = 200, body = ApiTicket), (status = 404, body = ProblemDetails), (status = 409, body = ProblemDetails, description = "Closed or merged meanwhile"), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn work(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, body: Bytes) -> Response {
    let request: WorkTicket = match json_body(&body, "work on a ticket") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let action = match request.action() {
        Ok(a) => a,
        Err(e) => return problem(&e, caller.lang),
    };
    match service::act(&api.state, &caller.grant.caller, &id, &action).await {
        Ok(ticket) => axum::Json(ApiTicket::from(&ticket)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}
