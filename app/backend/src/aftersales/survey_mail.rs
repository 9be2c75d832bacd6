//! A survey by e-mail: to the customer's address, or else its first contact's with one, when
//! the installation has a mail server and knows its public address (a mailed link must be
//! absolute).

use kehu_domain::service::survey_rules::MailOutcome;
use kehu_domain::service::surveys::SurveyKind;

use crate::state::AppState;
use crate::store::customers as customer_store;
use crate::store::surveys::SurveyRecord;

/// Mails the survey; the address it went to, or why it did not go.
pub async fn deliver(state: &AppState, survey: &SurveyRecord, url: &str) -> Result<String, MailOutcome> {
    let Some(mail) = &state.policy.mail else { return Err(MailOutcome::NoServer) };
    // A mailed link must be absolute: only with the installation's public address.
    if state.policy.public_url.is_none() {
        return Err(MailOutcome::NoServer);
    }
    let address = recipient(state, survey).await.ok_or(MailOutcome::NoAddress)?;
    let (subject, body) = message(survey, url);
    match crate::mail::send(mail, &address, &subject, body).await {
        Ok(()) => Ok(address),
        Err(e) => {
            tracing::warn!("mailing survey {} failed: {e}", crate::store::ids::key_of(&survey.id));
            Err(MailOutcome::Failed)
        }
    }
}

async fn recipient(state: &AppState, survey: &SurveyRecord) -> Option<String> {
    let customer = customer_store::get_customer(&state.db, &survey.customer).await.ok().flatten()?;
    if !customer.email.trim().is_empty() {
        return Some(customer.email.trim().to_string());
    }
    let contacts = customer_store::contacts_of(&state.db, &survey.customer).await.ok()?;
    contacts.into_iter().map(|c| c.email.trim().to_string()).find(|e| !e.is_empty())
}

/// The message, in Chinese with an English line: the customer's language is not known.
fn message(survey: &SurveyRecord, url: &str) -> (String, String) {
    let question = match survey.kind() {
        Some(SurveyKind::Nps) => "你向朋友或同事推荐我们的可能性有多大？\nHow likely are you to recommend us to a friend or colleague?",
        _ => "这次的服务你满意吗？\nHow satisfied are you with the help you received?",
    };
    let about = if survey.about.is_empty() { String::new() } else { format!("（{}）\n", survey.about) };
    let subject = "请为我们的服务打分 / How did we do?".to_string();
    // A CSAT answer is one click away: each score's link opens the page with it chosen (the
    // page still asks for a submit, so a mail scanner opening links answers nothing).
    let choices = match survey.kind() {
        Some(SurveyKind::Csat) => (1..=5).rev().map(|s| format!("{} {s}: {url}?score={s}\n", "★".repeat(s))).collect::<String>() + "\n",
        _ => String::new(),
    };
    let until = survey.expires_at.format("%Y-%m-%d");
    let body = format!("{question}\n{about}\n{choices}请点击链接作答（约 30 秒）/ Answer here (30 seconds):\n{url}\n\n此链接 {until} 前有效。/ The link works until {until}.\n");
    (subject, body)
}
