//! Server functions of service tickets: decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::error::AppError;
use kehu_domain::service::types::{Ticket, TicketAction, TicketFormOptions, TicketInput};

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::aftersales::tickets as service;

#[server(input = Json)]
pub async fn customer_tickets(customer_id: String) -> Result<Vec<Ticket>, AppError> {
    let (state, caller) = signed_in().await?;
    service::of_customer(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn ticket_form_choices() -> Result<TicketFormOptions, AppError> {
    let (state, caller) = signed_in().await?;
    service::form_options(&state, &caller).await
}

#[server(input = Json)]
pub async fn open_ticket(customer_id: String, input: TicketInput) -> Result<Ticket, AppError> {
    let (state, caller) = signed_in().await?;
    service::open(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn act_on_ticket(ticket_id: String, action: TicketAction) -> Result<Ticket, AppError> {
    let (state, caller) = signed_in().await?;
    service::act(&state, &caller, &ticket_id, &action).await
}

#[server(input = Json)]
pub async fn service_settings() -> Result<kehu_domain::service::settings::SettingsInput, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::aftersales::settings::settings(&state, &caller).await
}

#[server(input = Json)]
pub async fn save_service_settings(input: kehu_domain::service::settings::SettingsInput) -> Result<kehu_domain::service::settings::SettingsInput, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::aftersales::settings::save(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn ticket_queue(scope: kehu_domain::service::types::QueueScope) -> Result<Vec<Ticket>, AppError> {
    let (state, caller) = signed_in().await?;
    service::queue(&state, &caller, scope).await
}

#[server(input = Json)]
pub async fn customer_surveys(customer_id: String) -> Result<Vec<kehu_domain::service::survey_rules::SurveyEntry>, AppError> {
    let (state, caller) = signed_in().await?;
    let origin = request_origin(&state);
    kehu_backend::aftersales::surveys::of_customer(&state, &caller, &customer_id, &origin).await
}

#[server(input = Json)]
pub async fn send_survey(
    customer_id: String,
    kind: kehu_domain::service::surveys::SurveyKind,
    ticket_id: Option<String>,
) -> Result<kehu_domain::service::survey_rules::SurveyLink, AppError> {
    let (state, caller) = signed_in().await?;
    let origin = request_origin(&state);
    kehu_backend::aftersales::surveys::send(&state, &caller, &customer_id, kind, ticket_id.as_deref(), &origin).await
}

/// The survey behind a link: no sign-in, the token is the key.
#[server(input = Json)]
pub async fn survey_page(token: String) -> Result<kehu_domain::service::survey_rules::SurveyPage, AppError> {
    kehu_backend::aftersales::surveys::page(&state()?, &token).await
}

#[server(input = Json)]
pub async fn answer_survey(
    token: String,
    input: kehu_domain::service::survey_rules::AnswerInput,
) -> Result<kehu_domain::service::survey_rules::SurveyPage, AppError> {
    kehu_backend::aftersales::surveys::answer(&state()?, &token, &input).await
}

#[server(input = Json)]
pub async fn service_report() -> Result<kehu_domain::service::reports::ServiceReport, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::aftersales::reports::report(&state, &caller).await
}

#[server(input = Json)]
pub async fn customer_care_plans(customer_id: String) -> Result<Vec<kehu_domain::service::care_plan_view::DealPlanView>, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::aftersales::care_plans::of_customer(&state, &caller, &customer_id).await
}
