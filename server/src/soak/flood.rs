//! Sign-in flood: many wrong passwords for the admin at once, from one client. The server's
//! memory must stay bounded (Argon2 runs behind its gate), a colleague's pages must keep
//! coming, and the admin must still sign in from their own client afterwards.

use std::time::{Duration, Instant};

use kehu_domain::customers::types::ListQuery;
use kehu_ui::accounts::api::Login;
use kehu_ui::customers::api::ListCustomers;
use leptos::server_fn::ServerFn;
use serde_json::json;

use super::client::Extra;
use super::server::Server;
use super::{sign_in, percentile, Setup};

pub struct Figures {
    pub attempts: usize,
    pub refused_401: usize,
    pub slowed_429: usize,
    pub other: usize,
    pub rss_before_mib: f64,
    pub rss_peak_mib: f64,
    pub colleague_pages: usize,
    pub colleague_p50_ms: f64,
    pub colleague_max_ms: f64,
    pub admin_signed_in: bool,
}

pub async fn run(setup: &Setup, attempts: usize) -> Result<Figures, String> {
    let server = Server::start(&setup.bin, &setup.data, &setup.log).await?;
    let http = server.http;
    let colleague = sign_in(http, &setup.colleague, &setup.password, Some("198.51.100.20")).await?;
    let rss_before = server.rss_mib().unwrap_or(0.0);
    let flood: Vec<_> = (0..attempts)
        .map(|_| {
            let admin = setup.admin.clone();
            tokio::spawn(async move {
                let extra = Extra { forwarded_for: Some("203.0.113.9"), ..Default::default() };
                http.call(Login::PATH, &extra, &json!({ "username": admin, "password": "not the password" })).await.map(|r| r.status)
            })
        })
        .collect();
    // While it lasts: the server's memory, and a colleague's list.
    let mut peak = rss_before;
    let mut pages = Vec::new();
    let started = Instant::now();
    while flood.iter().any(|f| !f.is_finished()) && started.elapsed() < Duration::from_secs(120) {
        peak = peak.max(server.rss_mib().unwrap_or(0.0));
        let t = Instant::now();
        let extra = Extra { session: Some(&colleague), forwarded_for: Some("198.51.100.20"), ..Default::default() };
        if let Ok(r) = http.call(ListCustomers::PATH, &extra, &json!({ "query": ListQuery::default() })).await {
            if r.status == 200 {
                pages.push(t.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut figures = Figures {
        attempts,
        refused_401: 0,
        slowed_429: 0,
        other: 0,
        rss_before_mib: rss_before,
        rss_peak_mib: peak,
        colleague_pages: pages.len(),
        colleague_p50_ms: percentile(&pages, 0.5),
        colleague_max_ms: percentile(&pages, 1.0),
        admin_signed_in: false,
    };
    for f in flood {
        match f.await {
            Ok(Ok(401)) => figures.refused_401 += 1,
            Ok(Ok(429)) => figures.slowed_429 += 1,
            _ => figures.other += 1,
        }
    }
    figures.rss_peak_mib = figures.rss_peak_mib.max(server.rss_mib().unwrap_or(0.0));
    // The attacked admin, from their own client, with the right password.
    figures.admin_signed_in = sign_in(http, &setup.admin, &setup.password, Some("198.51.100.7")).await.is_ok();
    server.stop();
    Ok(figures)
}
