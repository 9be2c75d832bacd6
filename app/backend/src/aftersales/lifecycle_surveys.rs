//! NPS at a lifecycle moment: N days after a customer's first order (the admin's rule), sent
//! by the periodic reminder run. Once per customer: a customer sent an NPS survey since their
//! first order is not sent another by this rule. The sending rules hold as for a person
//! (do-not-disturb, open ticket, one per period); a survey that may not go is skipped.

use chrono::NaiveDate;

use kehu_domain::error::AppResult;
use kehu_domain::service::survey_rules::nps_due;
use kehu_domain::service::surveys::SurveyKind;

use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::record_id;
use crate::store::{service_settings, surveys as survey_store};

/// Who sends them, in the audit log.
const ACTOR: &str = "system";

/// Sends the NPS surveys due today; how many went.
pub async fn run(state: &AppState, today: NaiveDate) -> AppResult<usize> {
    let settings = service_settings::current(&state.db).await?;
    if settings.surveys.nps_after_first_order_days == 0 {
        return Ok(0);
    }
    let due: Vec<(String, NaiveDate)> = state
        .orders
        .histories(today)
        .into_iter()
        .filter_map(|h| Some((h.customer, h.orders.first()?.0)))
        .filter(|(_, first)| nps_due(*first, today, &settings.surveys))
        .collect();
    let mut sent = 0;
    for (customer, first) in due {
        let (Some(rid), Some(row)) = (record_id(CUSTOMER, &customer), state.directory.row(&customer)) else { continue };
        let earlier = survey_store::of_customer(&state.db, &rid).await?;
        if earlier.iter().any(|s| s.kind() == Some(SurveyKind::Nps) && s.created_at.date_naive() >= first) {
            continue;
        }
        match super::surveys::create_nps(state, &settings, ACTOR, &rid, &row.name).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::info!("no NPS survey for customer {customer} after their first order: {e:?}"),
        }
    }
    Ok(sent)
}
