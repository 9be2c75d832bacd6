//! A start on the bench store, timed the way a person meets it: the store opened, the first
//! page answered (the accounts are all a start loads before serving), pages answered while
//! the read models load in the background, and when those are complete.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use kehu_backend::store::open::open;
use kehu_backend::{AppState, Clock};
use tower::ServiceExt;

use crate::config::Config;
use crate::http;

/// Opens the bench's store as `kehu serve` does, printing the start's figures; returns once
/// every read model is loaded.
pub(crate) async fn open_timed(config: &Config) -> Result<AppState, String> {
    let started = Instant::now();
    let db = open(&config.data_url, &config.store).await.map_err(|e| e.to_string())?;
    let opened = started.elapsed();
    let state = AppState::starting(db, Clock::system(), config.policy.clone()).await.map_err(|e| e.to_string())?;
    let app = http::router(state.clone(), config);
    let (status, _) = get(&app, "/login").await?;
    println!(
        "start: store opened in {:.2} s; first answer (the sign-in page, {status}) {:.2} s after start",
        opened.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    let loading = tokio::spawn({
        let state = state.clone();
        async move { state.warm_up().await.map_err(|e| e.to_string()) }
    });
    // While the models load: the sign-in page and the health check keep answering.
    let mut slowest = Duration::ZERO;
    let mut answered = 0;
    while !loading.is_finished() {
        let (_, took) = get(&app, "/login").await?;
        let (health, _) = get(&app, "/healthz").await?;
        if health != StatusCode::SERVICE_UNAVAILABLE && health != StatusCode::OK {
            return Err(format!("the health check answered {health} while loading"));
        }
        (slowest, answered) = (slowest.max(took), answered + 1);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    loading.await.map_err(|e| format!("the load stopped: {e}"))??;
    let (orders, lines) = state.orders.counts();
    println!(
        "start: read models complete {:.2} s after start ({} customers, {} open deals, {orders} orders, {lines} lines); \
         meanwhile {answered} sign-in pages answered, the slowest in {:.0} ms",
        started.elapsed().as_secs_f64(),
        state.directory.len(),
        state.deals.open_count(),
        slowest.as_secs_f64() * 1000.0
    );
    Ok(state)
}

/// A page fetched without a session: its status and how long it took.
async fn get(app: &Router, path: &str) -> Result<(StatusCode, Duration), String> {
    let request = Request::get(path).header(header::HOST, "localhost").body(Body::empty()).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let response = app.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    Ok((status, started.elapsed()))
}
