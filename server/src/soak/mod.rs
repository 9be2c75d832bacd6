//! `kehu soak`: a real server, started as its own process, pushed the way an attacker or a
//! bad day would push it, with figures printed. Four parts:
//!
//! - kill -9 ([`crash`]): writes under SIGKILL at random moments; nothing acknowledged lost;
//! - sign-in flood ([`flood`]): memory bounded, colleagues served, the victim not locked out;
//! - bad-input corpus ([`corpus`]): no panic, no 5xx, no partial write, readable refusals;
//! - load ([`load`]): concurrent clients on the loopback address, requests/s and latency.
//!
//! `--quick` (a few cycles, a few seconds of load) runs in the test suite; the long form is for
//! people (`./kehu.sh soak`, and `--load-data` to load the 100k bench store).

pub mod client;
mod corpus;
mod crash;
mod flood;
mod load;
pub(crate) mod server;

use std::path::PathBuf;
use std::time::Duration;

use kehu_backend::{AppState, Clock};
use kehu_ui::accounts::api::Login;
use leptos::server_fn::ServerFn;
use serde_json::json;

use client::{Extra, Http};

/// How far the server's resident memory may grow during the sign-in flood.
pub const FLOOD_MEMORY_BOUND_MIB: f64 = 200.0;

#[derive(Clone, Debug)]
pub struct Options {
    pub quick: bool,
    /// The kehu binary to start (this one, unless a test says otherwise).
    pub bin: PathBuf,
    /// kill -9 cycles, and the clients writing during each.
    pub cycles: usize,
    pub clients: usize,
    pub flood: usize,
    /// The store to load (default: the soak's own, with sample data), clients and seconds.
    pub load_data: Option<String>,
    pub load_clients: usize,
    pub load_seconds: u64,
}

impl Options {
    pub fn new(quick: bool, bin: PathBuf) -> Self {
        Options {
            quick,
            bin,
            cycles: if quick { 3 } else { 20 },
            clients: if quick { 2 } else { 4 },
            flood: 200,
            load_data: None,
            load_clients: if quick { 8 } else { 64 },
            load_seconds: if quick { 3 } else { 30 },
        }
    }
}

/// The server's store and the people the harness signs in as.
#[derive(Clone)]
pub struct Setup {
    pub bin: PathBuf,
    pub data: String,
    pub log: PathBuf,
    pub admin: String,
    pub colleague: String,
    pub manager: String,
    pub password: String,
}

/// Signs in through the server function and returns the session token.
pub(crate) async fn sign_in(http: Http, username: &str, password: &str, from: Option<&str>) -> Result<String, String> {
    let extra = Extra { forwarded_for: from, ..Default::default() };
    let reply = http.call(Login::PATH, &extra, &json!({ "username": username, "password": password })).await.map_err(|e| e.to_string())?;
    if reply.status != 200 {
        return Err(format!("signing in as {username}: {} {}", reply.status, reply.text()));
    }
    let cookie = reply.header("set-cookie").ok_or("no session cookie")?;
    let token = cookie.split(';').next().and_then(|c| c.split_once('=')).map(|(_, v)| v.to_string());
    token.ok_or_else(|| "no session in the cookie".to_string())
}

/// The arguments of a follow-up as the profile page sends it (`LogFollowUp`): written now by
/// `user`, with a key never used before.
fn follow_up_args(user: &str, customer: &str, input: kehu_domain::customers::types::TouchpointInput) -> serde_json::Value {
    static SENT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = SENT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    let follow_up = kehu_domain::customers::follow_up::KeyedFollowUp {
        key: format!("{nanos:x}-{n:x}-{:x}", std::process::id()),
        customer_id: customer.to_string(),
        customer_name: String::new(),
        user: user.to_string(),
        input,
        written_at: chrono::Utc::now(),
    };
    json!({ "follow_up": follow_up })
}

/// Opens the store directly (once the server released it).
async fn open_store(data: &str) -> Result<AppState, String> {
    for _ in 0..100 {
        match AppState::open(data, None, Clock::system()).await {
            Ok(state) => return Ok(state),
            Err(e) if e.to_string().contains("lock") => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(e) => return Err(format!("the store does not open: {e}")),
        }
    }
    Err("the store stayed locked for 10 s".into())
}

/// A customer's follow-ups in the store, or `None` if the customer is not there.
async fn followups_of(state: &AppState, id: &str) -> Result<Option<u32>, String> {
    let rid = surrealdb::types::RecordId::new("customer", id.to_string());
    let mut r = state
        .db
        .query("SELECT VALUE id FROM ONLY $c; SELECT VALUE id FROM touchpoint WHERE customer = $c;")
        .bind(("c", rid))
        .await
        .map_err(|e| e.to_string())?;
    let found: Option<surrealdb::types::RecordId> = r.take(0).map_err(|e| e.to_string())?;
    let notes: Vec<surrealdb::types::RecordId> = r.take(1).map_err(|e| e.to_string())?;
    Ok(found.map(|_| notes.len() as u32))
}

async fn store_count(state: &AppState, table: &str) -> Result<usize, String> {
    let ids: Vec<surrealdb::types::RecordId> =
        state.db.query(format!("SELECT VALUE id FROM {table}")).await.map_err(|e| e.to_string())?.take(0).map_err(|e| e.to_string())?;
    Ok(ids.len())
}

/// The `p`-th fraction of the durations, in milliseconds (0 if there are none).
pub(crate) fn percentile(samples: &[Duration], p: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// Runs every part, prints the figures, and fails if any part found a hole.
pub async fn run(options: Options) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("kehu-soak-{}-{}", std::process::id(), std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let setup = Setup {
        bin: options.bin.clone(),
        data: format!("surrealkv://{}", dir.join("store").display()),
        log: dir.join("server.log"),
        admin: "soak-admin".into(),
        colleague: "soak-rep".into(),
        manager: "soak-manager".into(),
        password: "soak test password".into(),
    };
    println!("kehu soak{}: store and server log in {}", if options.quick { " --quick" } else { "" }, dir.display());
    let result = run_parts(&options, &setup).await;
    if result.is_ok() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

async fn run_parts(options: &Options, setup: &Setup) -> Result<(), String> {
    let mut holes = Vec::new();
    // Sample customers for the corpus and the load, made by the binary itself.
    let demo = std::process::Command::new(&setup.bin)
        .args(["demo", "--customers", if options.quick { "60" } else { "1000" }, "--data", &setup.data])
        .env("KEHU_LOG", "error")
        .output()
        .map_err(|e| e.to_string())?;
    if !demo.status.success() {
        return Err(format!("kehu demo: {}", String::from_utf8_lossy(&demo.stderr)));
    }
    server::add_user(&setup.bin, &setup.data, &setup.admin, &setup.password, "admin")?;
    server::add_user(&setup.bin, &setup.data, &setup.colleague, &setup.password, "rep")?;
    server::add_user(&setup.bin, &setup.data, &setup.manager, &setup.password, "manager")?;

    let c = crash::run(setup, options.cycles, options.clients, 2026).await?;
    println!(
        "kill -9      {} cycles, {} writers: acknowledged {} customers / {} follow-ups; lost {} / {}; read models match the store: {}",
        c.cycles, options.clients, c.customers_acknowledged, c.followups_acknowledged, c.customers_lost, c.followups_lost, c.read_models_match
    );
    if c.customers_lost > 0 || c.followups_lost > 0 || !c.read_models_match || c.customers_acknowledged == 0 {
        holes.push("kill -9 lost acknowledged writes (or wrote none)");
    }

    let f = flood::run(setup, options.flood).await?;
    println!(
        "sign-in flood {} wrong passwords at once: {} refused (401), {} slowed (429), {} other; RSS {:.0} → peak {:.0} MiB (bound +{FLOOD_MEMORY_BOUND_MIB:.0}); a colleague's list {} times, p50 {:.1} ms, max {:.1} ms; the admin signs in from their own client: {}",
        f.attempts, f.refused_401, f.slowed_429, f.other, f.rss_before_mib, f.rss_peak_mib, f.colleague_pages, f.colleague_p50_ms, f.colleague_max_ms, f.admin_signed_in
    );
    if f.rss_peak_mib - f.rss_before_mib > FLOOD_MEMORY_BOUND_MIB || !f.admin_signed_in || f.other > 0 || f.colleague_pages == 0 {
        holes.push("the sign-in flood");
    }

    let b = corpus::run(setup, options.quick).await?;
    println!(
        "bad input    {} requests: {} accepted, {} refused; 5xx or unanswered {}; unreadable refusals {}; partial writes {}; panics {}; alive after: {}",
        b.requests, b.accepted, b.refused, b.server_errors.len(), b.unreadable_refusals.len(), b.partial_writes, b.panics, b.alive_after
    );
    for e in b.server_errors.iter().chain(&b.unreadable_refusals).take(10) {
        println!("             {e}");
    }
    if !b.server_errors.is_empty() || !b.unreadable_refusals.is_empty() || b.partial_writes != 0 || b.panics > 0 || !b.alive_after {
        holes.push("the bad-input corpus");
    }

    let load_setup = match &options.load_data {
        Some(data) => {
            server::add_user(&setup.bin, data, &setup.admin, &setup.password, "admin")?;
            Setup { data: data.clone(), ..setup.clone() }
        }
        None => setup.clone(),
    };
    let l = load::run(&load_setup, options.load_clients, options.load_seconds).await?;
    println!(
        "load         {} clients, {:.1} s on {}: {} requests ({:.0}/s, reads {:.0}/s), p50 {:.1} ms, p99 {:.1} ms, errors {}",
        l.clients, l.seconds, load_setup.data, l.requests, l.per_second, l.reads_per_second, l.p50_ms, l.p99_ms, l.errors
    );
    for failure in &l.failed {
        println!("             {failure}");
    }
    if l.errors > 0 {
        holes.push("errors under load");
    }
    if holes.is_empty() {
        Ok(())
    } else {
        Err(format!("holes found: {}", holes.join(", ")))
    }
}
