//! `/api/v1/customers/{id}/follow-ups`: a customer's follow-ups (跟进记录: calls, visits,
//! e-mails…), newest first, and logging one (`Idempotency-Key`), timed now and signed by the
//! token's user, as on the profile page.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kehu_backend::customers::{contacts, service};
use kehu_domain::customers::types::{Touchpoint, TouchpointInput, TouchpointKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created};
use super::problem::{problem, ProblemDetails};
use super::paging::{page_of, PageParams, Paging};
use super::ApiState;

/// How the customer was reached.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpKind {
    Call,
    Visit,
    Email,
    Chat,
    WebVisit,
    Download,
    Note,
}

impl From<TouchpointKind> for FollowUpKind {
    fn from(k: TouchpointKind) -> Self {
        match k {
            TouchpointKind::Call => FollowUpKind::Call,
            TouchpointKind::Visit => FollowUpKind::Visit,
            TouchpointKind::Email => FollowUpKind::Email,
            TouchpointKind::Chat => FollowUpKind::Chat,
            TouchpointKind::WebVisit => FollowUpKind::WebVisit,
            TouchpointKind::Download => FollowUpKind::Download,
            TouchpointKind::Note => FollowUpKind::Note,
        }
    }
}

impl From<FollowUpKind> for TouchpointKind {
    fn from(k: FollowUpKind) -> Self {
        match k {
            FollowUpKind::Call => TouchpointKind::Call,
            FollowUpKind::Visit => TouchpointKind::Visit,
            FollowUpKind::Email => TouchpointKind::Email,
            FollowUpKind::Chat => TouchpointKind::Chat,
            FollowUpKind::WebVisit => TouchpointKind::WebVisit,
            FollowUpKind::Download => TouchpointKind::Download,
            FollowUpKind::Note => TouchpointKind::Note,
        }
    }
}

/// One follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFollowUp {
    pub id: String,
    pub customer_id: String,
    pub kind: FollowUpKind,
    pub at: DateTime<Utc>,
    /// Who logged it (their display name).
    pub author: String,
    pub summary: String,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
}

impl From<&Touchpoint> for ApiFollowUp {
    fn from(t: &Touchpoint) -> Self {
        ApiFollowUp {
            id: t.id.clone(),
            customer_id: t.customer_id.clone(),
            kind: t.kind.into(),
            at: t.at,
            author: t.author.clone(),
            summary: t.summary.clone(),
            next_step: t.next_step.clone(),
            next_step_on: t.next_step_on,
        }
    }
}

page_of!(FollowUpList, ApiFollowUp, "A page of follow-ups, newest first.");

/// A follow-up to log.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFollowUp {
    pub kind: FollowUpKind,
    pub summary: String,
    #[serde(default)]
    pub next_step: String,
    /// `YYYY-MM-DD`: when the next step is due (a reminder follows it).
    #[serde(default)]
    pub next_step_on: String,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/follow-ups", tag = "customers", params(("id" = String, Path), PageParams),
    responses((status = 200, body = FollowUpList), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn list(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, Paging(page): Paging) -> Response {
    match service::with_records(&api.state, &caller.grant.caller, &id).await.and_then(|(_, _, _, timeline)| page.cut(&timeline, |t| ApiFollowUp::from(t))) {
        Ok(paged) => axum::Json(FollowUpList::from(paged)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/follow-ups", tag = "customers", request_body = NewFollowUp,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the follow-up is logged once")),
    responses((status = 201, body = ApiFollowUp), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn create(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text, customer) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: NewFollowUp = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new follow-up: {e}")))?;
        let input = TouchpointInput { kind: new.kind.into(), author: String::new(), summary: new.summary, next_step: new.next_step, next_step_on: new.next_step_on, position: None };
        let logged = contacts::add_touchpoint(&state, &who, &customer, &input).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(ApiFollowUp::from(&logged))).into_response())
    };
    idempotent(&api, &caller, &headers, &format!("POST /api/v1/customers/{id}/follow-ups"), &body, work).await
}
