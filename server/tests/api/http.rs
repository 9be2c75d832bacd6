//! The HTTP surface itself: body limits, malformed input, pages rendered on the server,
//! headers.

use axum::http::StatusCode;
use kehu_backend::customers::service;
use kehu_ui::customers::api::{CreateCustomer, ListCustomers};
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn server_functions_round_trip_and_report_errors_as_data() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let input = CustomerInput { name: "星河贸易".into(), ..Default::default() };
    let (status, body) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": input, "confirmed_not_duplicate": false })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let created: Customer = serde_json::from_str(&body).unwrap();
    let (_, body) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": query("星河") })).await;
    assert_eq!(serde_json::from_str::<CustomerPage>(&body).unwrap().rows[0].id, created.id);

    let empty = CustomerInput::default();
    let (status, body) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": empty, "confirmed_not_duplicate": false })).await;
    assert!(matches!(error_of(status, &body), Some(AppError::Invalid(_))));
    // Malformed JSON is an error the client can read, not a crash.
    let (status, body) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": 42 })).await;
    assert!(matches!(error_of(status, &body), Some(AppError::Transport(_))));
}

#[tokio::test]
async fn a_ten_megabyte_request_is_refused_with_a_clear_error_and_writes_nothing() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let before = service::count(&c.state);
    let name = "名".repeat(10 * 1024 * 1024 / 3);
    let input = CustomerInput { name, ..Default::default() };
    let (status, body) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": input, "confirmed_not_duplicate": true })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(error_of(status, &body), Some(AppError::TooLarge));
    assert_eq!(service::count(&c.state), before);
}

#[tokio::test]
async fn pages_render_on_the_server_for_the_signed_in_user_in_their_language() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let cookie = format!("kehu_session={token}");

    let (status, headers, html) = get(&c.app, "/customers", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("甲的客户科技"), "the list is in the first response");
    assert!(!html.contains("乙的客户贸易"), "and holds nothing of rep B's");
    assert!(html.contains(r#"lang="zh-CN""#) && html.contains("共 2 位客户"));
    let csp = headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-") && csp.contains("'wasm-unsafe-eval'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the inline scripts carry the header's nonce");
    assert_eq!(headers.get("x-frame-options").unwrap(), "DENY");

    let (_, _, html) = get(&c.app, "/customers", Some(&format!("{cookie}; kehu_lang=en"))).await;
    assert!(html.contains(r#"lang="en""#) && html.contains("2 customers"));

    let (status, _, html) = get(&c.app, &format!("/customers/{}", c.ca.id), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("甲的客户科技") && html.contains("跟进时间线"));

    // Someone else's customer by URL: not there.
    let (_, _, html) = get(&c.app, &format!("/customers/{}", c.cb.id), Some(&cookie)).await;
    assert!(!html.contains("乙的客户贸易"));

    // Each page is built once on the server: its data is fetched (and sent along) once.
    let (_, _, html) = get(&c.app, "/customers", Some(&cookie)).await;
    assert_eq!(html.matches(r#"{\"Ok\":{\"rows\":["#).count(), 1, "the customer list is loaded once");

    // Without a session, nothing of the data is sent: the page sends the visitor to sign in.
    let (_, headers, html) = get(&c.app, "/customers", None).await;
    assert!(!html.contains("甲的客户科技"));
    assert_eq!(headers.get("location").unwrap(), "/login?next=%2Fcustomers");

    let (status, _, _) = get(&c.app, "/no/such/page", Some(&cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, body) = get(&c.app, "/healthz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

/// Building a router works the app's routes out by rendering it with every resource held
/// back, and Leptos holds them back process-wide while it does. Pages rendering while other
/// routers are built (as in these tests, each building its own) still get their data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_while_other_routers_are_built() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let c = company().await;
    let cookie = format!("kehu_session={}", c.session(REP_A).await);
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (state, stop) = (c.state.clone(), stop.clone());
        std::thread::spawn(move || {
            let config = config();
            while !stop.load(Ordering::Relaxed) {
                drop(kehu::http::router(state.clone(), &config));
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        })
    };
    for _ in 0..5 {
        let (status, _, html) = get(&c.app, "/customers", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("甲的客户科技") && html.contains("__INCOMPLETE_CHUNKS"), "the whole page, data and all");
    }
    stop.store(true, Ordering::Relaxed);
    builder.join().unwrap();
}
