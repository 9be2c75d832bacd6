//! `kehu serve` and `kehu demo`.

use kehu_app::backend::{demo, AppState, Clock};
use tokio::net::TcpListener;

use crate::assets;
use crate::cli::StoreArgs;
use crate::config::Config;
use crate::routes;

pub async fn open_state(config: &Config) -> Result<AppState, String> {
    AppState::open(&config.data_url, config.db_credentials.clone(), Clock::system())
        .await
        .map_err(|e| e.to_string())
}

pub async fn serve(args: StoreArgs) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    if !assets::bundle_present() {
        tracing::warn!("the browser bundle is missing: pages will render but not react; build with ./kehu.sh build");
    }
    let state = open_state(&config).await?;
    let customers = state.directory.len();
    let app = routes::router(state, &config);
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    println!(
        "Kehu is running at http://{} (data: {}, {customers} customers). Stop with Ctrl+C.",
        config.listen, config.data_url
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server stopped: {e}"))
}

pub async fn demo(args: StoreArgs, customers: usize, seed: u64) -> Result<(), String> {
    let config = Config::load(&args.overrides())?;
    let state = open_state(&config).await?;
    let started = std::time::Instant::now();
    let written = demo::load(&state, customers, seed).await.map_err(|e| e.to_string())?;
    println!(
        "Added {written} demo customers to {} in {:.1} s ({} in total).",
        config.data_url,
        started.elapsed().as_secs_f64(),
        state.directory.len()
    );
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
