//! The open platform: personal access tokens (made once, acting as their user with that
//! user's rights, scoped, revocable, expiring, rate limited) and `/api/v1` on them —
//! problem details in the caller's language, `ETag`/`If-Match`, `Idempotency-Key`, the
//! OpenAPI document, and writes audited "via API".

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use kehu::http;
use kehu_backend::platform::tokens;
use kehu_backend::Clock;
use kehu_domain::error::AppError;
use kehu_domain::platform::tokens::{NewTokenInput, TokenScope};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::support::*;

pub async fn token(c: &Company, user: &str, scopes: &[TokenScope], days: u32) -> String {
    let input = NewTokenInput { name: format!("{user} 的集成"), scopes: scopes.to_vec(), days };
    tokens::create(&c.state, &c.caller(user), &input).await.unwrap().secret
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

pub async fn api(app: &Router, method: Method, path: &str, secret: &str, headers: &[(&str, &str)], body: Option<&str>) -> Answer {
    let mut request = Request::builder().method(method).uri(path).header(header::HOST, "kehu.test").header(header::AUTHORIZATION, format!("Bearer {secret}"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let response = app.clone().oneshot(request.body(Body::from(body.unwrap_or("").to_string())).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

#[tokio::test]
async fn a_token_acts_as_its_user_with_their_rights_until_revoked() {
    let c = company().await;
    let made = tokens::create(&c.state, &c.caller(REP_A), &NewTokenInput { name: "ERP".into(), scopes: vec![TokenScope::Read], days: 30 }).await.unwrap();
    assert!(made.secret.starts_with("kehu_") && made.secret.len() == 69);
    assert!(made.secret.starts_with(&made.token.prefix));
    let listed = tokens::list(&c.state, &c.caller(REP_A)).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!format!("{listed:?}").contains(&made.secret), "the list never carries the secret");
    assert!(tokens::list(&c.state, &c.caller(REP_B)).await.unwrap().is_empty(), "one's tokens are one's own");

    let me = api(&c.app, Method::GET, "/api/v1/me", &made.secret, &[], None).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["username"], REP_A);
    assert_eq!(me.body["scopes"], json!(["read"]));

    let list = api(&c.app, Method::GET, "/api/v1/customers", &made.secret, &[], None).await;
    assert_eq!(list.status, StatusCode::OK);
    let ids: Vec<&str> = list.body["data"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&c.ca.id.as_str()) && !ids.contains(&c.cb.id.as_str()), "a rep's token sees what the rep sees: {ids:?}");
    let colleague = api(&c.app, Method::GET, &format!("/api/v1/customers/{}", c.cb.id), &made.secret, &[], None).await;
    assert_eq!(colleague.status, StatusCode::NOT_FOUND);
    assert_eq!(colleague.headers[header::CONTENT_TYPE], "application/problem+json");

    // Revoked by someone else: not found; by its owner: it stops at once.
    assert_eq!(tokens::revoke(&c.state, &c.caller(REP_B), &made.token.id).await.unwrap_err(), AppError::NotFound);
    let after = tokens::revoke(&c.state, &c.caller(REP_A), &made.token.id).await.unwrap();
    assert!(after[0].revoked_at.is_some());
    let refused = api(&c.app, Method::GET, "/api/v1/me", &made.secret, &[], None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.headers.contains_key(header::WWW_AUTHENTICATE));
    for wrong in ["", "kehu_", "kehu_00", &format!("kehu_{}", "0".repeat(64)), &made.secret.to_uppercase()] {
        assert_eq!(api(&c.app, Method::GET, "/api/v1/me", wrong, &[], None).await.status, StatusCode::UNAUTHORIZED, "{wrong}");
    }
}

#[tokio::test]
async fn a_token_expires_and_a_deactivated_users_token_stops() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let secret = token(&c, REP_A, &[TokenScope::Read], 7).await;
    assert_eq!(api(&c.app, Method::GET, "/api/v1/me", &secret, &[], None).await.status, StatusCode::OK);
    *now.lock().unwrap() = start() + chrono::Duration::days(7);
    assert_eq!(api(&c.app, Method::GET, "/api/v1/me", &secret, &[], None).await.status, StatusCode::UNAUTHORIZED);
    *now.lock().unwrap() = start();
    let other = token(&c, REP_B, &[TokenScope::Read], 7).await;
    let mut user = c.state.users.get(REP_B).unwrap();
    user.user.active = false;
    c.state.users.put(user);
    assert_eq!(api(&c.app, Method::GET, "/api/v1/me", &other, &[], None).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_form_is_checked_and_only_an_admin_makes_an_admin_token() {
    let c = company().await;
    let bad = NewTokenInput { name: " ".into(), scopes: vec![], days: 400 };
    let AppError::Invalid(fields) = tokens::create(&c.state, &c.caller(REP_A), &bad).await.unwrap_err() else { panic!() };
    assert_eq!(fields.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(), ["name", "scopes", "days"]);
    let admin = NewTokenInput { name: "sync".into(), scopes: vec![TokenScope::Admin], days: 30 };
    assert!(matches!(tokens::create(&c.state, &c.caller(MGR_A), &admin).await, Err(AppError::Invalid(_))));
    assert!(tokens::create(&c.state, &c.caller(BOSS), &admin).await.is_ok());
    assert!(tokens::list(&c.state, &c.caller(MGR_A)).await.unwrap().is_empty(), "nothing written for a refused form");
}

#[tokio::test]
async fn writes_need_the_write_scope_and_are_audited_via_the_api() {
    let c = company().await;
    let reader = token(&c, REP_A, &[TokenScope::Read], 30).await;
    let writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let body = json!({"name": "API 新客户有限公司", "phone": "13800138111", "address": "北京市海淀区中关村大街 1 号", "tags": ["value:VIP"]}).to_string();
    let refused = api(&c.app, Method::POST, "/api/v1/customers", &reader, &[], Some(&body)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let made = api(&c.app, Method::POST, "/api/v1/customers", &writer, &[], Some(&body)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let id = made.body["id"].as_str().unwrap().to_string();
    assert_eq!(made.body["owner"], REP_A, "a rep's customers are their own");
    assert_eq!(made.body["tags"], json!(["value:VIP"]));
    assert_eq!(made.body["address"], "北京市海淀区中关村大街 1 号");
    assert_eq!(made.headers[header::LOCATION], format!("/api/v1/customers/{id}").as_str());
    assert_eq!(made.headers[header::ETAG], "\"1\"");

    let log = kehu_backend::audit::log(&c.state, &c.caller(BOSS)).await.unwrap();
    let entry = log.iter().find(|e| e.customer == id).expect("the create is in the log");
    assert!(entry.via_api && entry.actor == REP_A);
    let page_made = log.iter().find(|e| e.customer == c.ca.id).unwrap();
    assert!(!page_made.via_api);
}

#[tokio::test]
async fn a_change_names_the_version_it_was_made_on() {
    let c = company().await;
    let writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let path = format!("/api/v1/customers/{}", c.ca.id);
    let read = api(&c.app, Method::GET, &path, &writer, &[], None).await;
    let etag = read.headers[header::ETAG].to_str().unwrap().to_string();
    let change = json!({"industry": "制造业"}).to_string();
    let no_precondition = api(&c.app, Method::PATCH, &path, &writer, &[], Some(&change)).await;
    assert_eq!(no_precondition.status, StatusCode::PRECONDITION_REQUIRED);
    let changed = api(&c.app, Method::PATCH, &path, &writer, &[("if-match", &etag)], Some(&change)).await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["industry"], "制造业");
    assert_eq!(changed.body["name"], c.ca.name.as_str(), "absent fields keep their value");
    let stale = api(&c.app, Method::PATCH, &path, &writer, &[("if-match", &etag)], Some(&json!({"industry": "零售"}).to_string())).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["current_version"], changed.body["version"]);
    assert_eq!(stale.headers[header::ETAG], changed.headers[header::ETAG]);
    let owner = api(&c.app, Method::PATCH, &path, &writer, &[("if-match", changed.headers[header::ETAG].to_str().unwrap())], Some(&json!({"owner": REP_B}).to_string())).await;
    assert_eq!(owner.status, StatusCode::UNPROCESSABLE_ENTITY, "ownership moves by assignment, not by an edit");
    let colleague = api(&c.app, Method::PATCH, &format!("/api/v1/customers/{}", c.cb.id), &writer, &[("if-match", "\"1\"")], Some(&change)).await;
    assert_eq!(colleague.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_idempotency_key_creates_once_and_answers_the_same() {
    let c = company().await;
    let writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let body = json!({"name": "重试科技有限公司"}).to_string();
    let key = [("idempotency-key", "order-sync-2026-12-04-0001")];
    let first = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&body)).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.body, first.body, "the same answer");
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(again.headers[header::LOCATION], first.headers[header::LOCATION]);
    let named = kehu_backend::customers::service::list(&c.state, &c.caller(BOSS), &query("重试科技"));
    assert_eq!(named.total, 1, "created once");
    let other = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&json!({"name": "别的公司"}).to_string())).await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY, "the key was used for another request");
    // Another token's same key is another request.
    let second_writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let separate = api(&c.app, Method::POST, "/api/v1/customers", &second_writer, &key, Some(&json!({"name": "另一家公司"}).to_string())).await;
    assert_eq!(separate.status, StatusCode::CREATED);
    let bad_key = api(&c.app, Method::POST, "/api/v1/customers", &writer, &[("idempotency-key", "")], Some(&body)).await;
    assert_eq!(bad_key.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_input_gets_problem_details_in_the_language_asked_and_writes_nothing() {
    let c = company().await;
    let writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let before = kehu_backend::customers::service::count(&c.state);
    let en = [("accept-language", "en-US,en;q=0.9")];
    let empty = api(&c.app, Method::POST, "/api/v1/customers", &writer, &en, Some("{}")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(empty.body["status"], 422);
    assert_eq!(empty.body["errors"][0]["field"], "name");
    assert_eq!(empty.body["errors"][0]["code"], "required");
    let zh = api(&c.app, Method::POST, "/api/v1/customers", &writer, &[("accept-language", "zh-CN")], Some("{}")).await;
    assert_ne!(zh.body["errors"][0]["message"], empty.body["errors"][0]["message"], "each in its language");
    for body in ["not json", "[]", r#"{"name": 5}"#, r#"{"name": "x", "shoe_size": 42}"#, r#"{"name": "x", "stage": "won"}"#] {
        let answer = api(&c.app, Method::POST, "/api/v1/customers", &writer, &en, Some(body)).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}: {:?}", answer.body);
        assert!(answer.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let bad_tag = api(&c.app, Method::POST, "/api/v1/customers", &writer, &en, Some(r#"{"name": "有标签的公司", "tags": ["VIP"]}"#)).await;
    assert_eq!(bad_tag.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_tag.body["errors"][0]["field"], "tags");
    assert_eq!(kehu_backend::customers::service::count(&c.state), before, "nothing written");
    for query in ["limit=0", "limit=101", "cursor=x", "fields=id,secret", "sort=random", "stage=won"] {
        let answer = api(&c.app, Method::GET, &format!("/api/v1/customers?{query}"), &writer, &en, None).await;
        assert!(answer.status == StatusCode::UNPROCESSABLE_ENTITY || answer.status == StatusCode::BAD_REQUEST, "{query}: {}", answer.status);
    }
}

#[tokio::test]
async fn the_list_pages_with_a_cursor_and_gives_the_fields_asked() {
    let c = company().await;
    let reader = token(&c, BOSS, &[TokenScope::Read], 30).await;
    let first = api(&c.app, Method::GET, "/api/v1/customers?limit=2&sort=name&fields=id,name", &reader, &[], None).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["total"], 3);
    let rows = first.body["data"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].as_object().unwrap().keys().collect::<Vec<_>>(), ["id", "name"]);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = api(&c.app, Method::GET, &format!("/api/v1/customers?limit=2&sort=name&cursor={cursor}"), &reader, &[], None).await;
    assert_eq!(second.body["data"].as_array().unwrap().len(), 1);
    assert!(second.body["next_cursor"].is_null());
    let mut seen: Vec<String> = rows.iter().chain(second.body["data"].as_array().unwrap()).map(|r| r["id"].as_str().unwrap().to_string()).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 3, "every customer once across the pages");
}

#[tokio::test]
async fn a_token_past_its_rate_waits_for_retry_after() {
    let c = company().await;
    let mut state = c.state.clone();
    state.policy.api_requests_per_minute = 3;
    let app = http::router(state, &config());
    let secret = token(&c, REP_A, &[TokenScope::Read], 30).await;
    for _ in 0..3 {
        assert_eq!(api(&app, Method::GET, "/api/v1/me", &secret, &[], None).await.status, StatusCode::OK);
    }
    let limited = api(&app, Method::GET, "/api/v1/me", &secret, &[], None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    let other = token(&c, REP_B, &[TokenScope::Read], 30).await;
    assert_eq!(api(&app, Method::GET, "/api/v1/me", &other, &[], None).await.status, StatusCode::OK, "the limit is per token");
    let listed = tokens::list(&c.state, &c.caller(REP_A)).await.unwrap();
    assert_eq!(listed[0].last_used_at, Some(start()), "its last use is noted");
}

#[tokio::test]
async fn the_openapi_document_is_generated_and_served_without_a_token() {
    let c = company().await;
    let (status, headers, body) = get(&c.app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let doc: Value = serde_json::from_str(&body).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in ["/api/v1/me", "/api/v1/customers", "/api/v1/customers/{id}"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["paths"]["/api/v1/customers/{id}"]["patch"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["ProblemDetails"].is_object());
}

#[tokio::test]
async fn an_idempotency_key_is_kept_for_a_day() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let writer = token(&c, REP_A, &[TokenScope::Write], 30).await;
    let key = [("idempotency-key", "nightly-1")];
    let first = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&json!({"name": "每晚同步一号公司"}).to_string())).await;
    assert_eq!(first.status, StatusCode::CREATED);
    *now.lock().unwrap() = start() + chrono::Duration::hours(23);
    kehu_backend::platform::idempotency::prune(&c.state).await.unwrap();
    let within = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&json!({"name": "每晚同步二号公司"}).to_string())).await;
    assert_eq!(within.status, StatusCode::UNPROCESSABLE_ENTITY, "still kept: another body is refused");
    *now.lock().unwrap() = start() + chrono::Duration::hours(25);
    kehu_backend::platform::idempotency::prune(&c.state).await.unwrap();
    let later = api(&c.app, Method::POST, "/api/v1/customers", &writer, &key, Some(&json!({"name": "每晚同步二号公司"}).to_string())).await;
    assert_eq!(later.status, StatusCode::CREATED, "a day later the key is free again");
}
