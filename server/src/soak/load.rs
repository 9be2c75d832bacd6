//! Load: concurrent clients on the loopback address mixing what people do all day — the
//! list, a search, a profile, the board, the header's who-am-I with its badge count, and a
//! follow-up written — for a bounded time. Reports requests per second, p50/p99 and errors.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kehu_domain::customers::types::{ListQuery, TouchpointInput};
use kehu_domain::pipeline::types::BoardQuery;
use kehu_domain::rng::Rng;
use kehu_ui::accounts::api::CurrentUser;
use kehu_ui::customers::api::{LogFollowUp, GetProfile, ListCustomers};
use kehu_ui::pipeline::api::GetBoard;
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

use super::client::Extra;
use super::server::Server;
use super::{follow_up_args, percentile, sign_in, Setup};

pub struct Figures {
    pub clients: usize,
    pub seconds: f64,
    pub requests: usize,
    pub errors: usize,
    /// The first few failed requests: the server function, and its status or why it went unanswered.
    pub failed: Vec<String>,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub reads_per_second: f64,
}

const SEARCHES: &[&str] = &["科技", "贸易", "王", "138", "有限公司", "华东", "zhang", "li"];

pub async fn run(setup: &Setup, clients: usize, seconds: u64) -> Result<Figures, String> {
    let server = Server::start(&setup.bin, &setup.data, &setup.log).await?;
    let http = server.http;
    let session = sign_in(http, &setup.admin, &setup.password, None).await?;
    // Customers to open: the first page of the list.
    let extra = Extra { session: Some(&session), ..Default::default() };
    let page = http.call(ListCustomers::PATH, &extra, &json!({ "query": ListQuery { per_page: 100, ..Default::default() } })).await.map_err(|e| e.to_string())?;
    let page: Value = serde_json::from_slice(&page.body).map_err(|e| format!("the first page: {e}"))?;
    let ids: Vec<String> = page["rows"].as_array().map(|rows| rows.iter().filter_map(|r| r["id"].as_str().map(String::from)).collect()).unwrap_or_default();
    if ids.is_empty() {
        return Err("the store has no customers to load with; run `kehu demo` on it first".into());
    }
    let samples: Arc<Mutex<(Vec<Duration>, usize, usize, Vec<String>)>> = Arc::default();
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let (session, ids, samples, admin) = (session.clone(), ids.clone(), samples.clone(), setup.admin.clone());
            tokio::spawn(async move {
                let mut rng = Rng(c as u64 + 1);
                let extra = Extra { session: Some(&session), ..Default::default() };
                while Instant::now() < until {
                    let id = rng.pick(&ids).clone();
                    let (path, args, read) = match rng.below(10) {
                        0..=2 => (ListCustomers::PATH, json!({ "query": ListQuery::default() }), true),
                        3..=4 => (ListCustomers::PATH, json!({ "query": ListQuery { q: rng.pick(SEARCHES).to_string(), ..Default::default() } }), true),
                        5..=6 => (GetProfile::PATH, json!({ "id": id }), true),
                        7 => (GetBoard::PATH, json!({ "query": BoardQuery::default() }), true),
                        8 => (CurrentUser::PATH, json!({}), true),
                        _ => (LogFollowUp::PATH, follow_up_args(&admin, &id, TouchpointInput { summary: "压测跟进".into(), ..Default::default() }), false),
                    };
                    let t = Instant::now();
                    let failure = match http.call(path, &extra, &args).await {
                        Ok(r) if r.status == 200 => None,
                        Ok(r) => Some(format!("{path}: {} {}", r.status, String::from_utf8_lossy(&r.body).chars().take(120).collect::<String>())),
                        Err(e) => Some(format!("{path}: {e}")),
                    };
                    let mut s = samples.lock().unwrap_or_else(|p| p.into_inner());
                    s.0.push(t.elapsed());
                    if let Some(failure) = failure {
                        s.1 += 1;
                        if s.3.len() < 5 {
                            s.3.push(failure);
                        }
                    }
                    if read {
                        s.2 += 1;
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    server.stop();
    let (times, errors, reads, failed) = samples.lock().map(|s| s.clone()).unwrap_or_else(|p| p.into_inner().clone());
    Ok(Figures {
        clients,
        seconds: elapsed,
        requests: times.len(),
        errors,
        failed,
        per_second: times.len() as f64 / elapsed,
        p50_ms: percentile(&times, 0.5),
        p99_ms: percentile(&times, 0.99),
        reads_per_second: reads as f64 / elapsed,
    })
}
