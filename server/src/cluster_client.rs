//! What the cluster check (`kehu cluster`, `cluster_writes`) does to the replicas through
//! their HTTP interface: write a customer, look for one in the list, wait for something.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use kehu_domain::customers::types::{CustomerInput, ListQuery};
use kehu_ui::customers::api::{CreateCustomer, ListCustomers};
use leptos::server_fn::ServerFn;

use crate::soak::client::{Extra, Http};

/// A write not seen on the other replica after this long is a failure.
pub const GIVE_UP: Duration = Duration::from_secs(5);

pub async fn wait_for<F, Fut>(what: &str, limit: Duration, mut check: F) -> Result<Duration, String>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool, String>>,
{
    let started = Instant::now();
    loop {
        if check().await? {
            return Ok(started.elapsed());
        }
        if started.elapsed() > limit {
            return Err(format!("{what}: not within {} s", limit.as_secs()));
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

pub async fn create(http: Http, session: &str, name: &str) -> Result<(), String> {
    let input = CustomerInput { name: name.into(), region: "华东".into(), ..Default::default() };
    let reply = http
        .call(CreateCustomer::PATH, &Extra { session: Some(session), ..Default::default() }, &json!({ "input": input, "confirmed_not_duplicate": true }))
        .await
        .map_err(|e| e.to_string())?;
    if reply.status != 200 {
        return Err(format!("creating {name}: {} {}", reply.status, reply.text()));
    }
    Ok(())
}

/// The first page of the list on `http` searched for `q`.
pub async fn search(http: Http, session: &str, q: &str) -> Result<Value, String> {
    let query = ListQuery { q: q.into(), ..Default::default() };
    let reply = http.call(ListCustomers::PATH, &Extra { session: Some(session), ..Default::default() }, &json!({ "query": query })).await.map_err(|e| e.to_string())?;
    if reply.status != 200 {
        return Err(format!("listing on {}: {} {}", http.addr, reply.status, reply.text()));
    }
    serde_json::from_slice(&reply.body).map_err(|e| format!("the list: {e}"))
}

/// Whether the list (search) on `http` finds `name`.
pub async fn listed(http: Http, session: &str, name: &str) -> Result<bool, String> {
    let page = search(http, session, name).await?;
    let rows = page["rows"].as_array().map(Vec::as_slice).unwrap_or_default();
    Ok(rows.iter().any(|row| row["name"].as_str() == Some(name)))
}
