//! A freshly started server answers before its read models are loaded: sign-in works at once,
//! everything a signed-in person asks for is told to wait (and changes nothing) until the
//! models are in, `/healthz` says "loading" meanwhile, and afterwards all is as usual.

use axum::http::{Method, StatusCode};
use kehu_backend::accounts::signin;
use kehu_backend::customers::service;
use kehu_backend::AppState;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use kehu_domain::platform::tokens::TokenScope;
use kehu_ui::accounts::api::Login;
use kehu_ui::customers::api::{CreateCustomer, ListCustomers};
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::platform::{api, token};
use crate::support::*;

#[tokio::test]
async fn a_starting_server_signs_people_in_and_asks_them_to_wait_until_its_data_is_loaded() {
    let c = company().await;
    let secret = token(&c, REP_A, &[TokenScope::Read, TokenScope::Write], 30).await;
    // A second process starting on the same store: accounts loaded, the rest not yet.
    let fresh = AppState::starting(c.state.db.clone(), c.state.clock.clone(), c.state.policy.clone()).await.unwrap();
    let app = kehu::http::router(fresh.clone(), &config());

    let (status, _, body) = get(&app, "/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "loading"));

    let (status, body) = call(&app, Login::PATH, None, json!({ "username": REP_A, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::OK, "sign-in works while loading: {body}");
    let session = signin::open_session(&fresh, REP_A).await.unwrap();

    let (status, body) = call(&app, ListCustomers::PATH, Some(&session), json!({ "query": query("") })).await;
    assert_eq!(error_of(status, &body), Some(AppError::Warming { retry_after_secs: 3 }));
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let input = CustomerInput { name: "启动中新建科技".into(), owner: REP_A.into(), ..Default::default() };
    let (status, body) = call(&app, CreateCustomer::PATH, Some(&session), json!({ "input": input, "confirmed_not_duplicate": true })).await;
    assert_eq!(error_of(status, &body), Some(AppError::Warming { retry_after_secs: 3 }));
    assert_eq!(service::count(&c.state), 3, "nothing was written");

    // A page says so in the reader's language instead of showing a half-loaded list.
    let (status, _, html) = get(&app, "/customers", Some(&format!("kehu_session={session}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("正在加载数据") && !html.contains("甲的客户科技"), "{html}");

    // The REST API: 503 with Retry-After.
    let answer = api(&app, Method::GET, "/api/v1/customers", &secret, &[], None).await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(answer.headers.get("retry-after").unwrap(), "3");

    fresh.warm_up().await.unwrap();
    let (status, _, body) = get(&app, "/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
    let (status, body) = call(&app, ListCustomers::PATH, Some(&session), json!({ "query": query("") })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(serde_json::from_str::<CustomerPage>(&body).unwrap().total, 2, "rep A's customer and the pool's");
    let answer = api(&app, Method::GET, "/api/v1/customers", &secret, &[], None).await;
    assert_eq!(answer.status, StatusCode::OK);
}
