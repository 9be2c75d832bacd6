//! `/api/v1/customers/{id}/surveys`: a customer's satisfaction surveys (满意度调查: CSAT about
//! a solved ticket, NPS about the relationship) with their answers, and sending one
//! (`Idempotency-Key`) — with the same checks as the profile's button (do-not-disturb, no
//! NPS while a ticket is open, not again within the period).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kehu_backend::aftersales::surveys as service;
use kehu_domain::service::survey_rules::{MailOutcome, SurveyEntry, SurveyState};
use kehu_domain::service::surveys::SurveyKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created};
use super::problem::{problem, ProblemDetails};
use super::ApiState;

/// CSAT (1–5, about a solved ticket) or NPS (0–10, about the relationship).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Survey {
    Csat,
    Nps,
}

impl From<SurveyKind> for Survey {
    fn from(k: SurveyKind) -> Self {
        match k {
            SurveyKind::Csat => Survey::Csat,
            SurveyKind::Nps => Survey::Nps,
        }
    }
}

impl From<Survey> for SurveyKind {
    fn from(k: Survey) -> Self {
        match k {
            Survey::Csat => SurveyKind::Csat,
            Survey::Nps => SurveyKind::Nps,
        }
    }
}

/// Waiting for the customer, answered, or past its time.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    Open,
    Answered,
    Expired,
}

impl From<SurveyState> for SurveyStatus {
    fn from(s: SurveyState) -> Self {
        match s {
            SurveyState::Open => SurveyStatus::Open,
            SurveyState::Answered => SurveyStatus::Answered,
            SurveyState::Expired => SurveyStatus::Expired,
        }
    }
}

/// A survey and its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiSurvey {
    pub id: String,
    pub kind: Survey,
    pub status: SurveyStatus,
    /// The ticket a CSAT survey asks about (its title); empty for NPS.
    pub about: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The address it was mailed to; empty if it was not.
    pub sent_to: String,
    pub score: Option<u8>,
    /// The reason the customer picked with a low score.
    pub reason: String,
    pub comment: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// The answer page for the customer while it can be answered (no sign-in needed); empty after.
    pub url: String,
}

impl From<&SurveyEntry> for ApiSurvey {
    fn from(e: &SurveyEntry) -> Self {
        ApiSurvey {
            id: e.id.clone(),
            kind: e.kind.into(),
            status: e.state.into(),
            about: e.about.clone(),
            created_at: e.created_at,
            expires_at: e.expires_at,
            sent_to: e.sent_to.clone(),
            score: e.score,
            reason: e.reason.clone(),
            comment: e.comment.clone(),
            answered_at: e.answered_at,
            url: e.url.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyList {
    pub data: Vec<ApiSurvey>,
}

/// Whether the survey went out by e-mail.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mail {
    Mailed,
    /// No outgoing mail server is configured: pass the `url` on yourself.
    NoServer,
    /// Neither the customer nor a contact has an e-mail address.
    NoAddress,
    /// The mail server refused or could not be reached.
    Failed,
}

impl From<MailOutcome> for Mail {
    fn from(m: MailOutcome) -> Self {
        match m {
            MailOutcome::Mailed => Mail::Mailed,
            MailOutcome::NoServer => Mail::NoServer,
            MailOutcome::NoAddress => Mail::NoAddress,
            MailOutcome::Failed => Mail::Failed,
        }
    }
}

/// A survey just sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentSurvey {
    pub survey: ApiSurvey,
    pub mail: Mail,
}

/// A survey to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSurvey {
    pub kind: Survey,
    /// For CSAT: the solved ticket it asks about.
    pub ticket_id: Option<String>,
}

fn origin(api: &ApiState, headers: &HeaderMap) -> String {
    service::origin_of(&api.state, headers.get(HOST).and_then(|h| h.to_str().ok()))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/surveys", tag = "tickets", params(("id" = String, Path)),
    responses((status = 200, body = SurveyList), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn of_customer(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap) -> Response {
    match service::of_customer(&api.state, &caller.grant.caller, &id, &origin(&api, &headers)).await {
        Ok(surveys) => axum::Json(SurveyList { data: surveys.iter().map(ApiSurvey::from).collect() }).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/surveys", tag = "tickets", request_body = NewSurvey,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the survey is sent once")),
    responses((status = 201, body = SentSurvey),
        (status = 404, body = ProblemDetails, description = "No such customer, or no such solved ticket of it"),
        (status = 422, body = ProblemDetails, description = "Not now: do-not-disturb, an open ticket (NPS), surveyed too recently, or no ticket for CSAT")),
    security(("token" = ["write"])))]
pub async fn send(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let origin = origin(&api, &headers);
    let (state, who, text, customer) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: NewSurvey = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a survey to send: {e}")))?;
        let sent = service::send(&state, &who, &customer, new.kind.into(), new.ticket_id.as_deref(), &origin).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(SentSurvey { survey: ApiSurvey::from(&sent.entry), mail: sent.mail.into() })).into_response())
    };
    idempotent(&api, &caller, &headers, &format!("POST /api/v1/customers/{id}/surveys"), &body, work).await
}
