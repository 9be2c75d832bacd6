//! Surveys at lifecycle moments, sent by the periodic reminder run: NPS N days after a
//! customer's first order, NPS N days after a churn warning began (the admin's rules), and the
//! surveys of the won deals' after-sales plans. Each goes once per moment: a customer sent an
//! NPS survey since the moment is not sent another for it. The sending rules hold as for a
//! person (do-not-disturb, open ticket, one per period); a survey that may not go is skipped.

use chrono::NaiveDate;

use kehu_domain::error::AppResult;
use kehu_domain::service::survey_rules::nps_due;
use kehu_domain::service::surveys::SurveyKind;
use kehu_domain::service::types::ServiceSettings;

use super::surveys::{create_by_rule, About};
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::{service_settings, surveys as survey_store};

/// Sends the surveys due today; how many went.
pub async fn run(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let settings = service_settings::current(&state.db).await?;
    let rules = &settings.surveys;
    let after_first_order = state
        .orders
        .histories(today)
        .into_iter()
        .filter_map(|h| Some((h.customer, h.orders.first()?.0)))
        .filter(|(_, first)| nps_due(*first, rules.nps_after_first_order_days, today));
    let after_churn: Vec<(String, NaiveDate)> = match state.insight.latest() {
        Some(run) if rules.nps_after_churn_days > 0 => run
            .scores
            .values()
            .filter_map(|s| Some((s.customer_id.clone(), s.churn.as_ref()?.since)))
            .filter(|(_, since)| nps_due(*since, rules.nps_after_churn_days, today))
            .collect(),
        _ => Vec::new(),
    };
    let mut sent = 0;
    for (customer, moment) in after_first_order.chain(after_churn) {
        sent += usize::from(nps_once_since(state, &settings, &customer, moment).await?);
    }
    Ok(sent + super::care_plans::send_due_surveys(state, &settings, today).await?)
}

/// An NPS survey unless the customer was sent one on or after `moment`; whether one went.
async fn nps_once_since(state: &AppState, settings: &ServiceSettings, customer: &str, moment: NaiveDate) -> AppResult<bool> {
    let (Some(rid), Some(row)) = (record_id(CUSTOMER, customer), state.directory.row(customer)) else { return Ok(false) };
    let earlier = survey_store::of_customer(&state.db, &rid).await?;
    if earlier.iter().any(|s| s.kind() == Some(SurveyKind::Nps) && s.created_at.date_naive() >= moment) {
        return Ok(false);
    }
    match create_by_rule(state, settings, &rid, &row.name, SurveyKind::Nps, About::Relationship).await {
        Ok(()) => Ok(true),
        Err(e) => {
            tracing::info!("no NPS survey for customer {customer} at a lifecycle moment of {moment}: {e:?}");
            Ok(false)
        }
    }
}
