//! `/api/v1` beyond customers: deals through the funnel with the board's stage rules,
//! contacts, follow-ups, orders one at a time and in bulk (all or none), reminders, users —
//! each acting as the token's user, with that user's rights.

use axum::http::{header, Method, StatusCode};
use kehu_domain::platform::tokens::TokenScope;
use serde_json::{json, Value};

use crate::platform::{api, token};
use crate::support::*;

const WRITE: &[TokenScope] = &[TokenScope::Read, TokenScope::Write];

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn deals_move_through_the_funnel_by_the_boards_rules() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let stages = api(&c.app, Method::GET, "/api/v1/pipeline", &rep, &[("accept-language", "en")], None).await;
    assert_eq!(stages.status, StatusCode::OK);
    let keys: Vec<&str> = stages.body["stages"].as_array().unwrap().iter().map(|s| s["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["contact", "needs", "proposal", "negotiation", "signing"]);
    assert_eq!(stages.body["stages"][2]["requires"], json!(["amount", "needs_analysis"]));
    assert_eq!(stages.body["stages"][0]["name"], "First contact");

    let listed = api(&c.app, Method::GET, &format!("/api/v1/customers/{}/deals", c.ca.id), &rep, &[], None).await;
    assert_eq!(ids(&listed.body["data"]), [c.da.id.clone()]);
    let deal = api(&c.app, Method::GET, &format!("/api/v1/deals/{}", c.da.id), &rep, &[], None).await;
    assert_eq!((deal.status, deal.body["amount"].as_str(), deal.body["quotes"].as_u64()), (StatusCode::OK, Some("120000.00"), Some(1)));
    let etag = deal.headers[header::ETAG].to_str().unwrap().to_string();
    let other = token(&c, REP_B, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::GET, &format!("/api/v1/deals/{}", c.da.id), &other, &[], None).await.status, StatusCode::NOT_FOUND);

    let to = |stage: &str| format!(r#"{{"stage":"{stage}"}}"#);
    let path = format!("/api/v1/deals/{}/move", c.da.id);
    assert_eq!(api(&c.app, Method::POST, &path, &rep, &[], Some(&to("needs"))).await.status, StatusCode::PRECONDITION_REQUIRED);
    // 方案提交 needs the needs analysis the deal does not have: refused, with what is missing.
    let blocked = api(&c.app, Method::POST, &path, &rep, &[("if-match", &etag)], Some(&to("proposal"))).await;
    assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", blocked.body);
    assert_eq!(blocked.body["missing"], json!(["needs_analysis"]));
    let unknown = api(&c.app, Method::POST, &path, &rep, &[("if-match", &etag)], Some(&to("heaven"))).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    let moved = api(&c.app, Method::POST, &path, &rep, &[("if-match", &etag)], Some(&to("needs"))).await;
    assert_eq!((moved.status, moved.body["stage"].as_str()), (StatusCode::OK, Some("needs")), "{:?}", moved.body);
    assert_ne!(moved.headers[header::ETAG].to_str().unwrap(), etag);
    // The same version again: the deal moved on since.
    let stale = api(&c.app, Method::POST, &path, &rep, &[("if-match", &etag)], Some(&to("contact"))).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.headers[header::ETAG], moved.headers[header::ETAG], "the conflict names the version now");

    // A new deal, retried with the same key: made once.
    let new = format!(r#"{{"customer_id":"{}","title":"运维服务","amount":"36000","expected_close":"2027-03-31"}}"#, c.ca.id);
    let first = api(&c.app, Method::POST, "/api/v1/deals", &rep, &[("idempotency-key", "deal-1")], Some(&new)).await;
    assert_eq!((first.status, first.body["stage"].as_str()), (StatusCode::CREATED, Some("contact")), "{:?}", first.body);
    let again = api(&c.app, Method::POST, "/api/v1/deals", &rep, &[("idempotency-key", "deal-1")], Some(&new)).await;
    assert_eq!((again.status, &again.body["id"]), (StatusCode::CREATED, &first.body["id"]));
    let listed = api(&c.app, Method::GET, &format!("/api/v1/customers/{}/deals", c.ca.id), &rep, &[], None).await;
    assert_eq!(listed.body["data"].as_array().unwrap().len(), 2);
    let colleague = format!(r#"{{"customer_id":"{}","title":"抢单","amount":"1","expected_close":"2027-03-31"}}"#, c.cb.id);
    assert_eq!(api(&c.app, Method::POST, "/api/v1/deals", &rep, &[], Some(&colleague)).await.status, StatusCode::NOT_FOUND);

    // Lost needs a reason; then it is closed.
    let close = format!("/api/v1/deals/{}/close", first.body["id"].as_str().unwrap());
    let version = first.headers[header::ETAG].to_str().unwrap().to_string();
    let no_reason = api(&c.app, Method::POST, &close, &rep, &[("if-match", &version)], Some(r#"{"won":false}"#)).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_reason.body["errors"][0]["field"], "lost_reason");
    let lost = api(&c.app, Method::POST, &close, &rep, &[("if-match", &version)], Some(r#"{"won":false,"lost_reason":"预算取消"}"#)).await;
    assert_eq!((lost.status, lost.body["status"].as_str(), lost.body["lost_reason"].as_str()), (StatusCode::OK, Some("lost"), Some("预算取消")));
}

#[tokio::test]
async fn contacts_follow_ups_orders_reminders_and_users() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let reader = token(&c, REP_A, &[TokenScope::Read], 30).await;
    let contacts = format!("/api/v1/customers/{}/contacts", c.ca.id);
    let bad = api(&c.app, Method::POST, &contacts, &rep, &[], Some(r#"{"name":"王强","email":"not-an-address"}"#)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["errors"][0]["field"], "email");
    assert_eq!(api(&c.app, Method::POST, &contacts, &reader, &[], Some(r#"{"name":"王强"}"#)).await.status, StatusCode::FORBIDDEN);
    let made = api(&c.app, Method::POST, &contacts, &rep, &[], Some(r#"{"name":"王强","title":"采购经理","phone":"13800138000"}"#)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let listed = api(&c.app, Method::GET, &contacts, &reader, &[], None).await;
    let names: Vec<&str> = listed.body["data"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"王强") && names.contains(&"李娜"), "{names:?}");

    let follow_ups = format!("/api/v1/customers/{}/follow-ups", c.ca.id);
    let logged = api(&c.app, Method::POST, &follow_ups, &rep, &[], Some(r#"{"kind":"call","summary":"电话确认需求","next_step":"发方案","next_step_on":"2026-12-10"}"#)).await;
    assert_eq!((logged.status, logged.body["author"].as_str()), (StatusCode::CREATED, Some("销售甲")), "{:?}", logged.body);
    let timeline = api(&c.app, Method::GET, &follow_ups, &reader, &[], None).await;
    assert_eq!(timeline.body["data"][0]["summary"], "电话确认需求");
    let wrong_kind = api(&c.app, Method::POST, &follow_ups, &rep, &[], Some(r#"{"kind":"telepathy","summary":"x"}"#)).await;
    assert_eq!(wrong_kind.status, StatusCode::BAD_REQUEST);

    let products = api(&c.app, Method::GET, "/api/v1/products", &reader, &[], None).await;
    assert_eq!(ids(&products.body["data"]), [c.product.id.clone()]);
    let order = |customer: &str, product: &str, no: &str| json!({"customer_id": customer, "on": "2026-11-01", "order_no": no, "lines": [{"product_id": product, "quantity": 2, "amount": "1999.50"}]});
    let one = api(&c.app, Method::POST, "/api/v1/orders", &rep, &[], Some(&order(&c.ca.id, &c.product.id, "SO-1").to_string())).await;
    assert_eq!((one.status, one.body["total"].as_str()), (StatusCode::CREATED, Some("1999.50")), "{:?}", one.body);
    // All or none: one order for a colleague's customer and one naming no product refuse all.
    let mixed = json!({"orders": [order(&c.ca.id, &c.product.id, "SO-2"), order(&c.cb.id, &c.product.id, "SO-3"), order(&c.ca.id, "nothing", "SO-4")]});
    let refused = api(&c.app, Method::POST, "/api/v1/orders/bulk", &rep, &[], Some(&mixed.to_string())).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", refused.body);
    let fields: Vec<&str> = refused.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["orders.1.customer_id", "orders.2.lines.0.product"]);
    let orders = format!("/api/v1/customers/{}/orders", c.ca.id);
    assert_eq!(api(&c.app, Method::GET, &orders, &reader, &[], None).await.body["data"].as_array().unwrap().len(), 1, "nothing of the refused call was written");
    let good = json!({"orders": [order(&c.ca.id, &c.product.id, "SO-2"), order(&c.ca.id, &c.product.id, "SO-5")]});
    let bulk = api(&c.app, Method::POST, "/api/v1/orders/bulk", &rep, &[("idempotency-key", "bulk-1")], Some(&good.to_string())).await;
    assert_eq!((bulk.status, bulk.body["created"].as_u64()), (StatusCode::CREATED, Some(2)), "{:?}", bulk.body);
    let replay = api(&c.app, Method::POST, "/api/v1/orders/bulk", &rep, &[("idempotency-key", "bulk-1")], Some(&good.to_string())).await;
    assert_eq!(replay.body, bulk.body);
    assert_eq!(api(&c.app, Method::GET, &orders, &reader, &[], None).await.body["data"].as_array().unwrap().len(), 3);
    let empty = api(&c.app, Method::POST, "/api/v1/orders/bulk", &rep, &[], Some(r#"{"orders":[]}"#)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mine = api(&c.app, Method::GET, "/api/v1/reminders", &reader, &[], None).await;
    assert_eq!(ids(&mine.body["due"]), [c.ra.clone()], "{:?}", mine.body);
    let handle = format!("/api/v1/reminders/{}", c.ra);
    let no_until = api(&c.app, Method::POST, &handle, &rep, &[], Some(r#"{"action":"snooze"}"#)).await;
    assert_eq!(no_until.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api(&c.app, Method::POST, &handle, &rep, &[], Some(r#"{"action":"done"}"#)).await.status, StatusCode::NO_CONTENT);
    assert!(api(&c.app, Method::GET, "/api/v1/reminders", &reader, &[], None).await.body["due"].as_array().unwrap().is_empty());
    let others = token(&c, REP_B, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::POST, "/api/v1/reminders/nothing-here", &others, &[], Some(r#"{"action":"done"}"#)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api(&c.app, Method::GET, "/api/v1/reminders?kind=horoscope", &reader, &[], None).await.status, StatusCode::UNPROCESSABLE_ENTITY);

    let users = api(&c.app, Method::GET, "/api/v1/users", &reader, &[], None).await;
    let people: Vec<(&str, &str)> = users.body["data"].as_array().unwrap().iter().map(|u| (u["username"].as_str().unwrap(), u["role"].as_str().unwrap())).collect();
    assert!(people.contains(&(REP_A, "rep")) && people.contains(&(BOSS, "admin")) && people.len() == 6, "{people:?}");
}

#[tokio::test]
async fn the_readable_reference_is_served_without_a_token_and_runs_nothing() {
    let c = company().await;
    let (status, headers, body) = get(&c.app, "/api/v1/docs", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().starts_with("default-src 'none'"));
    assert!(body.contains("/api/v1/deals/{id}/move") && body.contains("id=\"schema-NewOrders\""), "the page lists what the document holds");
    assert!(!body.contains("<script"));
}

#[tokio::test]
async fn tickets_are_opened_worked_and_read_with_their_sla_clocks() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let agent = token(&c, SVC, WRITE, 30).await;
    let open = format!("/api/v1/customers/{}/tickets", c.ca.id);
    let complaint = r#"{"title":"发货延迟","description":"客户说货还没到","kind":"complaint","priority":"high","category":"物流"}"#;
    let unsorted = api(&c.app, Method::POST, &open, &rep, &[], Some(r#"{"title":"发货延迟","kind":"complaint","priority":"high"}"#)).await;
    assert_eq!(unsorted.status, StatusCode::UNPROCESSABLE_ENTITY, "a complaint needs its category");
    assert_eq!(unsorted.body["errors"][0]["field"], "category");
    let made = api(&c.app, Method::POST, &open, &rep, &[("idempotency-key", "t-1")], Some(complaint)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let again = api(&c.app, Method::POST, &open, &rep, &[("idempotency-key", "t-1")], Some(complaint)).await;
    assert_eq!(again.body["id"], made.body["id"], "opened once");
    assert_eq!(api(&c.app, Method::GET, &open, &rep, &[], None).await.body["data"].as_array().unwrap().len(), 1);
    let id = made.body["id"].as_str().unwrap();
    assert_eq!(made.body["status"], "new");
    assert_eq!(made.body["first_response"]["state"], "running", "{:?}", made.body);

    // The service queue has it; an agent answers the customer, which stops the first clock.
    let queue = api(&c.app, Method::GET, "/api/v1/tickets?scope=unassigned", &agent, &[], None).await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    assert!(ids(&queue.body["data"]).contains(&id.to_string()));
    let path = format!("/api/v1/tickets/{id}");
    let both = api(&c.app, Method::POST, &path, &agent, &[], Some(r#"{"note":"已联系物流","status":"in_progress"}"#)).await;
    assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY, "one piece of work at a time");
    let replied = api(&c.app, Method::POST, &path, &agent, &[], Some(r#"{"note":"已联系物流，明天送达","to_customer":true}"#)).await;
    assert_eq!(replied.status, StatusCode::OK, "{:?}", replied.body);
    assert_eq!(replied.body["first_response"]["state"], "met");
    assert_eq!(replied.body["notes"][0]["to_customer"], true);
    let bad = api(&c.app, Method::POST, &path, &agent, &[], Some(r#"{"status":"forgotten"}"#)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let solved = api(&c.app, Method::POST, &path, &agent, &[], Some(r#"{"status":"solved","resolution":"已补发"}"#)).await;
    assert_eq!((solved.status, solved.body["status"].as_str()), (StatusCode::OK, Some("solved")), "{:?}", solved.body);
    let read = api(&c.app, Method::GET, &path, &rep, &[], None).await;
    assert_eq!((read.body["status"].as_str(), read.body["resolution"].as_str()), (Some("solved"), Some("已补发")));
    let other = token(&c, REP_B, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::GET, &path, &other, &[], None).await.status, StatusCode::NOT_FOUND);
}
