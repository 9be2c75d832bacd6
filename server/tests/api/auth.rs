//! Signing in and out, sessions, the first admin, and refusing forged requests.

use axum::http::StatusCode;
use kehu_ui::accounts::api::*;
use kehu_domain::accounts::types::{Me, UserInput};
use kehu_backend::accounts::signin;
use kehu_backend::accounts::users;
use kehu_backend::Clock;
use kehu_ui::customers::api::*;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use leptos::server_fn::ServerFn;
use serde_json::json;
use tower::ServiceExt;

use crate::support::*;

fn session_from(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().split_once('=').unwrap().1.to_string()
}

async fn login_call(c: &Company, username: &str, password: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let request = axum::http::Request::post(Login::PATH)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .header("host", "kehu.test")
        .header("origin", "http://kehu.test")
        .body(axum::body::Body::from(json!({ "username": username, "password": password }).to_string()))
        .unwrap();
    let response = c.app.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, headers, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn sign_in_sets_a_hardened_cookie_that_opens_the_data() {
    let c = company().await;
    let (status, headers, body) = login_call(&c, " REP_A ", PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let me: Me = serde_json::from_str(&body).unwrap();
    assert_eq!(me.user.username, REP_A);
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("kehu_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let token = session_from(&cookie);
    assert_eq!(token.len(), 64);
    let (status, _) = call(&c.app, GetProfile::PATH, Some(&token), json!({ "id": c.ca.id })).await;
    assert_eq!(status, StatusCode::OK);

    // Signing out ends that session for good.
    let (status, _) = call(&c.app, Logout::PATH, Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(&c.app, GetProfile::PATH, Some(&token), json!({ "id": c.ca.id })).await;
    assert_eq!(error_of(status, &body), Some(AppError::Unauthorized));
}

#[tokio::test]
async fn wrong_passwords_are_refused_alike_and_then_throttled() {
    let c = company().await;
    let (status, _, body) = login_call(&c, REP_A, "wrong password!").await;
    assert_eq!(error_of(status, &body), Some(AppError::LoginFailed));
    let (status, _, body) = login_call(&c, "nobody_here", PASSWORD).await;
    assert_eq!(error_of(status, &body), Some(AppError::LoginFailed), "unknown users get the same answer");
    for _ in 0..4 {
        login_call(&c, REP_A, "wrong password!").await;
    }
    let (status, headers, body) = login_call(&c, REP_A, PASSWORD).await;
    assert!(matches!(error_of(status, &body), Some(AppError::RateLimited { retry_after_secs }) if retry_after_secs > 0));
    assert!(headers.get("set-cookie").is_none(), "no session while locked out, even with the right password");
    // Other accounts are not locked by it.
    let (status, _, _) = login_call(&c, REP_B, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn idle_sessions_expire() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let token = c.session(REP_A).await;
    *now.lock().unwrap() = start() + chrono::Duration::hours(7);
    let (status, _) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!(status, StatusCode::OK, "7 hours idle is fine, and counts as activity");
    *now.lock().unwrap() = start() + chrono::Duration::hours(14);
    let (status, _) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!(status, StatusCode::OK, "7 more hours since the last request");
    *now.lock().unwrap() = start() + chrono::Duration::hours(23);
    let (status, body) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!(error_of(status, &body), Some(AppError::Unauthorized), "9 hours idle signs out");
}

#[tokio::test]
async fn deactivated_users_cannot_sign_in_and_lose_their_sessions() {
    let c = company().await;
    let token = c.session(REP_B).await;
    let moved = users::deactivate_user(&c.state, &c.caller(BOSS), REP_B, &kehu_domain::accounts::types::Handover::ToUser(REP_A.into()))
        .await
        .unwrap();
    assert_eq!(moved, 1, "rep B's one customer went to rep A");
    let (status, body) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!(error_of(status, &body), Some(AppError::Unauthorized));
    let (status, _, body) = login_call(&c, REP_B, PASSWORD).await;
    assert_eq!(error_of(status, &body), Some(AppError::AccountDisabled));
    // Nothing was lost: rep A has it now.
    let a = c.caller(REP_A);
    let page = kehu_backend::customers::service::list(&c.state, &a, &query("乙的客户"));
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].owner, REP_A);
}

#[tokio::test]
async fn forged_cross_site_requests_are_refused_and_change_nothing() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let request = axum::http::Request::post(ReleaseCustomer::PATH)
        .header("content-type", "application/json")
        .header("host", "kehu.test")
        .header("origin", "https://evil.example")
        .header("cookie", format!("kehu_session={token}"))
        .body(axum::body::Body::from(json!({ "id": c.ca.id, "reason": "csrf" }).to_string()))
        .unwrap();
    let response = c.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let profile = kehu_backend::customers::service::profile(&c.state, &c.caller(REP_A), &c.ca.id).await.unwrap();
    assert_eq!(profile.customer.owner, REP_A, "still rep A's");
}

#[tokio::test]
async fn the_first_admin_is_made_with_the_one_time_setup_token() {
    let state = kehu_backend::AppState::open("mem://", None, Clock::fixed(start())).await.unwrap();
    let app = kehu::http::router(state.clone(), &config());
    let token = signin::open_setup(&state).unwrap().expect("no admin yet: setup is open");
    let input = UserInput { username: "root".into(), display_name: "管理员".into(), password: PASSWORD.into(), ..Default::default() };
    let (status, body) = call(&app, SetupAdmin::PATH, None, json!({ "token": "wrong", "input": input })).await;
    assert_eq!(error_of(status, &body), Some(AppError::SetupClosed));
    let (status, body) = call(&app, SetupAdmin::PATH, None, json!({ "token": token, "input": input })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let me: Me = serde_json::from_str(&body).unwrap();
    assert!(me.is_admin);
    // Spent: the same token does not work twice, and no new one is made.
    let (status, body) = call(&app, SetupAdmin::PATH, None, json!({ "token": token, "input": UserInput { username: "root2".into(), ..input } })).await;
    assert_eq!(error_of(status, &body), Some(AppError::SetupClosed));
    assert_eq!(signin::open_setup(&state).unwrap(), None);
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted_or_deactivated() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let demote = UserInput { username: BOSS.into(), display_name: "老板".into(), role: kehu_domain::accounts::types::Role::Rep, ..Default::default() };
    assert!(matches!(users::update_user(&c.state, &boss, &demote).await, Err(AppError::Invalid(_))));
    assert_eq!(
        users::deactivate_user(&c.state, &boss, BOSS, &kehu_domain::accounts::types::Handover::ToPool).await,
        Err(AppError::Forbidden)
    );
}
