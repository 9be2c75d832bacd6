//! From the event table to the delivery queue. The sender reads the table's change feed in
//! commit order from where it stopped, and queues each event for every subscription that
//! wants it, moving its cursor in the same transaction. So only committed changes are
//! announced (an event exists only with its change), none is skipped (the feed has every
//! commit), and a crash halfway queues the same deliveries again, which changes nothing.

use serde_json::{json, Value};

use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::CustomerRow;
use kehu_domain::platform::robots::announce;
use kehu_domain::platform::webhooks::{Interest, WebhookState, WebhookTarget};

use crate::events::SYSTEM;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::customers;
use crate::store::error::StoreResult;
use crate::store::ids::record_id;
use crate::store::feed::{feed, FedEvent, Since};
use crate::store::webhooks::{self as store, delivery_id, DeliveryRecord, WebhookRecord};

/// Transactions read from the feed at a time.
const PAGE: u32 = 200;

/// Queues what the feed holds beyond the cursor; gives how many deliveries were queued.
pub async fn queue_new_events(state: &AppState) -> StoreResult<usize> {
    let hooks: Vec<WebhookRecord> = store::all(&state.db).await?.into_iter().filter(|h| h.state() != WebhookState::Gone).collect();
    if hooks.is_empty() {
        // Nothing listens: the cursor stays, and a new subscription skips older events by
        // its start time anyway.
        return Ok(0);
    }
    let interests: Vec<(WebhookRecord, Interest)> = hooks
        .into_iter()
        .map(|h| {
            let interest = Interest { topics: h.topics(), fields: h.fields.clone(), team: h.team.clone(), since: h.created_at };
            (h, interest)
        })
        .collect();
    let mut since = store::cursor(&state.db).await?.map_or(0, |c| c + 1);
    let mut queued = 0;
    loop {
        let page = feed(&state.db, Since::Stamp(since), PAGE).await?;
        let Some(last) = page.last().map(|set| set.versionstamp) else { break };
        let mut deliveries = Vec::new();
        for set in &page {
            for (pos, event) in set.events.iter().enumerate() {
                let Some(kind) = EventKind::parse(&event.kind) else { continue };
                let row = customer_row(state, &event.customer).await?;
                let team = row.as_ref().and_then(|r| state.users.get(&r.owner)).and_then(|u| u.user.team);
                for (hook, interest) in &interests {
                    if interest.wants(kind, event.at, &event.changes, team.as_deref()) {
                        deliveries.push(delivery(state, hook, event, kind, row.as_ref(), set.versionstamp, pos));
                    }
                }
            }
        }
        queued += deliveries.len();
        store::queue(&state.db, deliveries, last).await?;
        since = last + 1;
        if page.len() < PAGE as usize {
            break;
        }
    }
    Ok(queued)
}

/// The customer an event names, as the directory knows it — or as stored, when the sender
/// reads the event before this process's followers put the customer in the directory (or
/// another process wrote it).
async fn customer_row(state: &AppState, customer: &str) -> StoreResult<Option<CustomerRow>> {
    if customer.is_empty() {
        return Ok(None);
    }
    if let Some(row) = state.directory.row(customer) {
        return Ok(Some(row));
    }
    let Some(rid) = record_id(CUSTOMER, customer) else { return Ok(None) };
    Ok(customers::get_customer(&state.db, &rid).await?.map(|c| c.row()))
}

fn delivery(state: &AppState, hook: &WebhookRecord, event: &FedEvent, kind: EventKind, customer: Option<&CustomerRow>, seq: i64, pos: usize) -> DeliveryRecord {
    let actor_name = state.users.display_name(&event.actor);
    let body = match hook.target() {
        WebhookTarget::Http => http_body(event, kind, &actor_name, customer),
        // A group reads who did it; what Kehu did by itself (a reminder fell due) needs no name.
        target => {
            let by = if event.actor == SYSTEM { "" } else { actor_name.as_str() };
            robot_body(target, &announce(state.policy.lang, kind, &event.subject, customer.map_or("", |c| c.name.as_str()), by, &event.changes))
        }
    };
    DeliveryRecord {
        id: delivery_id(&hook.key(), event.key()),
        webhook: hook.key(),
        event: event.key().to_string(),
        kind: kind.as_str().to_string(),
        subject: event.subject.clone(),
        // Order is kept per customer; an event about no customer is its own resource.
        resource: if event.customer.is_empty() { event.key().to_string() } else { event.customer.clone() },
        seq,
        pos: pos as i64,
        at: event.at,
        body,
        status: "pending".into(),
        attempts: 0,
        next_at: state.clock.now(),
        last_code: None,
        last_latency_ms: None,
        last_error: String::new(),
    }
}

/// The JSON an HTTP receiver gets: the event (id, type, time, who, how) and the customer it
/// concerns as it stood when the event was queued.
fn http_body(event: &FedEvent, kind: EventKind, actor_name: &str, customer: Option<&CustomerRow>) -> String {
    json!({
        "id": event.key(),
        "type": kind.as_str(),
        "at": event.at,
        "actor": { "username": event.actor, "name": actor_name },
        "via": event.via.as_deref().unwrap_or("web"),
        "subject": event.subject,
        "customer": customer,
        "changes": event.changes,
    })
    .to_string()
}

/// A group robot's message, in its own format (unsigned: a signature is made per try).
pub fn robot_body(target: WebhookTarget, message: &kehu_domain::platform::robots::Announcement) -> String {
    let body: Value = match target {
        WebhookTarget::Wecom => {
            let mut content = format!("**{}**", message.title);
            for line in &message.lines {
                content.push_str(&format!("\n> {line}"));
            }
            json!({ "msgtype": "markdown", "markdown": { "content": content } })
        }
        WebhookTarget::Dingtalk => {
            let mut text = format!("#### {}\n", message.title);
            for line in &message.lines {
                text.push_str(&format!("\n- {line}"));
            }
            json!({ "msgtype": "markdown", "markdown": { "title": message.title, "text": text } })
        }
        WebhookTarget::Feishu | WebhookTarget::Http => json!({
            "msg_type": "interactive",
            "card": {
                "header": { "title": { "tag": "plain_text", "content": message.title }, "template": "blue" },
                "elements": [{ "tag": "div", "text": { "tag": "lark_md", "content": message.lines.join("\n") } }],
            },
        }),
    };
    body.to_string()
}
