//! Measuring through the whole HTTP stack for the bench commands: a signed-in call to a
//! server function, repeated, and its percentiles printed.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use kehu_backend::accounts::sessions::SESSION_COOKIE;
use kehu_backend::accounts::users;
use kehu_domain::accounts::types::{Role, UserInput};
use serde::Serialize;
use tower::ServiceExt;

pub(crate) struct Stats {
    pub(crate) name: String,
    pub(crate) samples: Vec<Duration>,
}

impl Stats {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.samples.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).copied().unwrap_or_default()
    }

    pub(crate) fn print(&self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<34} n={:<5} p50 {:>8.3} ms   p95 {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
            self.name,
            self.samples.len(),
            ms(self.percentile(0.50)),
            ms(self.percentile(0.95)),
            ms(self.percentile(0.99)),
            ms(self.samples.iter().copied().max().unwrap_or_default()),
        );
    }
}

async fn call<T: Serialize>(app: &Router, session: &str, path: &str, args: &T) -> Result<(Duration, usize), String> {
    call_body(app, session, path, args).await.map(|(elapsed, bytes)| (elapsed, bytes.len()))
}

/// One call, timed, with the answer's body.
pub(crate) async fn call_body<T: Serialize>(app: &Router, session: &str, path: &str, args: &T) -> Result<(Duration, Vec<u8>), String> {
    let body = serde_json::to_vec(args).map_err(|e| e.to_string())?;
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
        .body(Body::from(body))
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let response = app.clone().oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if status != StatusCode::OK {
        return Err(format!("{path} answered {status}: {}", String::from_utf8_lossy(&bytes)));
    }
    Ok((elapsed, bytes.to_vec()))
}

/// A user the bench acts as (a random password nobody knows), made on first use.
pub(crate) async fn ensure_user(state: &kehu_backend::AppState, username: &str, role: Role) -> Result<(), String> {
    if state.users.get(username).is_some() {
        return Ok(());
    }
    let input = UserInput {
        username: username.into(),
        display_name: username.into(),
        role,
        password: kehu_backend::accounts::passwords::new_token().map_err(|e| e.to_string())?,
        ..Default::default()
    };
    users::create_user_unchecked(state, "bench", &input).await.map(|_| ()).map_err(|e| e.to_string())
}

pub(crate) async fn measure<T: Serialize>(
    app: &Router,
    session: &str,
    name: &str,
    path: &str,
    inputs: &[T],
    iterations: usize,
) -> Result<Stats, String> {
    // Warm up caches and the allocator first.
    for input in inputs.iter().take(5) {
        call(app, session, path, input).await?;
    }
    let mut samples = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let (elapsed, _) = call(app, session, path, &inputs[i % inputs.len()]).await?;
        samples.push(elapsed);
    }
    Ok(Stats { name: name.to_string(), samples })
}
