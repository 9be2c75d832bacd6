//! The event seam: a change and its events are one transaction, the audit log is read from
//! the events, a second process could tail them, and a store written by the release before
//! the event log opens with everything in it — its audit history included.

use axum::http::StatusCode;
use kehu_backend::customers::{contacts, pool, service};
use kehu_backend::pipeline::deals;
use kehu_backend::store::events as event_store;
use kehu_backend::{AppState, Clock};
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use kehu_ui::customers::api::CreateCustomer;
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

fn input(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), region: "华东".into(), ..Default::default() }
}

/// How many events the store holds.
async fn event_count(state: &AppState) -> usize {
    let ids: Vec<surrealdb::types::RecordId> = state.db.query("SELECT VALUE id FROM event").await.unwrap().take(0).unwrap();
    ids.len()
}

/// Every event write fails from now on, as a broken schema or a full disk would make it:
/// an event's actor must suddenly be a number.
async fn break_event_writes(state: &AppState) {
    state.db.query("DEFINE FIELD OVERWRITE actor ON event TYPE int").await.unwrap().check().unwrap();
}

async fn mend_event_writes(state: &AppState) {
    state
        .db
        .query("DEFINE FIELD OVERWRITE actor ON event TYPE string ASSERT string::len($value) > 0")
        .await
        .unwrap()
        .check()
        .unwrap();
}

fn is_internal(result: &Result<impl std::fmt::Debug, AppError>) -> bool {
    matches!(result, Err(AppError::Internal { reference }) if reference.len() == 8)
}

#[tokio::test]
async fn a_change_whose_event_cannot_be_written_does_not_happen() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let events_before = event_count(&c.state).await;
    let profile_before = service::profile(&c.state, &rep, &c.ca.id).await.unwrap();
    break_event_writes(&c.state).await;

    // A new customer: refused with a reference, and neither in the store nor in the list.
    assert!(is_internal(&service::create(&c.state, &rep, &input("原子性测试科技"), false).await));
    let stored: Vec<String> =
        c.state.db.query("SELECT VALUE name FROM customer WHERE name = '原子性测试科技'").await.unwrap().take(0).unwrap();
    assert!(stored.is_empty(), "the customer was not written");
    assert_eq!(service::list(&c.state, &rep, &query("原子性")).total, 0, "nor listed");

    // An edit, a tag, a contact, a follow-up: none of them lands.
    let mut edited = CustomerInput::from_customer(&profile_before.customer);
    edited.industry = "改过的行业".into();
    assert!(is_internal(&service::update(&c.state, &rep, &c.ca.id, &edited, profile_before.customer.version, true).await));
    let tag = Tag { dimension: TagDimension::Value, label: "VIP".into() };
    assert!(is_internal(&service::add_tag(&c.state, &rep, &c.ca.id, &tag).await));
    let contact = ContactInput { name: "不会存下的联系人".into(), ..Default::default() };
    assert!(is_internal(&contacts::add_contact(&c.state, &rep, &c.ca.id, &contact).await));
    let note = TouchpointInput { summary: "不会存下的跟进".into(), ..Default::default() };
    assert!(is_internal(&contacts::add_touchpoint(&c.state, &rep, &c.ca.id, &note).await));
    // Returning to the pool: the owner, the note on the timeline and the event go together.
    assert!(is_internal(&pool::release(&c.state, &rep, &c.ca.id, "不要了").await));
    // A deal's stage move, with its stage-move record.
    let deal = deals::view(&c.state, &rep, &c.da.id).await.unwrap().deal;
    let moved = deals::move_to(&c.state, &rep, &c.da.id, "needs", deal.version).await;
    assert!(is_internal(&moved));

    let after = service::profile(&c.state, &rep, &c.ca.id).await.unwrap();
    assert_eq!(after.customer, profile_before.customer, "the customer is as it was (owner, tags, fields, version)");
    assert_eq!(after.contacts, profile_before.contacts);
    assert_eq!(after.timeline, profile_before.timeline, "no follow-up and no pool note");
    let deal_after = deals::view(&c.state, &rep, &c.da.id).await.unwrap();
    assert_eq!((deal_after.deal.stage.as_str(), deal_after.deal.version), (deal.stage.as_str(), deal.version));
    assert_eq!(deal_after.history.len(), 1, "no stage move was recorded");
    // The directory agrees with the store after a rebuild from it.
    c.state.reload_directory().await.unwrap();
    assert_eq!(service::list(&c.state, &rep, &query("甲的客户")).rows[0].owner, REP_A);
    assert_eq!(event_count(&c.state).await, events_before);

    // Over HTTP the person gets the reference and nothing of the store's message.
    let token = c.session(REP_A).await;
    let (status, body) =
        call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": input("经由网页"), "confirmed_not_duplicate": true })).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(matches!(error_of(status, &body), Some(AppError::Internal { .. })), "{body}");
    assert!(!body.contains("event") && !body.contains("actor") && !body.to_lowercase().contains("surreal"), "{body}");

    // Mended, the same changes go through, each with its event.
    mend_event_writes(&c.state).await;
    let created = service::create(&c.state, &rep, &input("原子性测试科技"), false).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep, &created.id, &note).await.unwrap();
    let history = event_store::of_customer(&c.state.db, &created.id, &|u| u.to_string()).await.unwrap();
    let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
    assert!(kinds.contains(&EventKind::CustomerCreated) && kinds.contains(&EventKind::TouchpointAdded), "{kinds:?}");
    assert!(history.iter().all(|e| e.actor == REP_A));
}

#[tokio::test]
async fn the_audit_log_is_read_from_the_events_of_every_feature() {
    let c = company().await;
    // The fixture made a customer with a contact, a deal, a quote and a contract.
    let boss = c.caller(BOSS);
    let history = kehu_backend::audit::customer_history(&c.state, &boss, &c.ca.id).await.unwrap();
    let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
    for kind in [EventKind::CustomerCreated, EventKind::ContactAdded, EventKind::DealCreated, EventKind::QuoteAdded, EventKind::ContractSaved] {
        assert!(kinds.contains(&kind), "{kind:?} missing from {kinds:?}");
    }
    let deal = history.iter().find(|e| e.kind == EventKind::DealCreated).unwrap();
    assert_eq!((deal.subject.as_str(), deal.actor_name.as_str()), ("ERP 一期", "老板"));
    // A manager of the other team sees none of it, in the history or in the log.
    let mgr_b = c.caller(MGR_B);
    assert_eq!(kehu_backend::audit::customer_history(&c.state, &mgr_b, &c.ca.id).await, Err(AppError::NotFound));
    let log = kehu_backend::audit::log(&c.state, &mgr_b).await.unwrap();
    assert!(log.iter().all(|e| e.customer != c.ca.id));
    assert!(log.iter().any(|e| e.customer == c.cb.id && e.kind == EventKind::CustomerCreated));
    assert_eq!(kehu_backend::audit::log(&c.state, &c.caller(REP_A)).await, Err(AppError::Forbidden));
}

#[tokio::test]
async fn a_follower_can_tail_the_events_in_commit_order() {
    let c = company().await;
    let rep = c.caller(REP_A);
    service::create(&c.state, &rep, &input("变更订阅测试"), false).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep, &c.ca.id, &TouchpointInput { summary: "尾随".into(), ..Default::default() })
        .await
        .unwrap();
    let changes: surrealdb::types::Value =
        c.state.db.query("SHOW CHANGES FOR TABLE event SINCE 1 LIMIT 1000").await.unwrap().take(0).unwrap();
    let text = format!("{changes:?}");
    let created = text.find("变更订阅测试").expect("the new customer's event is in the change feed");
    let followed = text.rfind("touchpoint_added").expect("the follow-up's event too");
    assert!(created < followed, "in commit order");
}

/// Unpacks the store a release before the event log wrote (`fixtures/store-v6.tgz`: `kehu
/// demo --customers 12`, an admin from `kehu user add`, then through the old server: a
/// customer created, tagged VIP, given a contact, returned to the pool and claimed again;
/// the old server's first recycling run returned nine untended demo customers to the pool).
fn unpack_old_store() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kehu-v6-{}-{}", std::process::id(), rand_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store-v6.tgz");
    let status = std::process::Command::new("tar").arg("xzf").arg(&fixture).arg("-C").arg(&dir).status().unwrap();
    assert!(status.success(), "tar could not unpack {}", fixture.display());
    dir.join("oldstore")
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos() as u64).unwrap_or(0)
}

#[tokio::test]
async fn a_store_written_before_the_event_log_opens_with_everything_in_it() {
    const OLD_CUSTOMER: &str = "q24iovapqdfhftm3y7x4";
    let dir = unpack_old_store();
    let url = format!("surrealkv://{}", dir.display());
    // After the fixture was made (its events carry the real time of 2 December 2026).
    let later = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 4, 9, 0, 0).unwrap();
    let state = AppState::open(&url, None, Clock::fixed(later)).await.expect("the old store opens and migrates");

    let versions: Vec<i64> = state.db.query("SELECT VALUE version FROM kehu_migration ORDER BY version").await.unwrap().take(0).unwrap();
    let all: Vec<i64> = kehu_backend::store::migrations::MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(versions, all, "every migration since, the event log's (7) among them");
    // Its data: customers, users, deals and orders.
    assert_eq!(state.directory.len(), 13);
    let boss = state.users.caller("boss").expect("the admin");
    assert!(boss.is_admin() && state.users.all().len() == 13, "the admin and the twelve demo reps");
    let customer = service::profile(&state, &boss, OLD_CUSTOMER).await.unwrap();
    assert_eq!(customer.customer.name, "旧版本客户有限公司");
    assert_eq!(customer.customer.tags, vec![Tag { dimension: TagDimension::Value, label: "VIP".into() }]);
    assert_eq!(customer.contacts[0].name, "旧联系人");
    assert_eq!(customer.customer.owner, "boss");
    assert_eq!(state.orders.counts().0, 31);
    let deals: Vec<surrealdb::types::RecordId> = state.db.query("SELECT VALUE id FROM deal").await.unwrap().take(0).unwrap();
    assert_eq!(deals.len(), 2);

    // Its audit history, now events, in order, with who did it.
    let history = kehu_backend::audit::customer_history(&state, &boss, OLD_CUSTOMER).await.unwrap();
    let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![EventKind::Claimed, EventKind::ReturnedToPool, EventKind::ContactAdded, EventKind::TagAdded, EventKind::CustomerCreated]
    );
    assert!(history.iter().all(|e| e.actor == "boss"));
    assert_eq!(history[1].changes[0].field, "owner");
    let log = kehu_backend::audit::log(&state, &boss).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == EventKind::Recycled && e.actor == "system").count(), 9);
    assert!(log.iter().any(|e| e.kind == EventKind::UserCreated && e.actor == "cli" && e.subject == "boss"));
    // The old table is gone: the history has one home.
    let tables: surrealdb::types::Value = state.db.query("INFO FOR DB").await.unwrap().take(0).unwrap();
    let tables = format!("{tables:?}");
    assert!(tables.contains("event") && !tables.contains("audit"), "{tables}");

    // New changes join the same history.
    let mut edited = CustomerInput::from_customer(&customer.customer);
    edited.notes = "新版本改的".into();
    service::update(&state, &boss, OLD_CUSTOMER, &edited, customer.customer.version, true).await.unwrap();
    let history = kehu_backend::audit::customer_history(&state, &boss, OLD_CUSTOMER).await.unwrap();
    assert_eq!((history.len(), history[0].kind), (6, EventKind::CustomerUpdated));
    drop(state);
    let _ = std::fs::remove_dir_all(dir.parent().unwrap_or(&dir));
}
