//! `kehu bench --only api`: the REST API through the whole HTTP stack (token check, rate
//! limit, service, JSON): a page of 100 customers, and 1,000 orders in one bulk call.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use kehu_backend::insight::orders;
use kehu_backend::platform::tokens;
use kehu_domain::customers::types::ListQuery;
use kehu_domain::platform::tokens::{NewTokenInput, TokenScope};
use tower::ServiceExt;

use crate::bench_measure::Stats;

/// Orders in one bulk call, and how many such calls are timed.
const BULK_ORDERS: usize = 1_000;
const BULK_CALLS: usize = 5;

async fn send(app: &Router, method: Method, path: &str, secret: &str, body: Option<String>) -> Result<Duration, String> {
    let mut request = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {secret}"));
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let request = request.body(Body::from(body.unwrap_or_default())).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let response = app.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if !matches!(status, StatusCode::OK | StatusCode::CREATED) {
        return Err(format!("{path} answered {status}: {}", String::from_utf8_lossy(&bytes)));
    }
    Ok(elapsed)
}

pub(crate) async fn run(state: &kehu_backend::AppState, app: &Router, admin: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    let caller = state.users.caller(admin).ok_or("the bench user is missing")?;
    let input = NewTokenInput { name: "bench".into(), scopes: vec![TokenScope::Read, TokenScope::Write], days: 7 };
    let secret = tokens::create(state, &caller, &input).await.map_err(|e| e.to_string())?.secret;

    let mut results = Vec::new();
    let pages = [
        ("first page", "/api/v1/customers?limit=100"),
        ("by name, page 20", "/api/v1/customers?limit=100&sort=name&cursor=p20"),
        ("search \"科技\"", "/api/v1/customers?limit=100&q=%E7%A7%91%E6%8A%80"),
    ];
    for (_, path) in pages {
        send(app, Method::GET, path, &secret, None).await?;
    }
    // In turn, so whatever else the machine does meanwhile falls on each kind alike.
    let mut samples = vec![Vec::with_capacity(iterations); pages.len()];
    for _ in 0..iterations {
        for ((_, path), samples) in pages.iter().zip(&mut samples) {
            samples.push(send(app, Method::GET, path, &secret, None).await?);
        }
    }
    for ((name, _), samples) in pages.iter().zip(samples) {
        results.push(Stats { name: format!("api: 100 customers, {name}"), samples });
    }

    let product = match orders::products(state).into_iter().next() {
        Some(p) => p.id,
        None => {
            let input = kehu_domain::insight::types::ProductInput { name: "Bench 产品".into(), category: "bench".into(), price: "100".into() };
            let saved = orders::save_product(state, &caller, "", &input).await.map_err(|e| e.to_string())?;
            saved.into_iter().next().ok_or("the bench product was not saved")?.id
        }
    };
    let everything = kehu_domain::accounts::rules::Scope::All;
    let customers: Vec<String> = (1..=BULK_ORDERS as u32 / 100)
        .flat_map(|page| state.directory.page(&ListQuery { per_page: 100, page, ..Default::default() }, &everything).rows)
        .map(|row| row.id)
        .collect();
    if customers.is_empty() {
        return Err("the bench store has no customers".into());
    }
    let mut samples = Vec::with_capacity(BULK_CALLS);
    for call in 0..BULK_CALLS {
        let batch: Vec<serde_json::Value> = (0..BULK_ORDERS)
            .map(|i| {
                serde_json::json!({
                    "customer_id": customers[i % customers.len()],
                    "on": "2026-11-01",
                    "order_no": format!("BENCH-{call}-{i}"),
                    "lines": [{"product_id": product, "quantity": 1, "amount": "99.00"}],
                })
            })
            .collect();
        let body = serde_json::json!({ "orders": batch }).to_string();
        samples.push(send(app, Method::POST, "/api/v1/orders/bulk", &secret, Some(body)).await?);
    }
    results.push(Stats { name: "api: 1,000 orders in one bulk call".into(), samples });
    Ok(results)
}
