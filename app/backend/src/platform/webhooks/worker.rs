//! The sender: queue what the event feed holds, then try every delivery that is due — the
//! first waiting one of each (subscription, customer), so a customer's events arrive in the
//! order they happened even when one of them is being retried. It runs in the background,
//! woken after each change and every few seconds; everything it needs is in the store, so
//! a restart picks up where it stopped.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use kehu_domain::platform::webhooks::{retry_delay, DeliveryStatus, WebhookState};

use super::queue::queue_new_events;
use super::send::{try_delivery, Outcome};
use crate::state::AppState;
use crate::store::error::StoreResult;
use crate::store::webhooks::{self as store, TryOutcome};

/// Deliveries looked at per pass.
const PASS: usize = 1000;
/// How often the sender looks without being woken (retries fall due on their own).
const IDLE: Duration = Duration::from_secs(5);

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub queued: usize,
    pub delivered: usize,
    pub failed_tries: usize,
}

/// One pass: queue new events, then try what is due.
pub async fn run_once(state: &AppState) -> StoreResult<Pass> {
    let _turn = state.webhooks.turn.lock().await;
    let queued = queue_new_events(state).await?;
    let (delivered, failed_tries) = send_due(state).await?;
    Ok(Pass { queued, delivered, failed_tries })
}

/// The background loop, for the life of the server.
pub async fn keep_sending(state: AppState) {
    loop {
        // Another replica holds the background work: it sends.
        let pass = if state.jobs.is_mine() { run_once(&state).await } else { Ok(Pass::default()) };
        match pass {
            // Something went: the next of the same customers may be due now.
            Ok(pass) if pass.delivered > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!("webhook pass failed (tried again shortly): {e}"),
        }
        tokio::select! {
            _ = state.webhooks.wake.notified() => {}
            _ = tokio::time::sleep(IDLE) => {}
        }
    }
}

async fn send_due(state: &AppState) -> StoreResult<(usize, usize)> {
    let pending = store::pending(&state.db, PASS).await?;
    if pending.is_empty() {
        return Ok((0, 0));
    }
    let hooks: HashMap<String, store::WebhookRecord> = store::all(&state.db).await?.into_iter().map(|h| (h.key(), h)).collect();
    let client = state.webhooks.client()?;
    let mut first_of_resource = HashSet::new();
    let mut gone = HashSet::new();
    let (mut delivered, mut failed) = (0, 0);
    for delivery in pending {
        // Only the oldest waiting delivery of a customer may go; the rest wait behind it.
        if !first_of_resource.insert((delivery.webhook.clone(), delivery.resource.clone())) {
            continue;
        }
        let Some(hook) = hooks.get(&delivery.webhook) else { continue };
        let now = state.clock.now();
        if hook.state() != WebhookState::Active || gone.contains(&delivery.webhook) || delivery.next_at > now {
            continue;
        }
        let outcome = try_delivery(client, hook, &delivery, now).await;
        let attempts = delivery.attempts + 1;
        let record = match outcome {
            Outcome::Delivered { code, ms } => {
                delivered += 1;
                TryOutcome { status: DeliveryStatus::Delivered.as_str().into(), attempts, next_at: now, last_code: Some(code.into()), last_latency_ms: Some(ms.into()), last_error: String::new() }
            }
            Outcome::Failed { code, ms, error } => {
                failed += 1;
                let next = u32::try_from(attempts).ok().and_then(retry_delay);
                let status = if next.is_some() { DeliveryStatus::Pending } else { DeliveryStatus::Failed };
                tracing::info!("webhook delivery {} to '{}' failed (try {attempts}): {error}", delivery.event, hook.name);
                TryOutcome { status: status.as_str().into(), attempts, next_at: now + next.unwrap_or_default(), last_code: code.map(i64::from), last_latency_ms: Some(ms.into()), last_error: error }
            }
            Outcome::Gone { code, ms } => {
                tracing::info!("webhook '{}' answered 410 Gone: unsubscribed", hook.name);
                gone.insert(delivery.webhook.clone());
                store::unsubscribe(&state.db, &hook.id).await?;
                TryOutcome { status: DeliveryStatus::Cancelled.as_str().into(), attempts, next_at: now, last_code: Some(code.into()), last_latency_ms: Some(ms.into()), last_error: "410 Gone: unsubscribed".into() }
            }
        };
        store::record_try(&state.db, &delivery.id, record).await?;
    }
    Ok((delivered, failed))
}
