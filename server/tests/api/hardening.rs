//! The holes a penetration tester finds first (issue 14), each shut and kept shut: bodies that
//! hide their size, refusals with their own HTTP status, input that crashed, invisible
//! characters, lost updates, and what a rep may learn or do beyond their rights.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use kehu_backend::customers::{pool, service};
use kehu_domain::customers::types::*;
use kehu_domain::error::{AppError, FieldError, Problem};
use kehu_ui::accounts::api::Login;
use kehu_ui::customers::api::{CreateCustomer, GetProfile, UpdateCustomer};
use kehu_ui::pipeline::api::GetFunnel;
use kehu_ui::reminders::api::HandleReminder;
use leptos::server_fn::ServerFn;
use serde_json::json;
use tower::ServiceExt;

use crate::support::*;

#[tokio::test]
async fn a_body_sent_in_chunks_is_held_to_the_same_limit() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let before = service::count(&c.state);
    // Two megabytes in 64 KB chunks, with no Content-Length: nothing says how big it is.
    let name = "名".repeat(2 * 1024 * 1024 / 3);
    let body = json!({ "input": CustomerInput { name, ..Default::default() }, "confirmed_not_duplicate": true }).to_string();
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = body.into_bytes().chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    let request = Request::post(CreateCustomer::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "kehu.test")
        .header(header::ORIGIN, "http://kehu.test")
        .header(header::COOKIE, format!("kehu_session={token}"))
        .body(Body::from_stream(futures::stream::iter(chunks)))
        .unwrap();
    assert!(request.headers().get(header::CONTENT_LENGTH).is_none());
    let response = c.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(service::count(&c.state), before, "nothing was written");
    // A small chunked body still goes through.
    let small = json!({ "id": c.ca.id }).to_string();
    let request = Request::post(GetProfile::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "kehu.test")
        .header(header::ORIGIN, "http://kehu.test")
        .header(header::COOKIE, format!("kehu_session={token}"))
        .body(Body::from_stream(futures::stream::iter(vec![Ok::<_, std::io::Error>(small.into_bytes())])))
        .unwrap();
    assert_eq!(c.app.clone().oneshot(request).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn each_refusal_answers_with_its_own_status_and_the_page_still_reads_it() {
    let c = company().await;
    let token = c.session(REP_A).await;
    // A wrong password is 401, not a crash.
    let (status, body) = call(&c.app, Login::PATH, None, json!({ "username": REP_A, "password": "wrong password!" })).await;
    assert_eq!((status, error_of(status, &body)), (StatusCode::UNAUTHORIZED, Some(AppError::LoginFailed)));
    // Input that breaks a rule: 400 with the field.
    let (status, body) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": CustomerInput::default(), "confirmed_not_duplicate": false })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(matches!(error_of(status, &body), Some(AppError::Invalid(e)) if e[0].field == "name"));
    // Someone else's customer: 404. Nobody signed in: 401.
    let (status, _) = call(&c.app, GetProfile::PATH, Some(&token), json!({ "id": c.cb.id })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&c.app, GetProfile::PATH, None, json!({ "id": c.ca.id })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A stale version: 409, with the record as it is now for the page to show.
    let input = CustomerInput { industry: "改".into(), ..CustomerInput::from_customer(&c.ca) };
    let (status, _) = call(&c.app, UpdateCustomer::PATH, Some(&token), json!({ "id": c.ca.id, "input": input, "version": c.ca.version, "confirmed_not_duplicate": true })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(&c.app, UpdateCustomer::PATH, Some(&token), json!({ "id": c.ca.id, "input": input, "version": c.ca.version, "confirmed_not_duplicate": true })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(matches!(error_of(status, &body), Some(AppError::Conflict(_))));
    // A body that is not what the function takes, or JSON nested 100,000 deep: the client's
    // fault, 400 — and the server goes on.
    let (status, _) = call(&c.app, CreateCustomer::PATH, Some(&token), json!({ "input": 42 })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let deep = format!("{{\"input\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let request = Request::post(CreateCustomer::PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "kehu.test")
        .header(header::ORIGIN, "http://kehu.test")
        .header(header::COOKIE, format!("kehu_session={token}"))
        .body(Body::from(deep))
        .unwrap();
    assert_eq!(c.app.clone().oneshot(request).await.unwrap().status(), StatusCode::BAD_REQUEST);
    let (status, _) = call(&c.app, GetProfile::PATH, Some(&token), json!({ "id": c.ca.id })).await;
    assert_eq!(status, StatusCode::OK, "still answering");
}

#[tokio::test]
async fn dates_beyond_any_calendar_are_refused_by_field_not_a_dropped_connection() {
    let c = company().await;
    let token = c.session(REP_A).await;
    let (status, body) = call(&c.app, GetFunnel::PATH, Some(&token), json!({ "from": "2026-01-01", "to": "+262142-12-31" })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(status, &body), Some(AppError::Invalid(vec![FieldError::new("to", Problem::InvalidDate)])));
    let snooze = json!({ "id": c.ra, "action": { "type": "snooze", "until": "-262144-01-01T00:00" } });
    let (status, body) = call(&c.app, HandleReminder::PATH, Some(&token), snooze).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(status, &body), Some(AppError::Invalid(vec![FieldError::new("until", Problem::InvalidDate)])));
}

#[tokio::test]
async fn invisible_controls_and_direction_overrides_are_refused_in_every_field() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let before = service::count(&c.state);
    // A name that reads backwards in lists and exports, with a NUL in it.
    let evil = CustomerInput { name: "\u{202E}evil\u{0000}name".into(), region: "华东\u{2066}".into(), ..Default::default() };
    let Err(AppError::Invalid(errors)) = service::create(&c.state, &rep, &evil, true).await else { panic!("accepted") };
    let fields: Vec<(&str, &Problem)> = errors.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
    assert_eq!(fields, vec![("name", &Problem::ControlCharacters), ("region", &Problem::ControlCharacters)]);
    assert_eq!(service::count(&c.state), before);
    // The same in a follow-up's summary, a contact's name, a reason to return to the pool.
    let t = TouchpointInput { summary: "电话\u{001B}[2J".into(), ..Default::default() };
    assert!(matches!(kehu_backend::customers::contacts::add_touchpoint(&c.state, &rep, &c.ca.id, &t).await, Err(AppError::Invalid(_))));
    let contact = ContactInput { name: "李\u{202D}娜".into(), ..Default::default() };
    assert!(matches!(kehu_backend::customers::contacts::add_contact(&c.state, &rep, &c.ca.id, &contact).await, Err(AppError::Invalid(_))));
    let Err(AppError::Invalid(errors)) = pool::release(&c.state, &rep, &c.ca.id, "不要了\u{0007}").await else { panic!("accepted") };
    assert_eq!(errors, vec![FieldError::new("reason", Problem::ControlCharacters)]);
    let profile = service::profile(&c.state, &rep, &c.ca.id).await.unwrap();
    assert!(profile.timeline.is_empty() && profile.contacts.len() == 1 && profile.customer.owner == REP_A);
    // What people type stays: emoji, full-width letters, Arabic and Hebrew.
    let fine = CustomerInput { name: "星河 🚀 ＡＢＣ مرحبا שלום".into(), ..Default::default() };
    assert!(service::create(&c.state, &rep, &fine, true).await.is_ok());
}

#[tokio::test]
async fn an_edit_racing_a_reassignment_cannot_undo_it_and_concurrent_tags_both_stay() {
    let c = company().await;
    let rep = c.caller(REP_A);
    // Rep A opens the edit form; meanwhile their manager gives the customer to someone else.
    let opened = service::profile(&c.state, &rep, &c.ca.id).await.unwrap().customer;
    let moved = pool::assign(&c.state, &c.caller(BOSS), &c.ca.id, MGR_A).await.unwrap();
    assert!(moved.version > opened.version, "a move is a new version");
    // Saving the form opened before is a conflict: it cannot write the old owner back.
    let edit = CustomerInput { industry: "制造业".into(), ..CustomerInput::from_customer(&opened) };
    let boss = c.caller(BOSS);
    let saved = service::update(&c.state, &boss, &c.ca.id, &edit, opened.version, true).await;
    assert!(matches!(saved, Err(AppError::Conflict(_))), "{saved:?}");
    // Saved on the current version, the edit keeps the new owner.
    let saved = service::update(&c.state, &boss, &c.ca.id, &edit, moved.version, true).await.unwrap();
    assert_eq!((saved.owner.as_str(), saved.industry.as_str()), (MGR_A, "制造业"));

    // Two people tag the same customer at the same moment: both tags stay.
    let mgr = c.caller(MGR_A);
    let (vip, quick) = (Tag::new(TagDimension::Value, "VIP"), Tag::new(TagDimension::Behavior, "决策迅速"));
    let (a, b) = tokio::join!(
        service::add_tag(&c.state, &mgr, &c.ca.id, &vip),
        service::add_tag(&c.state, &boss, &c.ca.id, &quick),
    );
    a.unwrap();
    b.unwrap();
    let tags = service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer.tags;
    assert_eq!(tags.len(), 2, "{tags:?}");
}

#[tokio::test]
async fn a_password_an_admin_set_must_be_changed_before_anything_else() {
    use kehu_backend::accounts::{signin, users};
    use kehu_domain::accounts::types::UserInput;
    use kehu_ui::accounts::api::{ChangePassword, CurrentUser};
    use kehu_ui::customers::api::ListCustomers;
    let c = company().await;
    let earlier = c.session(REP_A).await;
    // The admin resets rep A's password (rep A forgot it): the admin knows it now.
    let reset = UserInput { username: REP_A.into(), display_name: "销售甲".into(), role: kehu_domain::accounts::types::Role::Rep, team: Some("east".into()), region: "华东".into(), max_customers: 100, password: "set by the admin".into() };
    users::update_user(&c.state, &c.caller(BOSS), &reset).await.unwrap();
    let (token, caller) = signin::login(&c.state, REP_A, "set by the admin", "198.51.100.7").await.unwrap();
    assert!(caller.user.must_change_password);
    // Nothing but choosing a new one: the list is refused, who-am-I says what to do.
    let (status, body) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!((status, error_of(status, &body)), (StatusCode::FORBIDDEN, Some(AppError::PasswordChangeRequired)));
    let (status, body) = call(&c.app, CurrentUser::PATH, Some(&token), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"must_change_password\":true"), "{body}");
    // The current password must be right; the new one a new one.
    let change = |current: &str, new: &str| json!({ "current": current, "new_password": new });
    let (status, body) = call(&c.app, ChangePassword::PATH, Some(&token), change("guessing", "a brand new secret")).await;
    assert_eq!(error_of(status, &body), Some(AppError::Invalid(vec![FieldError::new("current", Problem::WrongPassword)])));
    let (status, body) = call(&c.app, ChangePassword::PATH, Some(&token), change("set by the admin", "set by the admin")).await;
    assert_eq!(error_of(status, &body), Some(AppError::Invalid(vec![FieldError::new("password", Problem::SameAsBefore)])));
    let (status, _) = call(&c.app, ChangePassword::PATH, Some(&token), change("set by the admin", "only rep A knows")).await;
    assert_eq!(status, StatusCode::OK);
    // This session goes on; the list opens; the session from before the reset is over.
    let (status, _) = call(&c.app, ListCustomers::PATH, Some(&token), json!({ "query": ListQuery::default() })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(signin::resolve(&c.state, &earlier).await, Err(AppError::Unauthorized));
    assert!(signin::login(&c.state, REP_A, "only rep A knows", "198.51.100.8").await.is_ok());
    // Changing one's own password any time ends one's other sessions, not this one.
    let other = c.session(REP_A).await;
    signin::change_password(&c.state, &c.caller(REP_A), &token, "only rep A knows", "and now another one").await.unwrap();
    assert_eq!(signin::resolve(&c.state, &other).await, Err(AppError::Unauthorized));
    assert!(signin::resolve(&c.state, &token).await.is_ok());
}

#[tokio::test]
async fn a_rep_cannot_add_to_the_catalogue_through_the_import() {
    use kehu_backend::insight::import;
    let c = company().await;
    let csv = "customer,date,product,quantity,amount\n甲的客户科技,2026-11-01,全新产品,1,100\n";
    assert_eq!(import::import(&c.state, &c.caller(REP_A), csv, true).await, Err(AppError::Forbidden));
    assert!(c.state.orders.product_by_name("全新产品").is_none(), "no product was made");
    // Over HTTP it is refused before the file is even read.
    let token = c.session(REP_A).await;
    let request = Request::post("/api/import/orders?create_products=true")
        .header(header::HOST, "kehu.test")
        .header(header::ORIGIN, "http://kehu.test")
        .header(header::COOKIE, format!("kehu_session={token}"))
        .body(Body::from(csv))
        .unwrap();
    assert_eq!(c.app.clone().oneshot(request).await.unwrap().status(), StatusCode::FORBIDDEN);
    // A manager may, and the import is in the log.
    let report = import::import(&c.state, &c.caller(MGR_A), csv, true).await.unwrap();
    assert_eq!(report.imported_lines, 1);
    let log = kehu_backend::audit::log(&c.state, &c.caller(BOSS)).await.unwrap();
    assert!(log.iter().any(|e| e.kind == kehu_domain::audit::types::EventKind::OrdersImported && e.actor == MGR_A));
}

#[tokio::test]
async fn showing_notifications_marks_nothing_read_only_the_button_does() {
    use kehu_ui::notifications::api::{MarkNotificationsRead, MyNotifications};
    let c = company().await;
    kehu_backend::notifications::recycled(&c.state, REP_A, &c.ca.id, "甲的客户科技", 30).await.unwrap();
    let token = c.session(REP_A).await;
    let unread = || async { kehu_backend::notifications::unread_count(&c.state, REP_A).await.unwrap() };
    let (status, _) = call(&c.app, MyNotifications::PATH, Some(&token), json!({})).await;
    assert_eq!((status, unread().await), (StatusCode::OK, 1), "looking changes nothing");
    let (status, _, _) = get(&c.app, "/notifications", Some(&format!("kehu_session={token}"))).await;
    assert_eq!((status, unread().await), (StatusCode::OK, 1), "nor does rendering the page (a GET)");
    let (status, _) = call(&c.app, MarkNotificationsRead::PATH, Some(&token), json!({})).await;
    assert_eq!((status, unread().await), (StatusCode::OK, 0));
}

#[tokio::test]
async fn a_calendar_feed_carries_at_most_the_soonest_thousand() {
    use kehu_backend::store::reminders::{self as reminder_store, ReminderRecord};
    let c = company().await;
    let feed = kehu_backend::reminders::feed::new_feed(&c.state, &c.caller(REP_A)).await.unwrap();
    let many: Vec<ReminderRecord> = (0..1_200)
        .map(|i| ReminderRecord {
            id: reminder_store::reminder_id(&format!("many:{i}")),
            kind: "next_step".into(),
            customer: surrealdb::types::RecordId::new("customer", c.ca.id.clone()),
            owner: REP_A.into(),
            subject: format!("第 {i} 件事"),
            rule_due: start() + chrono::Duration::minutes(i),
            due: start() + chrono::Duration::minutes(i),
            moved_by: None,
            snoozed: false,
            status: "open".into(),
            created_at: start(),
            announce_at: None,
        })
        .collect();
    reminder_store::sync(&c.state.db, Vec::new(), many).await.unwrap();
    let path = feed.new_path.expect("a new address");
    let (status, _, body) = get(&c.app, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 1_000);
}

#[tokio::test]
async fn over_https_the_cookie_is_host_only_and_secure_and_hsts_can_be_sent() {
    use kehu_backend::{AppState, Clock, Policy};
    let policy = Policy { secure_cookies: true, hsts: true, ..Policy::default() };
    let state = AppState::open_with("mem://", &Default::default(), Clock::fixed(start()), policy.clone()).await.unwrap();
    add_wang(&state).await;
    let app = kehu::http::router(state.clone(), &kehu::config::Config { policy, ..config() });
    let (status, headers, _) = {
        let request = Request::post(Login::PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "kehu.test")
            .header(header::ORIGIN, "https://kehu.test")
            .body(Body::from(json!({ "username": "wang", "password": PASSWORD }).to_string()))
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        (response.status(), response.headers().clone(), ())
    };
    assert_eq!(status, StatusCode::OK);
    let cookie = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.starts_with("__Host-kehu_session=") && cookie.contains("; Secure") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "host-only");
    assert_eq!(headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(), "max-age=31536000");
    let token = cookie.split(';').next().unwrap().split_once('=').unwrap().1;
    // The plain name is not read any more: a cookie tossed in over plain HTTP does nothing.
    let (_, _, html) = get(&app, "/customers", Some(&format!("kehu_session={token}"))).await;
    assert!(!html.contains("data-testid=\"who\""));
    let (_, _, html) = get(&app, "/customers", Some(&format!("__Host-kehu_session={token}"))).await;
    assert!(html.contains("data-testid=\"who\""));
}
