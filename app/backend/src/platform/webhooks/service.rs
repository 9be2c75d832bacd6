//! Webhook subscriptions, managed by admins: made (an HTTP receiver's secret shown once),
//! changed, paused and resumed, removed; each one's delivery log, and "send again".

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::platform::webhooks::{
    validate_webhook, CleanWebhook, Delivery, DeliveryStatus, NewWebhook, Webhook, WebhookInput, WebhookState, WebhookTarget, MAX_WEBHOOKS,
};

use super::sign::new_secret;
use crate::access;
use crate::events::Event;
use crate::state::AppState;
use crate::store::accounts as account_store;
use crate::store::ids::{new_id, record_id};
use crate::store::webhooks::{self as store, WebhookRecord, DELIVERY, WEBHOOK};

/// Deliveries a subscription's log shows.
pub const LOG_LENGTH: usize = 100;

pub async fn list(state: &AppState, caller: &Caller) -> AppResult<Vec<Webhook>> {
    access::admin(caller)?;
    let counts = store::counts(&state.db).await?;
    Ok(store::all(&state.db).await?.iter().map(|h| h.view(counts.get(&h.key()).copied().unwrap_or_default())).collect())
}

async fn checked(state: &AppState, input: &WebhookInput) -> AppResult<CleanWebhook> {
    let teams: Vec<String> = account_store::teams(&state.db).await?.into_iter().map(|t| t.id).collect();
    validate_webhook(input, &teams).map_err(AppError::Invalid)
}

fn topics_text(topics: &[EventKind]) -> String {
    topics.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",")
}

/// Makes a subscription; for an HTTP receiver the answer carries its signing secret, once.
pub async fn create(state: &AppState, caller: &Caller, input: &WebhookInput) -> AppResult<NewWebhook> {
    access::admin(caller)?;
    let clean = checked(state, input).await?;
    if store::all(&state.db).await?.len() >= MAX_WEBHOOKS {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::TooMany { max: MAX_WEBHOOKS })]));
    }
    let secret = match clean.target {
        WebhookTarget::Http => new_secret()?,
        _ => clean.secret.clone(),
    };
    let now = state.clock.now();
    let row = WebhookRecord {
        id: new_id(WEBHOOK),
        name: clean.name.clone(),
        target: clean.target.as_str().into(),
        url: clean.url.clone(),
        secret: secret.clone(),
        topics: clean.topics.iter().map(|t| t.as_str().to_string()).collect(),
        fields: clean.fields.clone(),
        team: clean.team.clone(),
        state: WebhookState::Active.as_str().into(),
        created_at: now,
    };
    let event = Event::by(caller, EventKind::WebhookCreated, now)
        .subject(&clean.name)
        .change("target", "", clean.target.as_str())
        .change("topics", "", topics_text(&clean.topics));
    store::create(&state.db, row.clone(), &[event]).await?;
    let shown = (clean.target == WebhookTarget::Http).then_some(secret);
    Ok(NewWebhook { webhook: row.view((0, 0)), secret: shown })
}

async fn existing(state: &AppState, caller: &Caller, id: &str) -> AppResult<WebhookRecord> {
    access::admin(caller)?;
    let rid = record_id(WEBHOOK, id).ok_or(AppError::NotFound)?;
    store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)
}

/// Changes a subscription's name, address, kinds and filters. The target stays (make a new
/// subscription for another); an HTTP receiver keeps its secret; a robot's secret is
/// replaced only when a new one is typed.
pub async fn update(state: &AppState, caller: &Caller, id: &str, input: &WebhookInput) -> AppResult<Vec<Webhook>> {
    let before = existing(state, caller, id).await?;
    let clean = checked(state, &WebhookInput { target: before.target(), ..input.clone() }).await?;
    let mut after = before.clone();
    after.name = clean.name.clone();
    after.url = clean.url.clone();
    after.topics = clean.topics.iter().map(|t| t.as_str().to_string()).collect();
    after.fields = clean.fields.clone();
    after.team = clean.team.clone();
    if !clean.secret.is_empty() {
        after.secret = clean.secret.clone();
    }
    let mut event = Event::by(caller, EventKind::WebhookChanged, state.clock.now()).subject(&after.name);
    if before.url != after.url {
        // The address may hold a robot's access token: the log says that it changed, not to what.
        event = event.change("url", "…", "…");
    }
    if before.topics != after.topics {
        event = event.change("topics", before.topics.join(","), after.topics.join(","));
    }
    if before.fields != after.fields {
        event = event.change("fields", before.fields.join(","), after.fields.join(","));
    }
    if before.team != after.team {
        event = event.change("team", &before.team, &after.team);
    }
    if before.name != after.name {
        event = event.change("name", &before.name, &after.name);
    }
    store::save(&state.db, after, &[event]).await?;
    list(state, caller).await
}

/// Pauses a subscription (events still queue, and go when it is resumed) or resumes it —
/// also one that answered 410, once its receiver is back.
pub async fn set_paused(state: &AppState, caller: &Caller, id: &str, paused: bool) -> AppResult<Vec<Webhook>> {
    let before = existing(state, caller, id).await?;
    let state_after = if paused { WebhookState::Paused } else { WebhookState::Active };
    if before.state() != state_after {
        let mut after = before.clone();
        after.state = state_after.as_str().into();
        let event = Event::by(caller, EventKind::WebhookChanged, state.clock.now()).subject(&after.name).change("state", &before.state, &after.state);
        store::save(&state.db, after, &[event]).await?;
        state.webhooks.wake();
    }
    list(state, caller).await
}

pub async fn remove(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<Webhook>> {
    let hook = existing(state, caller, id).await?;
    let event = Event::by(caller, EventKind::WebhookRemoved, state.clock.now()).subject(&hook.name).change("target", &hook.target, "");
    store::remove(&state.db, &hook.id, &[event]).await?;
    list(state, caller).await
}

/// A subscription's delivery log, newest first.
pub async fn deliveries(state: &AppState, caller: &Caller, id: &str) -> AppResult<Vec<Delivery>> {
    let hook = existing(state, caller, id).await?;
    Ok(store::deliveries_of(&state.db, &hook.key(), LOG_LENGTH).await?.iter().filter_map(|d| d.view()).collect())
}

/// Sends a delivery again (one that failed, or was delivered and is wanted once more): it is
/// queued for now with a fresh set of retries. Gives the subscription's log after.
pub async fn resend(state: &AppState, caller: &Caller, id: &str, delivery: &str) -> AppResult<Vec<Delivery>> {
    let hook = existing(state, caller, id).await?;
    let rid = record_id(DELIVERY, delivery).ok_or(AppError::NotFound)?;
    let found = store::delivery(&state.db, &rid).await?.filter(|d| d.webhook == hook.key()).ok_or(AppError::NotFound)?;
    if DeliveryStatus::parse(&found.status) != DeliveryStatus::Pending {
        store::requeue(&state.db, &rid, state.clock.now()).await?;
        state.webhooks.wake();
    }
    deliveries(state, caller, id).await
}
