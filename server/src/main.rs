use std::process::ExitCode;

use clap::Parser;
use kehu::cli::{Cli, Command, UserCommand};
use kehu_domain::accounts::types::Role;
use tracing_subscriber::EnvFilter;

/// Stack for each of the runtime's threads. The embedded SurrealDB runs queries on the calling
/// task and recurses deeply; Rust's default 2 MiB is not enough (SurrealDB's own server starts
/// its runtime the same way, for the same reason). Debug builds' frames are several times
/// larger: loading the demo company from the page overflowed 2 MiB there, which aborted the
/// whole server. Only the pages a thread touches are committed, so this costs address space.
const THREAD_STACK: usize = if cfg!(debug_assertions) { 20 << 20 } else { 10 << 20 };

fn main() -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(THREAD_STACK).build();
    match runtime {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("kehu: cannot start the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let filter = EnvFilter::try_from_env("KEHU_LOG").unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealkv=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();
    kehu_backend::store::tls::install_default_provider();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => kehu::serve::serve(args).await,
        Command::Demo { store, customers, seed } => kehu::serve::demo(store, customers, seed).await,
        Command::Bench { store, customers, iterations, only } => kehu::bench::run(store, customers, iterations, only.as_deref()).await,
        Command::BenchImport { store, rows } => kehu::bench_import::run(store, rows).await,
        Command::BenchTickets { store, tickets, customers, iterations } => kehu::bench_tickets::run(store, tickets, customers, iterations).await,
        Command::Backup { store, file, server } => kehu::backup::backup(store, &file, server).await,
        Command::Restore { store, file } => kehu::backup::restore(store, &file).await,
        Command::Soak { quick, cycles, load_data, load_clients, load_seconds } => {
            let bin = std::env::current_exe().map_err(|e| format!("where am I: {e}"));
            match bin {
                Ok(bin) => {
                    let mut options = kehu::soak::Options::new(quick, bin);
                    options.cycles = cycles.unwrap_or(options.cycles);
                    options.load_data = load_data;
                    options.load_clients = load_clients.unwrap_or(options.load_clients);
                    options.load_seconds = load_seconds.unwrap_or(options.load_seconds);
                    kehu::soak::run(options).await
                }
                Err(e) => Err(e),
            }
        }
        Command::Cluster { surreal, rounds, write_seconds } => match std::env::current_exe() {
            Ok(bin) => kehu::cluster::run(kehu::cluster::Options { surreal, bin, rounds, write_seconds }).await,
            Err(e) => Err(format!("where am I: {e}")),
        },
        Command::User(UserCommand::Add { store, username, display_name, admin, role, team, region }) => {
            match if admin { Some(Role::Admin) } else { Role::parse(&role) } {
                Some(role) => kehu::serve::add_user(store, username, display_name, role, team, region).await,
                None => Err(format!("unknown role '{role}': use admin, manager, rep or service")),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kehu: {message}");
            ExitCode::FAILURE
        }
    }
}
