//! `/api/v1/reminders`: the token's user's reminders (due and coming up), and handling one —
//! done, dismissed or snoozed — through the reminder center's service, so rights, the audit
//! log and the live badge are the page's.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kehu_backend::reminders::center;
use kehu_domain::error::AppError;
use kehu_domain::problem::{FieldError, Problem};
use kehu_domain::reminders::types::{Reminder, ReminderAction, ReminderKind};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiCaller;
use super::problem::{json_body, plain, problem, ProblemDetails};
use super::ApiState;

/// One reminder.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiReminder {
    /// The rule's stable key (use it, URL-encoded, to handle the reminder).
    pub id: String,
    /// `birthday`, `care_date`, `renewal`, `silent_vip`, `next_step`, `after_sales`, `churn`,
    /// `repurchase`, `season`, `sla` or `target`.
    pub kind: String,
    /// Empty for a target's reminder.
    pub customer_id: String,
    pub customer_name: String,
    pub subject: String,
    pub due: DateTime<Utc>,
    pub snoozed: bool,
}

impl From<&Reminder> for ApiReminder {
    fn from(r: &Reminder) -> Self {
        ApiReminder {
            id: r.id.clone(),
            kind: r.kind.as_str().to_string(),
            customer_id: r.customer_id.clone(),
            customer_name: r.customer_name.clone(),
            subject: r.subject.clone(),
            due: r.due,
            snoozed: r.snoozed,
        }
    }
}

/// The first of what is due (oldest first) and of what comes in the next weeks.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReminderList {
    pub due: Vec<ApiReminder>,
    pub upcoming: Vec<ApiReminder>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReminderParams {
    /// Only reminders of this kind (see `kind` of a reminder).
    pub kind: Option<String>,
}

/// What to do with a reminder.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    Done,
    Dismiss,
    Snooze,
}

/// How a reminder is handled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleReminder {
    pub action: Handling,
    /// For `snooze`: when it is due again (RFC 3339), within a year.
    pub until: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/reminders", tag = "reminders", params(ReminderParams),
    responses((status = 200, body = ReminderList), (status = 422, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn list(State(api): State<ApiState>, caller: ApiCaller, params: Result<Query<ReminderParams>, axum::extract::rejection::QueryRejection>) -> Response {
    let Ok(Query(params)) = params else { return plain(StatusCode::BAD_REQUEST, "the query parameters are not understood") };
    let only = match params.kind.as_deref().filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => match ReminderKind::parse(k) {
            Some(kind) => Some(kind),
            None => return problem(&AppError::Invalid(vec![FieldError::new("kind", Problem::UnknownChoice)]), caller.lang),
        },
    };
    match center::mine(&api.state, &caller.grant.caller, only).await {
        Ok(mine) => axum::Json(ReminderList { due: mine.due.iter().map(Into::into).collect(), upcoming: mine.upcoming.iter().map(Into::into).collect() }).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/reminders/{id}", tag = "reminders", request_body = HandleReminder, params(("id" = String, Path)),
    responses((status = 204, description = "Handled (or handled already)"), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn handle(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, body: Bytes) -> Response {
    let request: HandleReminder = match json_body(&body, "a reminder action") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let action = match (request.action, request.until) {
        (Handling::Done, _) => ReminderAction::Done,
        (Handling::Dismiss, _) => ReminderAction::Dismiss,
        // The center takes the local time a person types; the API takes an instant.
        (Handling::Snooze, Some(until)) => {
            ReminderAction::Snooze { until: until.with_timezone(&api.state.policy.offset.0).format("%Y-%m-%dT%H:%M").to_string() }
        }
        (Handling::Snooze, None) => return problem(&AppError::Invalid(vec![FieldError::new("until", Problem::Required)]), caller.lang),
    };
    match center::act(&api.state, &caller.grant.caller, &id, &action, None).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}
