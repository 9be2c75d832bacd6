//! A customer's after-sales churn signals (open complaints, a recent low score) for the
//! insight panel; no rights asked here (the caller has).

use kehu_domain::error::{AppError, AppResult};
use kehu_domain::service::signals::{service_signals, Answered, ServiceSignal};
use kehu_domain::service::tickets::TicketKind;

use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::surveys as survey_store;

pub async fn of_customer(state: &AppState, customer: &str) -> AppResult<Vec<ServiceSignal>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let complaints: Vec<_> = state
        .tickets
        .of_customer(customer)
        .iter()
        .filter(|t| t.kind() == Some(TicketKind::Complaint) && t.status().is_some_and(|s| s.is_open()) && t.merged_into.is_none())
        .map(|t| (t.title.clone(), t.category.clone(), t.created_at))
        .collect();
    let surveys = survey_store::of_customer(&state.db, &rid).await?;
    let answers: Vec<Answered<'_>> = surveys
        .iter()
        .filter_map(|s| Some(Answered { kind: s.kind()?, score: s.score()?, reason: &s.reason, at: s.answered_at? }))
        .collect();
    Ok(service_signals(&complaints, &answers, state.clock.now()))
}
