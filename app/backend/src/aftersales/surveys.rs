//! Satisfaction surveys (满意度调查): sent by staff (or by a ticket being solved), answered by
//! the customer through a link that needs no login, a low score opening a complaint ticket
//! for the customer's owner. Every survey and answer is an event about the customer.

use chrono::{DateTime, Duration, Utc};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::reminders::dnd::first_allowed;
use kehu_domain::service::survey_rules::{may_send, validate_answer, AnswerInput, MailOutcome, SendContext, SurveyEntry, SurveyLink, SurveyPage, SurveyState};
use kehu_domain::service::surveys::SurveyKind;
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};
use kehu_domain::service::types::{NewTicket, ServiceSettings};

use crate::access::{self, Need};
use crate::accounts::passwords::new_token;
use crate::events::Event;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, new_id, record_id};
use crate::store::surveys::{self as store, AnswerRow, SurveyRecord, SURVEY};
use crate::store::tickets::TicketRecord;
use crate::store::{dnd as dnd_store, service_settings};

/// Who answers a survey, in the audit log: the customer, through the link.
pub const SURVEY_ACTOR: &str = crate::events::SYSTEM;

/// The answer page's path for a token.
pub fn path_of(token: &str) -> String {
    format!("/s/{token}")
}

/// The address a request reached the server at (`http://host:port`), from its `Host`
/// header, for survey links when the installation has no public address configured.
pub fn origin_of(state: &AppState, host: Option<&str>) -> String {
    let scheme = if state.policy.secure_cookies { "https" } else { "http" };
    host.map(|h| format!("{scheme}://{h}")).unwrap_or_default()
}

/// The survey as staff see it; its link (and QR code) only while it can be answered. The link
/// begins with the installation's public address, or else with `origin`, the address the
/// page asking was reached at.
fn entry(state: &AppState, record: &SurveyRecord, now: DateTime<Utc>, origin: &str) -> Option<SurveyEntry> {
    let mut entry = record.entry(now)?;
    if entry.state == SurveyState::Open {
        entry.path = path_of(&record.token);
        let base = state.policy.public_url.as_deref().unwrap_or(origin).trim_end_matches('/');
        entry.url = format!("{base}{}", entry.path);
        entry.qr_svg = super::qr::svg(&entry.url);
    }
    Some(entry)
}

/// A customer's surveys, newest first, for whoever may see the customer.
pub async fn of_customer(state: &AppState, caller: &Caller, customer: &str, origin: &str) -> AppResult<Vec<SurveyEntry>> {
    access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    Ok(store::of_customer(&state.db, &rid).await?.iter().filter_map(|r| entry(state, r, now, origin)).collect())
}

/// Sends a survey to a customer the caller may see: CSAT about one of its solved tickets, or
/// NPS about the relationship. Refused (nothing written) inside a do-not-disturb window, for
/// NPS while a ticket is open, and within the period since the last survey.
pub async fn send(state: &AppState, caller: &Caller, customer: &str, kind: SurveyKind, ticket: Option<&str>, origin: &str) -> AppResult<SurveyLink> {
    let row = access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let ticket = match (kind, ticket) {
        (SurveyKind::Csat, Some(id)) => {
            let record = state.tickets.get(id).filter(|t| t.customer == rid).map(|t| TicketRecord::clone(&t)).ok_or(AppError::NotFound)?;
            if !matches!(record.status(), Some(TicketStatus::Solved | TicketStatus::Closed)) {
                return Err(AppError::Invalid(vec![FieldError::new("survey", Problem::OpenTicket)]));
            }
            Some(record)
        }
        (SurveyKind::Csat, None) => return Err(AppError::Invalid(vec![FieldError::new("ticket", Problem::Required)])),
        (SurveyKind::Nps, _) => None,
    };
    let settings = service_settings::current(&state.db).await?;
    let about = ticket.as_ref().map(About::Ticket).unwrap_or(About::Relationship);
    create(state, &settings, &caller.user.username, &rid, &row.name, kind, about, origin).await
}

/// After a ticket is solved: its CSAT survey, if the settings ask for one and the customer may
/// be surveyed now. A survey that may not go is skipped (and logged), never an error for the
/// person solving the ticket.
pub async fn after_solved(state: &AppState, actor: &str, ticket: &TicketRecord, customer_name: &str) {
    let settings = match service_settings::current(&state.db).await {
        Ok(settings) if settings.surveys.csat_after_solved => settings,
        Ok(_) => return,
        Err(e) => {
            tracing::warn!("reading the survey rules failed: {e}");
            return;
        }
    };
    // Mailed only with a public address (the start-up check asks for one with mail).
    if let Err(e) = create(state, &settings, actor, &ticket.customer, customer_name, SurveyKind::Csat, About::Ticket(ticket), "").await {
        tracing::info!("no CSAT survey after solving {}: {e:?}", key_of(&ticket.id));
    }
}

/// What a survey asks about.
#[derive(Clone, Copy)]
pub enum About<'a> {
    /// The relationship (an NPS survey sent by hand or at a lifecycle moment).
    Relationship,
    /// A solved ticket.
    Ticket(&'a TicketRecord),
    /// A won deal, as a step of its after-sales plan: the step's key and the deal's title.
    PlanStep { key: &'a str, deal_title: &'a str },
}

/// A survey sent by a rule (no person asked for it): mailed when it can be.
pub async fn create_by_rule(
    state: &AppState,
    settings: &ServiceSettings,
    customer: &surrealdb::types::RecordId,
    customer_name: &str,
    kind: SurveyKind,
    about: About<'_>,
) -> AppResult<()> {
    create(state, settings, SURVEY_ACTOR, customer, customer_name, kind, about, "").await.map(|_| ())
}

async fn send_context(state: &AppState, customer: &surrealdb::types::RecordId, now: DateTime<Utc>) -> AppResult<SendContext> {
    let windows = dnd_store::of_customer(&state.db, customer).await?;
    let in_dnd = first_allowed(now, &windows, state.policy.offset.0).1.is_some();
    let tickets = state.tickets.of_customer(&key_of(customer));
    let open_ticket = tickets.iter().any(|t| t.status().is_some_and(|s| s.is_open()));
    let last_sent = store::of_customer(&state.db, customer).await?.first().map(|s| s.created_at);
    Ok(SendContext { in_dnd, open_ticket, last_sent })
}

#[allow(clippy::too_many_arguments)]
async fn create(
    state: &AppState,
    settings: &ServiceSettings,
    actor: &str,
    customer: &surrealdb::types::RecordId,
    customer_name: &str,
    kind: SurveyKind,
    about: About<'_>,
    origin: &str,
) -> AppResult<SurveyLink> {
    let now = state.clock.now();
    let ctx = send_context(state, customer, now).await?;
    let (ticket, plan_step) = match about {
        About::Relationship => (None, None),
        About::Ticket(t) => (Some(t), None),
        About::PlanStep { key, deal_title } => (None, Some((key, deal_title))),
    };
    may_send(kind, ticket.is_some(), now, &ctx, &settings.surveys).map_err(|p| AppError::Invalid(vec![FieldError::new("survey", p)]))?;
    let record = SurveyRecord {
        id: new_id(SURVEY),
        token: new_token()?,
        customer: customer.clone(),
        kind: kind.key().into(),
        ticket: ticket.map(|t| t.id.clone()),
        about: ticket.map(|t| t.title.clone()).or(plan_step.map(|(_, title)| title.to_string())).unwrap_or_default(),
        created_by: actor.to_string(),
        created_at: now,
        expires_at: now + Duration::days(i64::from(settings.surveys.valid_days)),
        sent_to: String::new(),
        answered_at: None,
        score: None,
        reason: String::new(),
        comment: String::new(),
        complaint: None,
        plan_step: plan_step.map(|(key, _)| key.to_string()),
    };
    let event = Event::new(EventKind::SurveySent, actor, now)
        .about(&key_of(customer), customer_name)
        .change("survey", "", kind.key())
        .change(if plan_step.is_some() { "deal" } else { "ticket" }, "", record.about.clone());
    store::insert(&state.db, record.clone(), &[event]).await?;
    let mut link = SurveyLink { entry: entry(state, &record, now, origin).ok_or(AppError::NotFound)?, mail: MailOutcome::Mailed };
    match super::survey_mail::deliver(state, &record, &link.entry.url).await {
        Ok(address) => {
            let event = Event::new(EventKind::SurveySent, actor, now).about(&key_of(customer), customer_name).change("sent_to", "", address.clone());
            store::mailed(&state.db, &record.id, &address, &[event]).await?;
            link.entry.sent_to = address;
        }
        Err(outcome) => link.mail = outcome,
    }
    Ok(link)
}

/// The survey behind a link, for the page that answers it; `NotFound` for a wrong token.
pub async fn page(state: &AppState, token: &str) -> AppResult<SurveyPage> {
    let record = by_token(state, token).await?;
    let settings = service_settings::current(&state.db).await?;
    let entry = record.entry(state.clock.now()).ok_or(AppError::NotFound)?;
    Ok(page_of(record, entry.kind, entry.state, settings.categories))
}

fn page_of(record: SurveyRecord, kind: SurveyKind, state: SurveyState, categories: Vec<String>) -> SurveyPage {
    SurveyPage { kind, state, about: record.about, categories, expires_at: record.expires_at }
}

async fn by_token(state: &AppState, token: &str) -> AppResult<SurveyRecord> {
    // A token is 64 hex digits; anything else is not one (and is not looked up).
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    store::by_token(&state.db, token).await?.ok_or(AppError::NotFound)
}

/// Records the customer's answer, once, before the link expires. A low score opens a
/// complaint ticket for the customer's owner, categorised by the reason given.
pub async fn answer(state: &AppState, token: &str, input: &AnswerInput) -> AppResult<SurveyPage> {
    // No signed-in caller here to be told to wait: the customer's row comes from the directory.
    state.warmup.check()?;
    let record = by_token(state, token).await?;
    let kind = record.kind().ok_or(AppError::NotFound)?;
    let settings = service_settings::current(&state.db).await?;
    let now = state.clock.now();
    let closed = || AppError::Invalid(vec![FieldError::new("score", Problem::SurveyClosed)]);
    if record.entry(now).is_none_or(|e| e.state != SurveyState::Open) {
        return Err(closed());
    }
    let answer = validate_answer(kind, input, &settings.categories).map_err(AppError::Invalid)?;
    let customer = record.customer_key();
    let row = state.directory.row(&customer).ok_or(AppError::NotFound)?;
    let mut events = vec![Event::new(EventKind::SurveyAnswered, SURVEY_ACTOR, now)
        .about(&customer, &row.name)
        .change("survey", "", kind.key())
        .change("score", "", answer.score.to_string())
        .change("reason", "", answer.reason.clone())];
    let complaint = kind.is_low(answer.score).then(|| {
        let title = format!("{} {} · {}", kind.acronym(), answer.score, answer.reason);
        let mut description = answer.comment.clone();
        if !record.about.is_empty() {
            description = format!("{}\n\n（{}）", description, record.about).trim().to_string();
        }
        let new = NewTicket { title, description, kind: TicketKind::Complaint, priority: Priority::High, category: answer.reason.clone(), assignee: row.owner.clone(), order_id: String::new() };
        super::ticket_records::new_record(record.customer.clone(), &new, SURVEY_ACTOR, now)
    });
    if let Some(ticket) = &complaint {
        events.push(
            Event::new(EventKind::TicketOpened, SURVEY_ACTOR, now)
                .about(&customer, &row.name)
                .change("ticket", "", format!("{} · {}", ticket.title, ticket.kind))
                .change("assignee", "", ticket.assignee.clone()),
        );
    }
    let row_answer = AnswerRow { answered_at: now, score: i64::from(answer.score), reason: answer.reason.clone(), comment: answer.comment.clone() };
    if !store::answer(&state.db, &record.id, row_answer, complaint.clone(), &events).await? {
        return Err(closed());
    }
    if let Some(ticket) = complaint {
        state.tickets.put(ticket.clone());
        super::sla_watch::after_change(state, &key_of(&ticket.id)).await;
    }
    Ok(page_of(record, kind, SurveyState::Answered, settings.categories))
}
