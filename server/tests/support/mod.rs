//! Shared fixtures for the server tests: a store with a small company in it (an admin, two
//! teams each with a manager and a rep, a customer of each rep and one in the pool), and
//! helpers to call the HTTP surface as any of them.

#![allow(dead_code)]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::{DateTime, TimeZone, Utc};
use kehu::config::Config;
use kehu::http;
use kehu_domain::accounts::rules::Caller;
use kehu_domain::accounts::types::{Role, User};
use kehu_backend::accounts::passwords::hash_password;
use kehu_backend::accounts::registry::StoredUser;
use kehu_backend::accounts::sessions::SESSION_COOKIE;
use kehu_backend::store::reminders::{self as reminder_store, ReminderRecord};
use kehu_backend::store::accounts as account_store;
use kehu_backend::customers::contacts;
use kehu_backend::pipeline::deals;
use kehu_backend::pipeline::money;
use kehu_backend::customers::service;
use kehu_backend::accounts::signin;
use kehu_backend::AppState;
use kehu_backend::Clock;
use kehu_backend::Policy;
use kehu_domain::pipeline::types::*;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use kehu_domain::format::DisplayOffset;
use kehu_domain::i18n::Lang;
use tower::ServiceExt;

pub const PASSWORD: &str = "a long test password";

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap()
}

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD).unwrap()).clone()
}

/// Adds the rep 王芳 (`wang`, [`PASSWORD`]) to a store opened by the test itself.
pub async fn add_wang(state: &kehu_backend::AppState) {
    kehu_backend::accounts::users::create_user_unchecked(
        state,
        "test",
        &kehu_domain::accounts::types::UserInput { username: "wang".into(), display_name: "王芳".into(), password: PASSWORD.into(), ..Default::default() },
    )
    .await
    .unwrap();
}

pub fn config() -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_url: "mem://".into(),
        default_lang: Lang::Zh,
        utc_offset: DisplayOffset::default(),
        store: Default::default(),
        policy: Policy::default(),
    }
}

/// The people of the fixture company, by username.
pub const BOSS: &str = "boss";
pub const MGR_A: &str = "mgr_a";
pub const MGR_B: &str = "mgr_b";
pub const REP_A: &str = "rep_a";
pub const REP_B: &str = "rep_b";
/// A service agent (客服) in rep A's team.
pub const SVC: &str = "svc";

pub struct Company {
    pub state: AppState,
    pub app: Router,
    /// Customers: rep A's (region 华北), rep B's (华南), and one in the pool (西南).
    pub ca: Customer,
    pub cb: Customer,
    pub cp: Customer,
    /// A contact of `ca`.
    pub contact_a: Contact,
    /// A deal of `ca` in the first stage, with one quote (`qa`) and an unsigned contract.
    pub da: Deal,
    pub qa: Quote,
    /// An open reminder about `ca`, already due.
    pub ra: String,
    /// A product in the catalogue ("ERP").
    pub product: kehu_domain::insight::types::Product,
}

impl Company {
    pub fn caller(&self, username: &str) -> Caller {
        self.state.users.caller(username).expect("fixture user")
    }

    pub async fn session(&self, username: &str) -> String {
        signin::open_session(&self.state, username).await.unwrap()
    }
}

pub async fn company_with(clock: Clock) -> Company {
    company_at("mem://", clock).await
}

/// The fixture company in the store at `url` (on disk where a restart is the point).
pub async fn company_at(url: &str, clock: Clock) -> Company {
    // Warnings and errors (an internal error's detail) show in a failing test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("warn").try_init();
    let state = AppState::open(url, None, clock).await.expect("the store opens");
    let people = [
        (BOSS, "老板", Role::Admin, None, ""),
        (MGR_A, "经理甲", Role::Manager, Some("east"), "华东"),
        (MGR_B, "经理乙", Role::Manager, Some("south"), "华南"),
        (REP_A, "销售甲", Role::Rep, Some("east"), "华东"),
        (REP_B, "销售乙", Role::Rep, Some("south"), "华南"),
        (SVC, "客服甲", Role::Service, Some("east"), ""),
    ];
    for team in ["east", "south"] {
        account_store::insert_team(&state.db, surrealdb::types::RecordId::new("team", team), team, start(), &[]).await.unwrap();
    }
    for (username, name, role, team, region) in people {
        let stored = StoredUser {
            user: User {
                username: username.into(),
                display_name: name.into(),
                role,
                team: team.map(String::from),
                region: region.into(),
                active: true,
                max_customers: 100,
                must_change_password: false,
            },
            password_hash: password_hash(),
        };
        account_store::insert_user(&state.db, &stored, &[]).await.unwrap();
        state.users.put(stored);
    }
    let boss = state.users.caller(BOSS).unwrap();
    let make = |name: &str, owner: &str, region: &str| CustomerInput {
        name: name.into(),
        owner: owner.into(),
        region: region.into(),
        ..Default::default()
    };
    let ca = service::create(&state, &boss, &make("甲的客户科技", REP_A, "华北"), false).await.unwrap();
    let cb = service::create(&state, &boss, &make("乙的客户贸易", REP_B, "华南"), false).await.unwrap();
    let cp = service::create(&state, &boss, &make("公海里的客户", "", "西南"), false).await.unwrap();
    let contact_a = contacts::add_contact(&state, &boss, &ca.id, &ContactInput { name: "李娜".into(), ..Default::default() })
        .await
        .unwrap();
    let deal = DealInput {
        customer_id: ca.id.clone(),
        title: "ERP 一期".into(),
        amount: "120000".into(),
        expected_close: "2026-12-31".into(),
        ..Default::default()
    };
    let da = deals::create(&state, &boss, &deal).await.unwrap();
    let line = QuoteLineInput { product: "ERP".into(), quantity: "1".into(), unit_price: "120000".into(), discount: String::new() };
    let qa = money::add_quote(&state, &boss, &da.id, &QuoteInput { lines: vec![line], valid_until: "2026-12-31".into() }).await.unwrap();
    let contract = ContractInput { number: "HT-1".into(), amount: "120000".into(), start: "2027-01-01".into(), end: "2027-12-31".into(), signed_on: String::new() };
    money::save_contract(&state, &boss, &da.id, &contract).await.unwrap();
    let da = deals::view(&state, &boss, &da.id).await.unwrap().deal;
    let ra = "test:ra".to_string();
    let reminder = ReminderRecord {
        id: reminder_store::reminder_id(&ra),
        kind: "next_step".into(),
        customer: surrealdb::types::RecordId::new("customer", ca.id.clone()),
        owner: REP_A.into(),
        subject: "回访".into(),
        rule_due: start() - chrono::Duration::hours(1),
        due: start() - chrono::Duration::hours(1),
        moved_by: None,
        snoozed: false,
        status: "open".into(),
        created_at: start(),
        announce_at: None,
    };
    reminder_store::sync(&state.db, Vec::new(), vec![reminder]).await.unwrap();
    let erp = kehu_domain::insight::types::ProductInput { name: "ERP".into(), category: "软件".into(), price: "120000".into() };
    let product = kehu_backend::insight::orders::save_product(&state, &boss, "", &erp).await.unwrap().remove(0);
    let app = http::router(state.clone(), &config());
    Company { state, app, ca, cb, cp, contact_a, da, qa, ra, product }
}

impl Company {
    /// Rep A wins the fixture's ERP deal (软件) through the stage gates, with contract HT-9 to
    /// the end of 2027.
    pub async fn win_the_erp_deal(&self) {
        let rep = self.caller(REP_A);
        let view = deals::view(&self.state, &rep, &self.da.id).await.unwrap();
        let mut input = kehu_ui::pipeline::deal_form::input_of(&view.deal);
        input.needs_analysis = "ERP 需求".into();
        deals::update(&self.state, &rep, &self.da.id, &input, view.deal.version).await.unwrap();
        let signed = ContractInput { number: "HT-9".into(), amount: "120000".into(), start: "2027-01-01".into(), end: "2027-12-31".into(), signed_on: "2026-11-20".into() };
        money::save_contract(&self.state, &rep, &self.da.id, &signed).await.unwrap();
        let version = deals::view(&self.state, &rep, &self.da.id).await.unwrap().deal.version;
        deals::close(&self.state, &rep, &self.da.id, true, "", version).await.unwrap();
    }
}

pub async fn company() -> Company {
    company_with(Clock::fixed(start())).await
}

/// A POST to a server function, as a browser on this site would send it.
pub async fn call(app: &Router, path: &str, session: Option<&str>, body: serde_json::Value) -> (StatusCode, String) {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::HOST, "kehu.test")
        .header(header::ORIGIN, "http://kehu.test");
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("{SESSION_COOKIE}={token}"));
    }
    let (status, _, body) = answer(app, request.body(Body::from(body.to_string())).unwrap()).await;
    (status, body)
}

/// The longest a request may take here, answer and body: far above any (debug builds answer
/// in well under a second), so a render that stalls fails its test with the path instead of
/// holding the run until CI's own limit.
const ANSWER_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Sends `request` to the app and reads the whole answer. A stalled answer fails with what
/// had arrived, whose end shows which part of a page never resolved.
async fn answer(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    use futures::StreamExt;
    let what = format!("{} {}", request.method(), request.uri());
    let deadline = tokio::time::Instant::now() + ANSWER_LIMIT;
    let Ok(response) = tokio::time::timeout_at(deadline, app.clone().oneshot(request)).await else {
        panic!("{what} did not answer within {} s", ANSWER_LIMIT.as_secs());
    };
    let response = response.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let mut chunks = response.into_body().into_data_stream();
    let mut body = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, chunks.next()).await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk.unwrap()),
            Ok(None) => break,
            Err(_) => {
                let so_far = String::from_utf8_lossy(&body);
                let tail: String = so_far.chars().rev().take(3000).collect::<Vec<_>>().into_iter().rev().collect();
                panic!("{what} stalled for {} s after {} bytes, ending:\n{tail}", ANSWER_LIMIT.as_secs(), body.len());
            }
        }
    }
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// The error a failed call answered with.
pub fn error_of(status: StatusCode, body: &str) -> Option<AppError> {
    (!status.is_success()).then(|| serde_json::from_str(body).unwrap_or_else(|_| panic!("not an AppError ({status}): {body}")))
}

pub async fn get(app: &Router, path: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::get(path).header(header::HOST, "kehu.test");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    answer(app, request.body(Body::empty()).unwrap()).await
}

pub fn query(q: &str) -> ListQuery {
    ListQuery { q: q.into(), ..Default::default() }
}
