//! The bad-input corpus: hostile values thrown at server functions and routes as every role.
//! Wanted: no panic, no 5xx (a store failure would be the only honest one), no partial write,
//! and every refusal an `AppError` a page can turn into a sentence a person can act on.

use kehu_domain::customers::types::{CustomerInput, ListQuery, TouchpointInput};
use kehu_domain::error::AppError;
use kehu_domain::i18n::{error_text, Lang};
use kehu_ui::accounts::api::Login;
use kehu_ui::customers::api::{LogFollowUp, CreateCustomer, GetProfile, ListCustomers};
use kehu_ui::insight::api::{AddCompetitor, SaveProduct};
use kehu_ui::pipeline::api::{CreateDeal, GetFunnel};
use kehu_ui::reminders::api::HandleReminder;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

use super::client::{Extra, Http, Reply};
use super::server::Server;
use super::{follow_up_args, sign_in, Setup};

pub struct Figures {
    pub requests: usize,
    pub accepted: usize,
    pub refused: usize,
    pub server_errors: Vec<String>,
    pub unreadable_refusals: Vec<String>,
    pub partial_writes: i64,
    pub panics: usize,
    pub alive_after: bool,
}

/// Values no form should choke on.
fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "", " ", "\t\n", "\u{0000}", "a\u{0000}b", "\u{202E}evil.exe", "\u{2066}x\u{2069}", "😀🚀👨‍👩‍👧", "'; DELETE customer; --",
        "$id", "customer:⟨x⟩", "SELECT * FROM user", "../../etc/passwd", "..\\..\\boot.ini", "0000-01-01", "+262143-12-31",
        "-262144-01-01T00:00", "2026-02-30", "-1", "99999999999999999999", "1e308", "NaN", "<script>alert(1)</script>", "%00",
        "=HYPERLINK(\"http://evil\")", "\u{FEFF}BOM", "ｆｕｌｌ＿ｗｉｄｔｈ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("名".repeat(300));
    v.push("x".repeat(70_000));
    v
}

/// (what, path, args) for one hostile value.
fn targets(v: &str, customer: &str, user: &str) -> Vec<(&'static str, &'static str, Value)> {
    let c = |f: fn(&mut CustomerInput, String)| {
        let mut input = CustomerInput { name: format!("语料-{}", v.chars().take(20).collect::<String>()), ..Default::default() };
        f(&mut input, v.to_string());
        json!({ "input": input, "confirmed_not_duplicate": true })
    };
    vec![
        ("customer name", CreateCustomer::PATH, c(|i, v| i.name = v)),
        ("customer phone", CreateCustomer::PATH, c(|i, v| i.phone = v)),
        ("customer email", CreateCustomer::PATH, c(|i, v| i.email = v)),
        ("customer region", CreateCustomer::PATH, c(|i, v| i.region = v)),
        ("customer notes", CreateCustomer::PATH, c(|i, v| i.notes = v)),
        ("follow-up", LogFollowUp::PATH, follow_up_args(user, customer, TouchpointInput { summary: v.into(), next_step_on: v.into(), ..Default::default() })),
        ("profile id", GetProfile::PATH, json!({ "id": v })),
        ("list search", ListCustomers::PATH, json!({ "query": ListQuery { q: v.into(), ..Default::default() } })),
        ("funnel dates", GetFunnel::PATH, json!({ "from": v, "to": v })),
        ("snooze", HandleReminder::PATH, json!({ "id": v, "action": { "type": "snooze", "until": v } })),
        ("deal", CreateDeal::PATH, json!({ "input": { "customer_id": customer, "title": v, "amount": v, "expected_close": v } })),
        ("product", SaveProduct::PATH, json!({ "id": "", "input": { "name": v, "category": v, "price": v } })),
        ("competitor", AddCompetitor::PATH, json!({ "input": { "name": v, "aliases": v } })),
        ("sign-in", Login::PATH, json!({ "username": v, "password": v })),
    ]
}

/// Bodies that are not what any function takes.
fn broken_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("invalid UTF-8", vec![0xff, 0xfe, 0xfd, b'{', 0xc0, 0x80]),
        ("JSON nested 100,000 deep", format!("{{\"input\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ("extra fields", br#"{"input":{"name":"x","admin":true,"owner":"boss","version":99},"confirmed_not_duplicate":true,"sudo":1}"#.to_vec()),
        ("missing fields", br#"{}"#.to_vec()),
        ("null", b"null".to_vec()),
        ("ten megabytes", format!("{{\"input\":{{\"name\":\"{}\"}}}}", "名".repeat(3_500_000)).into_bytes()),
    ]
}

/// CSV files the import must refuse or import in part, never crash on.
fn hostile_files() -> Vec<(&'static str, Vec<u8>)> {
    let header = "customer,date,product,quantity,amount\n";
    vec![
        ("broken quoting", format!("{header}\"unclosed,2026-01-01,ERP,1,10\n\"a\"\"b,2026-01-01,ERP,1,10\n").into_bytes()),
        ("GBK bytes", [header.as_bytes(), &[0xbf, 0xcd, 0xbb, 0xa7, b',', b'2', b'\n']].concat()),
        ("a million columns", format!("{header}{}\n", "x,".repeat(1_000_000)).into_bytes()),
        ("only a header", header.as_bytes().to_vec()),
        ("empty", Vec::new()),
        ("year 262143", format!("{header}someone,+262143-12-31,ERP,1,10\n").into_bytes()),
    ]
}

/// Counts one answer; true if it was accepted.
fn tally(f: &mut Figures, what: &str, reply: std::io::Result<Reply>, server_fn: bool) -> bool {
    f.requests += 1;
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            f.server_errors.push(format!("{what}: no answer ({e})"));
            return false;
        }
    };
    if reply.status >= 500 {
        f.server_errors.push(format!("{what}: {} {}", reply.status, reply.text().chars().take(120).collect::<String>()));
        return false;
    }
    if reply.status < 400 {
        f.accepted += 1;
        return true;
    }
    f.refused += 1;
    if server_fn {
        let readable = serde_json::from_slice::<AppError>(&reply.body).is_ok_and(|e| !error_text(&e, Lang::Zh).is_empty());
        if !readable {
            f.unreadable_refusals.push(format!("{what}: {} {}", reply.status, reply.text().chars().take(80).collect::<String>()));
        }
    }
    false
}

async fn customers(http: Http, session: &str) -> Result<i64, String> {
    let extra = Extra { session: Some(session), ..Default::default() };
    let reply = http.call(ListCustomers::PATH, &extra, &json!({ "query": ListQuery::default() })).await.map_err(|e| e.to_string())?;
    let page: Value = serde_json::from_slice(&reply.body).map_err(|e| format!("listing customers: {e}"))?;
    page["total"].as_i64().ok_or_else(|| "the list has no total".to_string())
}

pub async fn run(setup: &Setup, quick: bool) -> Result<Figures, String> {
    let server = Server::start(&setup.bin, &setup.data, &setup.log).await?;
    let http = server.http;
    let panics_before = server.panics();
    let admin = sign_in(http, &setup.admin, &setup.password, None).await?;
    let mut sessions = vec![(setup.admin.as_str(), admin.clone()), (setup.colleague.as_str(), sign_in(http, &setup.colleague, &setup.password, None).await?)];
    if !quick {
        sessions.push((setup.manager.as_str(), sign_in(http, &setup.manager, &setup.password, None).await?));
    }
    // A customer of the colleague's to aim follow-ups and deals at.
    let extra = Extra { session: Some(&sessions[1].1), ..Default::default() };
    let made = http
        .call(CreateCustomer::PATH, &extra, &json!({ "input": CustomerInput { name: "语料靶子公司".into(), ..Default::default() }, "confirmed_not_duplicate": true }))
        .await
        .map_err(|e| e.to_string())?;
    let target: Value = serde_json::from_slice(&made.body).map_err(|e| format!("the target customer: {e}"))?;
    let target = target["id"].as_str().unwrap_or_default().to_string();
    let mut f = Figures { requests: 0, accepted: 0, refused: 0, server_errors: Vec::new(), unreadable_refusals: Vec::new(), partial_writes: 0, panics: 0, alive_after: false };
    let before = customers(http, &admin).await?;
    let mut created = 0i64;
    let values = hostile();
    for (user, session) in &sessions {
        let extra = Extra { session: Some(session), forwarded_for: Some("192.0.2.77"), ..Default::default() };
        for v in values.iter().step_by(if quick { 2 } else { 1 }) {
            for (what, path, args) in targets(v, &target, user) {
                let ok = tally(&mut f, &format!("{what} {:?}", v.chars().take(24).collect::<String>()), http.call(path, &extra, &args).await, true);
                if ok && path == CreateCustomer::PATH {
                    created += 1;
                }
            }
        }
        for (what, body) in broken_bodies() {
            let reply = http.send("POST", CreateCustomer::PATH, &extra, &body).await;
            if tally(&mut f, what, reply, true) {
                created += 1;
            }
        }
        for (what, file) in hostile_files() {
            let extra = Extra { content_type: Some("text/csv"), ..extra.clone() };
            let reply = http.send("POST", "/api/import/orders", &extra, &file).await;
            tally(&mut f, &format!("import: {what}"), reply, true);
            // One import at a time per user: let this one finish.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        }
        for v in ["..%2F..%2Fetc%2Fpasswd", "%00", "x".repeat(5000).as_str(), "%E2%80%AE"] {
            for path in [format!("/api/reports/{v}.csv"), format!("/calendar/{v}.ics"), format!("/customers/{v}"), format!("/api/import/orders/{v}")] {
                let reply = http.send("GET", &path, &extra, b"").await;
                tally(&mut f, &format!("GET {}", path.chars().take(40).collect::<String>()), reply, false);
            }
        }
    }
    // Every refused create wrote nothing: the count moved by exactly the accepted ones.
    f.partial_writes = customers(http, &admin).await? - before - created;
    f.alive_after = http.send("GET", "/healthz", &Extra::default(), b"").await.is_ok_and(|r| r.status == 200);
    f.panics = server.panics() - panics_before;
    server.stop();
    Ok(f)
}
