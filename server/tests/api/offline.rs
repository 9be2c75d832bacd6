//! Follow-ups sent with the browser's key: the profile page's server function and the phone's
//! outbox route (`POST /api/outbox/follow-ups`) log each key once, keep the time a follow-up
//! was written offline, and refuse — with a reason the outbox can show — a follow-up whose
//! customer was reassigned while the phone was offline.

use axum::http::StatusCode;
use kehu_backend::customers::{contacts, pool, service};
use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::customers::types::{Touchpoint, TouchpointInput, TouchpointKind};
use kehu_domain::error::AppError;
use kehu_ui::customers::api::LogFollowUp;
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

const OUTBOX: &str = "/api/outbox/follow-ups";

fn written(key: &str, customer: &str, minutes_ago: i64) -> KeyedFollowUp {
    KeyedFollowUp {
        key: key.into(),
        customer_id: customer.into(),
        customer_name: String::new(),
        user: REP_A.into(),
        input: TouchpointInput { kind: TouchpointKind::Visit, summary: "拜访了采购部，样品已留下".into(), ..Default::default() },
        written_at: start() - chrono::Duration::minutes(minutes_ago),
    }
}

async fn timeline_len(c: &Company, customer: &str) -> usize {
    service::profile(&c.state, &c.caller(BOSS), customer).await.unwrap().timeline.len()
}

#[tokio::test]
async fn the_same_key_logs_one_follow_up_at_the_time_it_was_written() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let before = timeline_len(&c, &c.ca.id).await;
    let sent = written("0f8fad5b-d9cb-469f-a165-70867728950e", &c.ca.id, 95);
    let first = contacts::log_keyed(&c.state, &rep, &sent).await.unwrap();
    let again = contacts::log_keyed(&c.state, &rep, &sent).await.unwrap();
    assert_eq!(first, again, "a retry answers with the follow-up already logged");
    assert_eq!(timeline_len(&c, &c.ca.id).await, before + 1, "logged once");
    assert_eq!(first.at, start() - chrono::Duration::minutes(95), "kept the time it was written offline");
    assert_eq!(first.author, "销售甲", "signed by the session's user");

    // Another user's key of the same spelling is theirs: it logs a follow-up of their own.
    let boss_sent = KeyedFollowUp { user: BOSS.into(), ..sent.clone() };
    let boss_logged = contacts::log_keyed(&c.state, &c.caller(BOSS), &boss_sent).await.unwrap();
    assert_ne!(boss_logged.id, first.id);
    assert_eq!(timeline_len(&c, &c.ca.id).await, before + 2);

    // The key reused for another customer is refused, and nothing is logged.
    let elsewhere = written("0f8fad5b-d9cb-469f-a165-70867728950e", &c.cp.id, 5);
    let refused = contacts::log_keyed(&c.state, &c.caller(MGR_A), &KeyedFollowUp { key: "another-key-for-the-pool-1".into(), ..elsewhere.clone() }).await;
    assert!(refused.is_ok(), "a manager may follow up a pool customer: {refused:?}");
    let reused = contacts::log_keyed(&c.state, &c.caller(MGR_A), &KeyedFollowUp { customer_id: c.ca.id.clone(), key: "another-key-for-the-pool-1".into(), ..elsewhere }).await;
    assert!(matches!(reused, Err(AppError::Invalid(ref f)) if f[0].field == "key"), "{reused:?}");

    // A key that is not a key, or a time ahead of the server's clock.
    assert!(matches!(contacts::log_keyed(&c.state, &rep, &written("short", &c.ca.id, 1)).await, Err(AppError::Invalid(_))));
    let ahead = contacts::log_keyed(&c.state, &rep, &written("clock-ahead-0000000001", &c.ca.id, -60)).await.unwrap();
    assert_eq!(ahead.at, start(), "a phone clock ahead of the server's is not believed");
}

#[tokio::test]
async fn the_page_and_the_outbox_share_the_key() {
    let c = company().await;
    let session = c.session(REP_A).await;
    let sent = written("1b4e28ba-2fa1-11d2-883f-0016d3cca427", &c.ca.id, 3);
    // The page's call goes out, its answer is lost; the outbox sends the same follow-up later.
    let (status, body) = call(&c.app, LogFollowUp::PATH, Some(&session), json!({ "follow_up": sent })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let by_page: Touchpoint = serde_json::from_str(&body).unwrap();
    let (status, body) = call(&c.app, OUTBOX, Some(&session), json!(sent)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let by_outbox: Touchpoint = serde_json::from_str(&body).unwrap();
    assert_eq!(by_page.id, by_outbox.id);
    let logged = service::profile(&c.state, &c.caller(REP_A), &c.ca.id).await.unwrap().timeline;
    assert_eq!(logged.iter().filter(|t| t.summary == "拜访了采购部，样品已留下").count(), 1, "saved once");
}

#[tokio::test]
async fn the_outbox_is_told_why_a_follow_up_cannot_be_saved() {
    let c = company().await;
    let session = c.session(REP_A).await;
    // Not signed in: the outbox keeps it and waits for a sign-in.
    let (status, _) = call(&c.app, OUTBOX, None, json!(written("2b4e28ba-2fa1-11d2-883f-0016d3cca427", &c.ca.id, 3))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Not a follow-up at all.
    let (status, body) = call(&c.app, OUTBOX, Some(&session), json!({ "summary": "?" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(matches!(error_of(status, &body), Some(AppError::Invalid(_))));
    // A follow-up that breaks a rule (an empty summary) is refused by field, nothing logged.
    let before = timeline_len(&c, &c.ca.id).await;
    let mut empty = written("3b4e28ba-2fa1-11d2-883f-0016d3cca427", &c.ca.id, 3);
    empty.input.summary = String::new();
    let (status, body) = call(&c.app, OUTBOX, Some(&session), json!(empty)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(matches!(error_of(status, &body), Some(AppError::Invalid(ref f)) if f.iter().any(|e| e.field == "summary")));
    assert_eq!(timeline_len(&c, &c.ca.id).await, before);
    // While the phone was offline the boss gave the customer to rep B: rep A's follow-up
    // is refused as not found (nothing about B's customer is told), and nothing is logged.
    pool::assign(&c.state, &c.caller(BOSS), &c.ca.id, REP_B).await.unwrap_or_else(|e| panic!("{e}"));
    let before = timeline_len(&c, &c.ca.id).await;
    let (status, body) = call(&c.app, OUTBOX, Some(&session), json!(written("4b4e28ba-2fa1-11d2-883f-0016d3cca427", &c.ca.id, 30))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(error_of(status, &body), Some(AppError::NotFound));
    assert_eq!(timeline_len(&c, &c.ca.id).await, before);
}
