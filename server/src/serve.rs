//! `kehu serve`, `kehu demo` and `kehu user add`.

use std::io::Read;
use std::net::SocketAddr;
use std::time::Duration;

use kehu_backend::accounts::{signin, users};
use kehu_backend::customers::pool;
use kehu_backend::insight::{batch, leads};
use kehu_backend::reminders::{due_watch, engine};
use kehu_backend::store::open::open;
use kehu_backend::{demo, replica, AppState, Clock};
use kehu_domain::accounts::types::{Role, UserInput};
use tokio::net::TcpListener;

use crate::assets;
use crate::cli::StoreArgs;
use crate::config::Config;
use crate::http;

pub async fn open_state(config: &Config) -> Result<AppState, String> {
    AppState::open_with(&config.data_url, &config.store, Clock::system(), config.policy.clone())
        .await
        .map_err(|e| e.to_string())
}

/// Opens the store for serving: the accounts at once (people can sign in within seconds of
/// start), every other read model in the background (`AppState::warm_up`; until it is done
/// signed-in requests are told to wait and `/healthz` says "loading"). On a remote store this
/// process is one replica among others: it notes where the event feed stands before it
/// loads, and follows what the others commit from that point on.
async fn open_serving(config: &Config) -> Result<AppState, String> {
    let db = open(&config.data_url, &config.store).await.map_err(|e| e.to_string())?;
    // A remote store may have other Kehu processes on it (an embedded one is this process's alone).
    let remote = db.is_remote();
    let after = if remote {
        replica::starting_point(&db).await.map_err(|e| format!("reading the store's event feed failed: {e}"))?
    } else {
        None
    };
    let state = AppState::starting(db, Clock::system(), config.policy.clone()).await.map_err(|e| e.to_string())?;
    let loading = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match loading.warm_up().await {
            Ok(()) => {
                tracing::info!(
                    "read models loaded in {:.1} s: {} customers, {} open deals",
                    started.elapsed().as_secs_f64(),
                    loading.directory.len(),
                    loading.deals.open_count()
                );
                // After the pages are served: only the competitor report waits for it.
                kehu_backend::insight::competitor_mentions::prepare(&loading).await;
            }
            // As when a start fails before serving: a server that cannot read its data must
            // not go on half-working; whoever supervises it sees the reason and the exit.
            Err(e) => {
                tracing::error!("loading the read models failed: {e}");
                eprintln!("Kehu stopped: loading the read models failed: {e}");
                std::process::exit(1);
            }
        }
    });
    if remote {
        replica::start(state.clone(), after);
        replica::lease::keep(state.db.clone(), state.jobs.clone(), replica::lease::PERIOD);
    }
    Ok(state)
}

pub async fn serve(args: StoreArgs) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    if !assets::bundle_present() {
        tracing::warn!("the browser bundle is missing: pages will render but not react; build with ./kehu.sh build");
    }
    let state = open_serving(&config).await?;
    let setup = signin::open_setup(&state).map_err(|e| e.to_string())?;
    spawn_jobs(state.clone());
    let live = state.live.clone();
    let stopping = state.clone();
    let app = http::router(state, &config);
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    println!(
        "Kehu is running at http://{} (data: {}; customers, deals and orders are loading in the background). Stop with Ctrl+C.",
        config.listen, config.data_url
    );
    if let Some(token) = setup {
        println!(
            "No admin account yet. Create it at http://{}/setup?token={token}\n(or stop the server and run: kehu user add --admin --username <name>)",
            config.listen
        );
    }
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Live badge streams never end by themselves: end them so the server can stop.
            live.shutdown();
        })
        .await
        .map_err(|e| format!("server stopped: {e}"))?;
    assets::remove_site_root();
    if stopping.db.is_remote() {
        // Another replica takes the background work over now rather than in half a minute.
        replica::lease::let_go(&stopping.db, &stopping.jobs).await;
    }
    Ok(())
}

/// Background work: webhooks are sent as events are committed; customers that went too long
/// without a follow-up go back to the pool, ended sessions, day-old API idempotency keys and
/// month-old webhook deliveries are forgotten, shortly after start and
/// then every hour; reminders are worked
/// out at start (catching up) and every ten minutes, each time after the insight batch has
/// scored every customer's orders; open pages hear when one falls due. With other replicas
/// on the store, only the holder of the background-work lease does these rounds.
fn spawn_jobs(state: AppState) {
    tokio::spawn(async move {
        // Every round reads the read models: none begins before they are loaded.
        state.warmup.loaded().await;
        spawn_rounds(state);
    });
}

fn spawn_rounds(state: AppState) {
    let jobs = state.clone();
    tokio::spawn(async move {
        let mut every_ten_minutes = tokio::time::interval(Duration::from_secs(600));
        let mut gains = jobs.jobs.gains();
        loop {
            // Also at once when this replica takes the background work over (see `gains`).
            tokio::select! {
                _ = every_ten_minutes.tick() => {}
                _ = gains.changed() => {}
            }
            // A gain before this round is served by it.
            gains.borrow_and_update();
            // Another replica holds the background work.
            if !jobs.jobs.is_mine() {
                continue;
            }
            // Scores first, so churn and repurchase reminders follow the latest orders.
            match batch::run(&jobs).await {
                Ok(s) => tracing::info!(
                    "insight scores: {} customers, {} orders ({} lines), {} rows written, {:.1} s",
                    s.customers, s.orders, s.lines, s.written, s.total.as_secs_f64()
                ),
                Err(e) => tracing::error!("the insight batch failed: {e}"),
            }
            // The lead score learns from closed deals and touches, not orders: refitted here,
            // not after every order change.
            if let Err(e) = leads::refit(&jobs).await {
                tracing::error!("refitting the lead score failed: {e}");
            }
            let started = std::time::Instant::now();
            match engine::run(&jobs).await {
                Ok(n) => tracing::info!("reminders worked out: {n} in {:.1} s", started.elapsed().as_secs_f64()),
                Err(e) => tracing::error!("working out reminders failed: {e}"),
            }
        }
    });
    tokio::spawn(due_watch::watch_due(state.clone()));
    tokio::spawn(kehu_backend::platform::webhooks::worker::keep_sending(state.clone()));
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let mut every_hour = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if !state.jobs.is_mine() {
                continue;
            }
            match pool::recycle_stale(&state, &state.policy.recycle).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("returned {n} untended customers to the lead pool"),
                Err(e) => tracing::error!("recycling untended customers failed: {e}"),
            }
            // Ended sessions and old sign-in failures go, so neither grows without bound.
            if let Err(e) = signin::prune(&state).await {
                tracing::error!("forgetting ended sessions failed: {e}");
            }
            // API answers kept for retries go after a day.
            if let Err(e) = kehu_backend::platform::idempotency::prune(&state).await {
                tracing::error!("forgetting old idempotency keys failed: {e}");
            }
            // Import jobs' stored statuses, a day after their last save.
            if let Err(e) = kehu_backend::store::import_jobs::prune(&state.db, kehu_backend::insight::import_jobs::KEEP_STORED).await {
                tracing::error!("forgetting old import jobs failed: {e}");
            }
            // A webhook's finished deliveries stay in its log for 30 days.
            if let Err(e) = kehu_backend::store::webhooks::prune(&state.db, state.clock.now() - chrono::Duration::days(30)).await {
                tracing::error!("forgetting old webhook deliveries failed: {e}");
            }
        }
    });
}

pub async fn demo(args: StoreArgs, customers: usize, seed: u64) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    let state = open_state(&config).await?;
    let started = std::time::Instant::now();
    let loaded = demo::load(&state, customers, (customers / 5).min(200), seed).await.map_err(|e| e.to_string())?;
    let (written, deals, orders) = (loaded.customers, loaded.deals, loaded.orders);
    println!("Added {} sample order lines ({} orders).", orders.imported_lines, orders.orders);
    println!(
        "Added {written} demo customers and {deals} deals to {} in {:.1} s ({} customers in total).",
        config.data_url,
        started.elapsed().as_secs_f64(),
        state.directory.len()
    );
    Ok(())
}

/// `kehu user add`: creates a user from the command line, the password read from stdin (so
/// it stays out of the shell history and the process list).
pub async fn add_user(
    args: StoreArgs,
    username: String,
    display_name: Option<String>,
    role: Role,
    team: Option<String>,
    region: String,
) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    let state = open_state(&config).await?;
    let team = match team {
        None => None,
        Some(name) => {
            let teams = users::teams(&state).await.map_err(|e| e.to_string())?;
            match teams.into_iter().find(|t| t.name == name) {
                Some(t) => Some(t.id),
                None => Some(users::create_team_unchecked(&state, "cli", &name).await.map_err(|e| e.to_string())?.id),
            }
        }
    };
    eprintln!("Password for {username} (at least 10 characters), then Enter:");
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password).map_err(|e| format!("cannot read the password: {e}"))?;
    let password = password.lines().next().unwrap_or("").to_string();
    let input = UserInput {
        display_name: display_name.unwrap_or_else(|| username.clone()),
        username,
        role,
        password,
        team,
        region,
        ..Default::default()
    };
    let user = users::create_user_unchecked(&state, "cli", &input).await.map_err(|e| e.to_string())?;
    println!("Created {} ({}) in {}.", user.username, user.role.as_str(), config.data_url);
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    println!("Kehu is stopping.");
}
