//! Webhooks against a real HTTP receiver started by each test: what is subscribed to is
//! posted once, signed (Standard Webhooks; 钉钉 and 飞书 加签), after the change is committed;
//! a failing receiver is retried with backoff while the customer's later events wait their
//! turn; a 410 unsubscribes; a restart mid-retry still delivers; group robots get their own
//! formats; only admins manage subscriptions, and bad forms change nothing.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use kehu_backend::customers::{pool, service};
use kehu_backend::platform::webhooks::service as webhooks;
use kehu_backend::platform::webhooks::sign::standard_signature;
use kehu_backend::platform::webhooks::worker::run_once;
use kehu_backend::Clock;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::{CustomerInput, Tag, TagDimension};
use kehu_domain::error::AppError;
use kehu_domain::platform::webhooks::{DeliveryStatus, WebhookInput, WebhookState, WebhookTarget};
use serde_json::Value;

use crate::support::*;

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: String,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A local HTTP server that records what it is sent and answers from a script (then 200).
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
    answers: Arc<Mutex<VecDeque<(u16, &'static str)>>>,
    /// Fixed answers for paths starting so (a robot that always refuses).
    by_path: Arc<Mutex<Vec<(&'static str, u16, &'static str)>>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            url: format!("http://{}", listener.local_addr().unwrap()),
            got: Arc::default(),
            answers: Arc::default(),
            by_path: Arc::default(),
        };
        let r = receiver.clone();
        let app = Router::new().fallback(move |request: Request<Body>| {
            let r = r.clone();
            async move {
                let path = request.uri().to_string();
                let headers = request.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
                let body = axum::body::to_bytes(request.into_body(), usize::MAX).await.unwrap();
                let body = String::from_utf8_lossy(&body).into_owned();
                let fixed = r.by_path.lock().unwrap().iter().find(|(p, _, _)| path.starts_with(p)).map(|(_, code, answer)| (*code, *answer));
                let (code, answer) = fixed.or_else(|| r.answers.lock().unwrap().pop_front()).unwrap_or((200, r#"{"errcode":0,"errmsg":"ok"}"#));
                r.got.lock().unwrap().push(Received { path, headers, body });
                (StatusCode::from_u16(code).unwrap(), answer).into_response()
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    fn answer(&self, answers: &[(u16, &'static str)]) {
        self.answers.lock().unwrap().extend(answers.iter().copied());
    }

    fn answer_at(&self, path: &'static str, code: u16, answer: &'static str) {
        self.by_path.lock().unwrap().push((path, code, answer));
    }

    fn got(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }
}

fn subscription(target: WebhookTarget, url: &str, topics: &[EventKind]) -> WebhookInput {
    WebhookInput { name: "集成".into(), target, url: url.into(), topics: topics.iter().map(|t| t.as_str().to_string()).collect(), ..Default::default() }
}

/// The fixture company on a clock that the test moves; a second on, so the fixture's own
/// events are older than any subscription.
async fn company_on_a_moving_clock() -> (Company, Arc<Mutex<DateTime<Utc>>>) {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    advance(&now, Duration::seconds(1));
    (c, now)
}

fn advance(now: &Arc<Mutex<DateTime<Utc>>>, by: Duration) {
    let mut now = now.lock().unwrap();
    *now += by;
}

fn customer(name: &str, owner: &str) -> CustomerInput {
    CustomerInput { name: name.into(), owner: owner.into(), region: "华东".into(), ..Default::default() }
}

#[tokio::test]
async fn an_http_receiver_gets_each_subscribed_event_once_signed_after_the_commit() {
    let receiver = Receiver::start().await;
    let (c, _now) = company_on_a_moving_clock().await;
    let boss = c.caller(BOSS);
    let made = webhooks::create(&c.state, &boss, &subscription(WebhookTarget::Http, &format!("{}/hooks/kehu", receiver.url), &[EventKind::CustomerCreated, EventKind::Assigned]))
        .await
        .unwrap();
    let secret = made.secret.clone().expect("an HTTP receiver's secret is shown once");
    assert!(secret.starts_with("whsec_"));
    let listed = webhooks::list(&c.state, &boss).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(!format!("{listed:?}").contains(&secret), "the list never carries the secret");

    // Nothing happened since: nothing is sent (the fixture's events are older).
    assert_eq!(run_once(&c.state).await.unwrap().queued, 0);
    let rep = c.caller(REP_A);
    let made_customer = service::create(&c.state, &rep, &customer("订阅测试科技", REP_A), false).await.unwrap();
    // Not subscribed: a tag.
    service::add_tag(&c.state, &rep, &made_customer.id, &Tag { dimension: TagDimension::Value, label: "VIP".into() }).await.unwrap();
    pool::assign(&c.state, &c.caller(MGR_A), &made_customer.id, MGR_A).await.unwrap();
    let pass = run_once(&c.state).await.unwrap();
    assert_eq!((pass.queued, pass.failed_tries), (2, 0));
    // Delivered one after the other: the second of the customer waits for the first.
    while run_once(&c.state).await.unwrap().delivered > 0 {}
    let got = receiver.got();
    assert_eq!(got.len(), 2, "{got:?}");
    let first = &got[0];
    assert_eq!(first.path, "/hooks/kehu");
    assert_eq!(first.headers["content-type"], "application/json");
    let id = &first.headers["webhook-id"];
    let timestamp: i64 = first.headers["webhook-timestamp"].parse().unwrap();
    assert_eq!(first.headers["webhook-signature"], standard_signature(&secret, id, timestamp, &first.body), "the signature verifies");
    assert_ne!(first.headers["webhook-signature"], standard_signature(&secret, id, timestamp, &first.body.replace("订阅", "篡改")));
    let body = first.json();
    assert_eq!(body["type"], "customer_created");
    assert_eq!(body["actor"]["username"], REP_A);
    assert_eq!(body["actor"]["name"], "销售甲");
    assert_eq!(body["via"], "web");
    assert_eq!(body["customer"]["id"], made_customer.id.as_str());
    assert_eq!(body["customer"]["name"], "订阅测试科技");
    let second = got[1].json();
    assert_eq!(second["type"], "assigned");
    assert!(second["changes"].as_array().unwrap().iter().any(|c| c["field"] == "owner" && c["before"] == REP_A && c["after"] == MGR_A), "{second}");

    // Once only: later passes send nothing more.
    assert_eq!(run_once(&c.state).await.unwrap(), Default::default());
    assert_eq!(receiver.got().len(), 2);
    let log = webhooks::deliveries(&c.state, &boss, &made.webhook.id).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log.iter().all(|d| d.status == DeliveryStatus::Delivered && d.last_code == Some(200) && d.attempts == 1 && d.last_latency_ms.is_some()));
    assert_eq!(log[0].kind, EventKind::Assigned, "newest first");

    // "Send again": the same delivery (same id) once more.
    webhooks::resend(&c.state, &boss, &made.webhook.id, &log[1].id).await.unwrap();
    run_once(&c.state).await.unwrap();
    let got = receiver.got();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].headers["webhook-id"], got[0].headers["webhook-id"]);
}

#[tokio::test]
async fn filters_by_changed_field_and_owner_team() {
    let receiver = Receiver::start().await;
    let (c, _now) = company_on_a_moving_clock().await;
    let boss = c.caller(BOSS);
    let input = WebhookInput { fields: "owner".into(), team: "south".into(), ..subscription(WebhookTarget::Http, &receiver.url, &[EventKind::CustomerUpdated, EventKind::Assigned]) };
    webhooks::create(&c.state, &boss, &input).await.unwrap();
    // Rep A's customer (team east) handed to rep B (team south): the owner changed, and the
    // owner's team is south when the event is queued.
    pool::assign(&c.state, &boss, &c.ca.id, REP_B).await.unwrap();
    // An edit of B's customer that changes no owner: not wanted.
    let profile = service::profile(&c.state, &boss, &c.cb.id).await.unwrap();
    let mut edited = CustomerInput::from_customer(&profile.customer);
    edited.notes = "备注".into();
    service::update(&c.state, &boss, &c.cb.id, &edited, profile.customer.version, true).await.unwrap();
    // An owner change inside team east: not wanted.
    let made = service::create(&c.state, &boss, &customer("东区客户", REP_A), false).await.unwrap();
    pool::assign(&c.state, &boss, &made.id, MGR_A).await.unwrap();
    let pass = run_once(&c.state).await.unwrap();
    assert_eq!((pass.queued, pass.delivered), (1, 1));
    let got = receiver.got();
    assert_eq!(got[0].json()["customer"]["id"], c.ca.id.as_str());
}

#[tokio::test]
async fn a_failing_receiver_is_retried_in_order_and_a_410_unsubscribes() {
    let receiver = Receiver::start().await;
    let (c, now) = company_on_a_moving_clock().await;
    let boss = c.caller(BOSS);
    let hook = webhooks::create(&c.state, &boss, &subscription(WebhookTarget::Http, &receiver.url, &[EventKind::CustomerCreated, EventKind::Assigned])).await.unwrap().webhook;
    let first = service::create(&c.state, &boss, &customer("先来的客户", REP_A), false).await.unwrap();
    pool::assign(&c.state, &boss, &first.id, MGR_A).await.unwrap();
    let other = service::create(&c.state, &boss, &customer("另一位客户", REP_A), false).await.unwrap();

    // The first try of the first customer's creation fails; the other customer's goes.
    receiver.answer(&[(500, "boom")]);
    let pass = run_once(&c.state).await.unwrap();
    assert_eq!((pass.queued, pass.delivered, pass.failed_tries), (3, 1, 1));
    let log = webhooks::deliveries(&c.state, &boss, &hook.id).await.unwrap();
    let failed = log.iter().find(|d| d.kind == EventKind::CustomerCreated && d.subject == "先来的客户").unwrap();
    assert_eq!((failed.status, failed.attempts, failed.last_code), (DeliveryStatus::Pending, 1, Some(500)));
    assert!(failed.last_error.contains("500") && failed.last_error.contains("boom"), "{}", failed.last_error);
    assert_eq!(failed.next_at, Some(*now.lock().unwrap() + Duration::minutes(1)), "the first retry a minute later");
    assert_eq!(webhooks::list(&c.state, &boss).await.unwrap()[0].pending, 2, "the failed one and the one behind it");

    // Not yet due: nothing goes, and the assignment still waits behind the creation.
    advance(&now, Duration::seconds(30));
    assert_eq!(run_once(&c.state).await.unwrap().delivered, 0);
    advance(&now, Duration::seconds(31));
    while run_once(&c.state).await.unwrap().delivered > 0 {}
    let kinds: Vec<(String, String)> = receiver.got().iter().map(|r| r.json()).map(|b| (b["type"].as_str().unwrap().to_string(), b["subject"].as_str().unwrap().to_string())).collect();
    assert_eq!(
        kinds,
        [("customer_created", "先来的客户"), ("customer_created", "另一位客户"), ("customer_created", "先来的客户"), ("assigned", "先来的客户")]
            .map(|(k, s)| (k.to_string(), s.to_string())),
        "the failed try, the other customer's, then the retry and what waited behind it"
    );
    let _ = other;

    // Every try failing: after eight tries over about a day it is marked failed.
    let third = service::create(&c.state, &boss, &customer("收不到的客户", REP_A), false).await.unwrap();
    receiver.answer(&[(503, ""); 8]);
    for _ in 0..8 {
        run_once(&c.state).await.unwrap();
        advance(&now, Duration::hours(9));
    }
    let log = webhooks::deliveries(&c.state, &boss, &hook.id).await.unwrap();
    let given_up = log.iter().find(|d| d.subject == third.name).unwrap();
    assert_eq!((given_up.status, given_up.attempts, given_up.next_at), (DeliveryStatus::Failed, 8, None));
    assert_eq!(webhooks::list(&c.state, &boss).await.unwrap()[0].failed, 1);

    // 410 Gone: unsubscribed, nothing more is queued or sent.
    receiver.answer(&[(410, "")]);
    service::create(&c.state, &boss, &customer("退订时的客户", REP_A), false).await.unwrap();
    run_once(&c.state).await.unwrap();
    let after = webhooks::list(&c.state, &boss).await.unwrap();
    assert_eq!((after[0].state, after[0].pending), (WebhookState::Gone, 0));
    let sent = receiver.got().len();
    service::create(&c.state, &boss, &customer("退订之后的客户", REP_A), false).await.unwrap();
    assert_eq!(run_once(&c.state).await.unwrap(), Default::default());
    assert_eq!(receiver.got().len(), sent);
}

#[tokio::test]
async fn a_restart_in_the_middle_of_retrying_still_delivers() {
    let receiver = Receiver::start().await;
    let dir = std::env::temp_dir().join(format!("kehu-webhooks-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("surrealkv://{}", dir.display());
    let (clock, now) = Clock::manual(start());
    {
        let c = company_at(&url, clock.clone()).await;
        advance(&now, Duration::seconds(1));
        let boss = c.caller(BOSS);
        webhooks::create(&c.state, &boss, &subscription(WebhookTarget::Http, &receiver.url, &[EventKind::CustomerCreated])).await.unwrap();
        service::create(&c.state, &boss, &customer("重启前的客户", REP_A), false).await.unwrap();
        receiver.answer(&[(503, "")]);
        assert_eq!(run_once(&c.state).await.unwrap().failed_tries, 1);
        // Committed but not yet read from the feed when the server stops.
        service::create(&c.state, &boss, &customer("停机前最后的客户", REP_A), false).await.unwrap();
    }
    advance(&now, Duration::minutes(2));
    let state = reopen(&url, clock).await;
    while run_once(&state).await.unwrap().delivered > 0 {}
    let subjects: Vec<String> = receiver.got().iter().map(|r| r.json()["subject"].as_str().unwrap().to_string()).collect();
    assert_eq!(subjects, ["重启前的客户", "重启前的客户", "停机前最后的客户"]);
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Opens the store again once the stopped server's last background task (an insight run it
/// asked for) has let go of it.
async fn reopen(url: &str, clock: Clock) -> kehu_backend::AppState {
    for _ in 0..100 {
        match kehu_backend::AppState::open(url, None, clock.clone()).await {
            Ok(state) => return state,
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
    panic!("the store at {url} stayed locked");
}

#[tokio::test]
async fn group_robots_get_their_own_formats_and_signatures() {
    let receiver = Receiver::start().await;
    let (c, now) = company_on_a_moving_clock().await;
    let boss = c.caller(BOSS);
    let won = [EventKind::DealWon];
    webhooks::create(&c.state, &boss, &subscription(WebhookTarget::Wecom, &format!("{}/wecom?key=k", receiver.url), &won)).await.unwrap();
    let ding = WebhookInput { secret: "SECdingtalk".into(), ..subscription(WebhookTarget::Dingtalk, &format!("{}/ding?access_token=t", receiver.url), &won) };
    assert_eq!(webhooks::create(&c.state, &boss, &ding).await.unwrap().secret, None, "a robot's own secret is not shown back");
    let feishu = WebhookInput { secret: "feishu-secret".into(), ..subscription(WebhookTarget::Feishu, &format!("{}/feishu", receiver.url), &won) };
    webhooks::create(&c.state, &boss, &feishu).await.unwrap();

    c.win_the_erp_deal().await;
    // A robot that refuses inside a 200 (a wrong signature) counts as a failed try.
    receiver.answer_at("/ding", 200, r#"{"errcode":310000,"errmsg":"sign not match"}"#);
    receiver.answer_at("/feishu", 200, r#"{"code":0,"msg":"success"}"#);
    let pass = run_once(&c.state).await.unwrap();
    assert_eq!((pass.queued, pass.delivered, pass.failed_tries), (3, 2, 1));
    let got = receiver.got();
    let by_path = |p: &str| got.iter().find(|r| r.path.starts_with(p)).unwrap().clone();

    let wecom = by_path("/wecom").json();
    assert_eq!(wecom["msgtype"], "markdown");
    let content = wecom["markdown"]["content"].as_str().unwrap();
    assert!(content.starts_with("**赢单 · ERP 一期**") && content.contains("> 客户: 甲的客户科技") && content.contains("> 操作人: 销售甲"), "{content}");

    let ding = by_path("/ding");
    let signed_at = now.lock().unwrap().timestamp_millis();
    assert!(ding.path.starts_with(&format!("/ding?access_token=t&timestamp={signed_at}&sign=")), "{}", ding.path);
    let expected = kehu_backend::platform::webhooks::sign::dingtalk_url("", "SECdingtalk", signed_at);
    assert!(ding.path.ends_with(expected.rsplit("sign=").next().unwrap()));
    assert_eq!(ding.json()["markdown"]["title"], "赢单 · ERP 一期");

    let feishu = by_path("/feishu").json();
    assert_eq!(feishu["msg_type"], "interactive");
    assert_eq!(feishu["card"]["header"]["title"]["content"], "赢单 · ERP 一期");
    let ts: i64 = feishu["timestamp"].as_str().unwrap().parse().unwrap();
    assert_eq!(feishu["sign"], kehu_backend::platform::webhooks::sign::feishu_sign("feishu-secret", ts));

    let hooks = webhooks::list(&c.state, &boss).await.unwrap();
    let ding_hook = hooks.iter().find(|h| h.target == WebhookTarget::Dingtalk).unwrap();
    assert_eq!(ding_hook.pending, 1);
    let log = webhooks::deliveries(&c.state, &boss, &ding_hook.id).await.unwrap();
    assert!(log[0].last_error.contains("sign not match"), "{:?}", log[0]);
}

#[tokio::test]
async fn only_admins_manage_webhooks_and_bad_forms_change_nothing() {
    let (c, now) = company_on_a_moving_clock().await;
    let good = subscription(WebhookTarget::Http, "https://erp.example.com/in", &[EventKind::DealWon]);
    for who in [MGR_A, REP_A, SVC] {
        assert_eq!(webhooks::create(&c.state, &c.caller(who), &good).await.unwrap_err(), AppError::Forbidden, "{who}");
        assert_eq!(webhooks::list(&c.state, &c.caller(who)).await.unwrap_err(), AppError::Forbidden);
    }
    let boss = c.caller(BOSS);
    for bad in [
        WebhookInput { url: "ftp://erp.example.com/in".into(), ..good.clone() },
        WebhookInput { topics: vec!["api_token_created".into()], ..good.clone() },
        WebhookInput { topics: vec![], ..good.clone() },
        WebhookInput { team: "nowhere".into(), ..good.clone() },
        WebhookInput { name: " ".into(), ..good.clone() },
    ] {
        assert!(matches!(webhooks::create(&c.state, &boss, &bad).await, Err(AppError::Invalid(_))), "{bad:?}");
    }
    assert!(webhooks::list(&c.state, &boss).await.unwrap().is_empty(), "nothing was made");
    let made = webhooks::create(&c.state, &boss, &good).await.unwrap().webhook;
    advance(&now, Duration::seconds(1));
    assert_eq!(webhooks::set_paused(&c.state, &c.caller(MGR_A), &made.id, true).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(webhooks::set_paused(&c.state, &boss, &made.id, true).await.unwrap()[0].state, WebhookState::Paused);
    advance(&now, Duration::seconds(1));
    let changed = WebhookInput { name: "ERP 回款".into(), url: "https://erp.example.com/v2".into(), ..good.clone() };
    let after = webhooks::update(&c.state, &boss, &made.id, &changed).await.unwrap();
    assert_eq!((after[0].name.as_str(), after[0].url.as_str()), ("ERP 回款", "https://erp.example.com/v2"));
    assert_eq!(after[0].secret_hint, made.secret_hint, "the secret stays");
    assert!(matches!(webhooks::update(&c.state, &boss, &made.id, &WebhookInput { url: "nope".into(), ..changed }).await, Err(AppError::Invalid(_))));
    advance(&now, Duration::seconds(1));
    assert!(webhooks::remove(&c.state, &boss, &made.id).await.unwrap().is_empty());
    assert_eq!(webhooks::deliveries(&c.state, &boss, &made.id).await.unwrap_err(), AppError::NotFound);
    let log = kehu_backend::audit::log(&c.state, &boss).await.unwrap();
    let kinds: Vec<EventKind> = log.iter().take(4).map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::WebhookRemoved, EventKind::WebhookChanged, EventKind::WebhookChanged, EventKind::WebhookCreated]);
    assert!(!format!("{log:?}").contains("erp.example.com"), "the log says the address changed, not to what");
}

#[tokio::test]
async fn reminders_falling_due_and_sla_breaches_are_announced_once() {
    use chrono::TimeZone;
    use kehu_backend::aftersales::tickets;
    use kehu_backend::reminders::announcer::announce_due;
    use kehu_backend::reminders::center;
    use kehu_domain::reminders::types::ReminderAction;
    use kehu_domain::service::types::TicketInput;

    let receiver = Receiver::start().await;
    // Monday 2026-11-23 09:00 in Beijing, a working day.
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    advance(&now, Duration::seconds(1));
    let boss = c.caller(BOSS);
    webhooks::create(&c.state, &boss, &subscription(WebhookTarget::Http, &receiver.url, &[EventKind::ReminderDue, EventKind::SlaBreached])).await.unwrap();
    let urgent = TicketInput {
        title: "系统宕机".into(),
        description: "整套系统打不开".into(),
        kind: "incident".into(),
        priority: "urgent".into(),
        category: String::new(),
        assignee: REP_A.into(),
        order_id: String::new(),
    };
    let ticket = tickets::open(&c.state, &c.caller(REP_A), &c.ca.id, &urgent).await.unwrap();
    let at = || *now.lock().unwrap();
    assert!(announce_due(&c.state, at()).await.unwrap().is_empty(), "nothing is due yet");

    // 10:00:30: the first reply was due at 10:00 (warned at 09:48), for rep A and manager A.
    advance(&now, Duration::minutes(60) + Duration::seconds(29));
    assert_eq!(announce_due(&c.state, at()).await.unwrap(), [MGR_A, REP_A], "both owners' badges move");
    assert!(announce_due(&c.state, at()).await.unwrap().is_empty(), "announced once");
    while run_once(&c.state).await.unwrap().delivered > 0 {}
    let bodies: Vec<Value> = receiver.got().iter().map(Received::json).collect();
    let of = |kind: &str| bodies.iter().filter(|b| b["type"] == kind).cloned().collect::<Vec<_>>();
    assert_eq!(of("reminder_due").len(), 4, "two warnings each for two people: {bodies:?}");
    let breached = of("sla_breached");
    assert_eq!(breached.len(), 1, "one breach, however many people are told: {bodies:?}");
    assert_eq!(breached[0]["subject"], "系统宕机");
    assert_eq!(breached[0]["customer"]["id"], c.ca.id.as_str());
    let change = |b: &Value, field: &str| b["changes"].as_array().unwrap().iter().find(|x| x["field"] == field).map(|x| x["after"].clone());
    assert_eq!(change(&breached[0], "ticket"), Some(Value::from(ticket.id.as_str())));
    assert_eq!(change(&breached[0], "clock"), Some(Value::from("first_response")));
    let owners: Vec<Value> = of("reminder_due").iter().filter_map(|b| change(b, "owner")).collect();
    assert_eq!(owners.iter().filter(|o| *o == REP_A).count(), 2);

    // Rep A snoozes the breach warning to 11:00: it comes back as a reminder, not as a
    // second breach.
    let mine = center::mine(&c.state, &c.caller(REP_A), None).await.unwrap();
    let breach = mine.due.iter().find(|r| r.subject.contains("首次响应已超时")).expect("the breach warning is due");
    center::act(&c.state, &c.caller(REP_A), &breach.id, &ReminderAction::Snooze { until: "2026-11-23T11:00".into() }, None).await.unwrap();
    advance(&now, Duration::hours(1));
    assert_eq!(announce_due(&c.state, at()).await.unwrap(), [REP_A]);
    while run_once(&c.state).await.unwrap().delivered > 0 {}
    let later: Vec<Value> = receiver.got().iter().skip(bodies.len()).map(Received::json).collect();
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0]["type"], "reminder_due");
    assert_eq!(later[0]["subject"], breach.subject.as_str());
    // Notices are for subscribers and the customer's history, not the audit page.
    assert!(kehu_backend::audit::log(&c.state, &boss).await.unwrap().iter().all(|e| !e.kind.is_notice()));
    let history = kehu_backend::audit::customer_history(&c.state, &boss, &c.ca.id).await.unwrap();
    assert_eq!(history.iter().filter(|e| e.kind == EventKind::SlaBreached).count(), 1);
}

