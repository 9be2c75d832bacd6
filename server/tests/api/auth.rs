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
    // Said as HTTP says it: 429 with when to come back, not 500.
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(headers.get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s > 0));
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

#[tokio::test]
async fn a_flood_of_guesses_is_counted_before_it_is_checked_and_locks_nobody_else_out() {
    let c = company().await;
    // 20 wrong passwords for the admin at once, from one client.
    let guesses = (0..20).map(|_| signin::login(&c.state, BOSS, "wrong password!", "203.0.113.9"));
    let results = futures::future::join_all(guesses).await;
    let checked = results.iter().filter(|r| matches!(r, Err(AppError::LoginFailed))).count();
    let slowed = results.iter().filter(|r| matches!(r, Err(AppError::RateLimited { .. }))).count();
    assert_eq!((checked, slowed), (5, 15), "only the free allowance was even checked");
    // The guesser is slowed down, even with the right password...
    assert!(matches!(signin::login(&c.state, BOSS, PASSWORD, "203.0.113.9").await, Err(AppError::RateLimited { .. })));
    // ...but the admin, from their own device, signs in as usual.
    let (token, caller) = signin::login(&c.state, BOSS, PASSWORD, "198.51.100.7").await.expect("not locked out");
    assert!(caller.is_admin() && token.len() == 64);
}

#[tokio::test]
async fn an_open_live_stream_does_not_keep_a_session_alive() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let token = c.session(REP_A).await;
    // Seven hours of a tab open with nobody there: the stream checks, and moves nothing.
    *now.lock().unwrap() = start() + chrono::Duration::hours(7);
    assert!(signin::still_signed_in(&c.state, &token).await.is_ok());
    *now.lock().unwrap() = start() + chrono::Duration::hours(9);
    assert_eq!(signin::still_signed_in(&c.state, &token).await, Err(AppError::Unauthorized), "idle for 9 hours");
}

#[tokio::test]
async fn two_setups_racing_with_the_token_make_one_admin() {
    let state = kehu_backend::AppState::open("mem://", None, Clock::fixed(start())).await.unwrap();
    let token = signin::open_setup(&state).unwrap().expect("setup is open");
    let one = UserInput { username: "root".into(), display_name: "管理员".into(), password: PASSWORD.into(), ..Default::default() };
    let two = UserInput { username: "root2".into(), ..one.clone() };
    let (a, b) = tokio::join!(signin::setup_admin(&state, &token, &one), signin::setup_admin(&state, &token, &two));
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1, "exactly one admin");
    assert!(matches!(a.err().or(b.err()), Some(AppError::SetupClosed)));
    assert_eq!(state.users.all().len(), 1);
}

#[tokio::test]
async fn ended_sessions_and_old_failures_are_forgotten() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let token = c.session(REP_A).await;
    let _ = signin::login(&c.state, REP_A, "wrong password!", "203.0.113.9").await;
    assert_eq!((c.state.pair_throttle.len(), c.state.client_throttle.len()), (1, 1));
    *now.lock().unwrap() = start() + chrono::Duration::days(2);
    signin::prune(&c.state).await.unwrap();
    assert_eq!((c.state.pair_throttle.len(), c.state.client_throttle.len()), (0, 0));
    assert!(c.state.sessions.is_empty());
    let left: Vec<surrealdb::types::RecordId> = c.state.db.query("SELECT VALUE id FROM session").await.unwrap().take(0).unwrap();
    assert!(left.is_empty(), "idle sessions are gone from the store");
    assert_eq!(signin::resolve(&c.state, &token).await, Err(AppError::Unauthorized));
}
