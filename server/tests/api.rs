//! Server tests: the customer 360 services and HTTP surface against a real SurrealDB, in
//! memory (`mem://`) or, where persistence is the point, on disk in a temporary directory.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{TimeZone, Utc};
use kehu::config::Config;
use kehu::routes;
use kehu_app::backend::{customer_service as service, demo, AppState, Clock};
use kehu_app::customers::api::{CreateCustomer, ListCustomers};
use kehu_app::customers::types::*;
use kehu_app::error::{AppError, Problem};
use kehu_app::format::DisplayOffset;
use kehu_app::i18n::Lang;
use leptos::server_fn::ServerFn;
use serde_json::json;
use tower::ServiceExt;

fn clock() -> Clock {
    Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap())
}

async fn memory_state() -> AppState {
    AppState::open("mem://", None, clock()).await.expect("in-memory store opens")
}

fn company(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), owner: "王芳".into(), region: "华东".into(), ..Default::default() }
}

fn test_config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_url: "mem://".into(),
        default_lang: Lang::Zh,
        utc_offset: DisplayOffset::default(),
        db_credentials: None,
    }
}

fn query(q: &str) -> ListQuery {
    ListQuery { q: q.into(), ..Default::default() }
}

#[tokio::test]
async fn create_then_list_search_and_profile() {
    let state = memory_state().await;
    let created = service::create(&state, &company("  张三科技有限公司 "), false).await.unwrap();
    assert_eq!(created.name, "张三科技有限公司");
    assert_eq!(created.version, 1);
    service::create(&state, &CustomerInput { kind: CustomerKind::Person, ..company("Zhang Wei") }, false).await.unwrap();

    let page = service::list(&state, &query("科技"));
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].id, created.id);
    assert_eq!(service::list(&state, &query("zhang")).rows[0].name, "Zhang Wei");

    let profile = service::profile(&state, &created.id).await.unwrap();
    assert_eq!(profile.customer, created);
    assert!(profile.contacts.is_empty() && profile.timeline.is_empty());
}

#[tokio::test]
async fn invalid_input_is_refused_and_nothing_is_written() {
    let state = memory_state().await;
    let mut input = company("");
    input.email = "not-an-email".into();
    input.phone = "12345".into();
    let Err(AppError::Invalid(errors)) = service::create(&state, &input, false).await else {
        panic!("expected a validation error")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "phone", "email"]);

    let huge = company(&"名".repeat(4_000_000));
    let Err(AppError::Invalid(errors)) = service::create(&state, &huge, false).await else { panic!("expected refusal") };
    assert_eq!(errors[0].problem, Problem::TooLong { max: 200 });
    assert_eq!(service::count(&state), 0);
    state.reload_directory().await.unwrap();
    assert_eq!(service::count(&state), 0, "the store holds nothing either");
}

#[tokio::test]
async fn duplicates_by_name_phone_or_email_are_reported_until_confirmed() {
    let state = memory_state().await;
    let mut first = company("张三科技有限公司");
    first.phone = "138 0013 8000".into();
    let first = service::create(&state, &first, false).await.unwrap();
    let contact = ContactInput { name: "李娜".into(), email: "Li.Na@Example.com".into(), ..Default::default() };
    service::add_contact(&state, &first.id, &contact).await.unwrap();

    // Same company under another legal form.
    let Err(AppError::PossibleDuplicates(hits)) = service::create(&state, &company("张三科技"), false).await else {
        panic!("name duplicate not found")
    };
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].id.as_str(), hits[0].owner.as_str()), (first.id.as_str(), "王芳"));
    assert_eq!(hits[0].matched_on, vec![DuplicateField::Name]);

    // Same phone in another format, same email as a contact.
    let mut other = company("完全不同的名字");
    other.phone = "+86 13800138000".into();
    other.email = "li.na@example.com".into();
    let Err(AppError::PossibleDuplicates(hits)) = service::create(&state, &other, false).await else {
        panic!("phone/email duplicate not found")
    };
    assert_eq!(hits[0].matched_on, vec![DuplicateField::Phone, DuplicateField::Email]);
    assert_eq!(service::count(&state), 1, "nothing written while unconfirmed");

    service::create(&state, &other, true).await.expect("confirmed duplicates are saved");
    assert_eq!(service::count(&state), 2);

    // Editing a customer does not report the customer itself.
    let hits = service::possible_duplicates(&state, "张三科技有限公司", "", "", Some(&first.id)).await.unwrap();
    assert!(hits.is_empty());
}

#[tokio::test]
async fn edits_check_the_version_and_update_the_directory() {
    let state = memory_state().await;
    let c = service::create(&state, &company("旧名字贸易"), false).await.unwrap();
    let mut edit = CustomerInput::from_customer(&c);
    edit.name = "新名字贸易".into();
    edit.stage = LifecycleStage::Customer;
    let saved = service::update(&state, &c.id, &edit, c.version, false).await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.stage, LifecycleStage::Customer);
    assert_eq!(saved.created_at, c.created_at);
    assert_eq!(service::list(&state, &query("旧名字")).total, 0);
    assert_eq!(service::list(&state, &query("新名字")).total, 1);

    // A second edit based on the first version is a conflict and changes nothing.
    edit.name = "第三个名字".into();
    assert_eq!(service::update(&state, &c.id, &edit, c.version, false).await, Err(AppError::Conflict));
    assert_eq!(service::profile(&state, &c.id).await.unwrap().customer.name, "新名字贸易");

    assert_eq!(service::update(&state, "nosuchcustomer", &edit, 1, false).await, Err(AppError::NotFound));
    assert_eq!(service::profile(&state, "bad id with spaces").await, Err(AppError::NotFound));
}

#[tokio::test]
async fn tags_contacts_and_touchpoints() {
    let state = memory_state().await;
    let c = service::create(&state, &company("远航医疗器械股份有限公司"), false).await.unwrap();

    let vip = Tag::new(TagDimension::Value, "VIP");
    let tags = service::add_tag(&state, &c.id, &vip).await.unwrap();
    assert_eq!(tags, vec![vip.clone()]);
    assert_eq!(service::add_tag(&state, &c.id, &vip).await.unwrap().len(), 1, "adding twice is a no-op");
    let by_tag = ListQuery { tag: Some("value:VIP".into()), ..Default::default() };
    assert_eq!(service::list(&state, &by_tag).total, 1);
    assert!(service::add_tag(&state, &c.id, &Tag::new(TagDimension::Value, " ")).await.is_err());
    assert!(service::remove_tag(&state, &c.id, &vip).await.unwrap().is_empty());
    assert_eq!(service::list(&state, &by_tag).total, 0);

    let contact = service::add_contact(
        &state,
        &c.id,
        &ContactInput { name: "李娜".into(), phone: "139 0000 1111".into(), birthday: "1992-02-29".into(), ..Default::default() },
    )
    .await
    .unwrap();
    assert_eq!(contact.birthday, chrono::NaiveDate::from_ymd_opt(1992, 2, 29));
    assert_eq!(service::list(&state, &query("李娜")).total, 1, "contacts are searchable");
    assert_eq!(service::list(&state, &query("13900001111")).total, 1);
    let bad = ContactInput { name: "王".into(), birthday: "2030-01-01".into(), ..Default::default() };
    assert!(matches!(service::add_contact(&state, &c.id, &bad).await, Err(AppError::Invalid(_))));
    let renamed = ContactInput { name: "李娜娜".into(), ..ContactInput::from_contact(&contact) };
    service::update_contact(&state, &c.id, &contact.id, &renamed).await.unwrap();
    assert_eq!(service::list(&state, &query("李娜娜")).total, 1);

    // A contact is reached only through its own customer.
    let other = service::create(&state, &company("别家公司"), false).await.unwrap();
    assert_eq!(service::remove_contact(&state, &other.id, &contact.id).await, Err(AppError::NotFound));
    service::remove_contact(&state, &c.id, &contact.id).await.unwrap();
    assert_eq!(service::list(&state, &query("李娜")).total, 0);

    let input = TouchpointInput {
        kind: TouchpointKind::Visit,
        author: "王芳".into(),
        summary: "上门拜访，演示 ERP".into(),
        next_step: "发送合同".into(),
        next_step_on: "2026-11-30".into(),
    };
    let t1 = service::add_touchpoint(&state, &c.id, &input).await.unwrap();
    let t2 = service::add_touchpoint(&state, &c.id, &TouchpointInput { summary: "电话回访".into(), ..input.clone() }).await.unwrap();
    let profile = service::profile(&state, &c.id).await.unwrap();
    assert_eq!(profile.timeline.len(), 2);
    assert!(profile.timeline.iter().any(|t| t.id == t1.id) && profile.timeline.iter().any(|t| t.id == t2.id));
    assert_eq!(profile.customer.last_contact_at, Some(clock().now()));
    assert!(matches!(
        service::add_touchpoint(&state, &c.id, &TouchpointInput { summary: "".into(), ..input.clone() }).await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(service::add_touchpoint(&state, "missing", &input).await, Err(AppError::NotFound));
}

#[tokio::test]
async fn everything_survives_a_restart_on_disk() {
    let dir = std::env::temp_dir().join(format!("kehu-test-{}", std::process::id()));
    let url = format!("surrealkv://{}", dir.display());
    let id = {
        let state = AppState::open(&url, None, clock()).await.unwrap();
        let c = service::create(&state, &company("持久化测试公司"), false).await.unwrap();
        let t = TouchpointInput { author: "王芳".into(), summary: "首次电话".into(), ..Default::default() };
        service::add_touchpoint(&state, &c.id, &t).await.unwrap();
        c.id
    };
    // Opening again runs the migrations a second time: they must be idempotent. The first
    // store releases its lock file in the background once its last handle is gone.
    let mut reopened = None;
    for _ in 0..100 {
        match AppState::open(&url, None, clock()).await {
            Ok(state) => {
                reopened = Some(state);
                break;
            }
            Err(e) if e.to_string().contains("locked") => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Err(e) => panic!("reopening failed: {e}"),
        }
    }
    let state = reopened.expect("the store was released within 10 s");
    assert_eq!(service::list(&state, &query("持久化")).total, 1);
    let profile = service::profile(&state, &id).await.unwrap();
    assert_eq!(profile.timeline[0].summary, "首次电话");
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn demo_data_loads_and_is_consistent() {
    let state = memory_state().await;
    assert_eq!(demo::load(&state, 120, 7).await.unwrap(), 120);
    assert_eq!(service::count(&state), 120);
    let facets = service::facets(&state);
    assert!(facets.owners.len() > 3 && facets.regions.len() > 3 && !facets.tags.is_empty());
    let page = service::list(&state, &ListQuery { per_page: 200, ..Default::default() });
    let profile = service::profile(&state, &page.rows[0].id).await.unwrap();
    assert_eq!(profile.customer.last_contact_at, profile.timeline.iter().map(|t| t.at).max());
}

// ---- The HTTP surface ----

async fn post_json(app: &Router, path: &str, body: serde_json::Value) -> (StatusCode, String) {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(app: &Router, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn server_functions_over_http() {
    let state = memory_state().await;
    let app = routes::router(state.clone(), &test_config());

    let (status, body) = post_json(&app, CreateCustomer::PATH, json!({ "input": company("星河贸易"), "confirmed_not_duplicate": false })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created: Customer = serde_json::from_str(&body).unwrap();

    let (status, body) = post_json(&app, ListCustomers::PATH, json!({ "query": query("星河") })).await;
    assert_eq!(status, StatusCode::OK);
    let page: CustomerPage = serde_json::from_str(&body).unwrap();
    assert_eq!(page.rows[0].id, created.id);

    let (status, body) = post_json(&app, CreateCustomer::PATH, json!({ "input": company(""), "confirmed_not_duplicate": false })).await;
    assert!(status.is_server_error() || status.is_client_error());
    let error: AppError = serde_json::from_str(&body).unwrap();
    assert!(matches!(error, AppError::Invalid(_)));

    // Malformed JSON is an error the client can read, not a crash.
    let (status, body) = post_json(&app, CreateCustomer::PATH, json!({ "input": 42 })).await;
    assert!(!status.is_success());
    assert!(serde_json::from_str::<AppError>(&body).is_ok(), "{body}");
}

#[tokio::test]
async fn a_ten_megabyte_request_is_refused_with_a_clear_error_and_writes_nothing() {
    let state = memory_state().await;
    let app = routes::router(state.clone(), &test_config());
    let name = "名".repeat(10 * 1024 * 1024 / 3);
    let (status, body) = post_json(&app, CreateCustomer::PATH, json!({ "input": company(&name), "confirmed_not_duplicate": true })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(serde_json::from_str::<AppError>(&body).unwrap(), AppError::TooLarge);
    assert_eq!(service::count(&state), 0);
}

#[tokio::test]
async fn pages_render_on_the_server_in_the_chosen_language() {
    let state = memory_state().await;
    let c = service::create(&state, &company("服务端渲染测试公司"), false).await.unwrap();
    let app = routes::router(state, &test_config());

    let (status, html) = get(&app, "/customers", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("服务端渲染测试公司"), "the list is in the first response");
    assert!(html.contains(r#"lang="zh-CN""#));
    assert!(html.contains("共 1 位客户"));

    let (_, html) = get(&app, "/customers", Some("kehu_lang=en")).await;
    assert!(html.contains(r#"lang="en""#) && html.contains("1 customer"));

    let (status, html) = get(&app, &format!("/customers/{}", c.id), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("服务端渲染测试公司") && html.contains("跟进时间线"));

    let (status, _) = get(&app, "/no/such/page", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = get(&app, "/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}
