use std::process::ExitCode;

use clap::Parser;
use kehu::cli::{Cli, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let filter = EnvFilter::try_from_env("KEHU_LOG").unwrap_or_else(|_| EnvFilter::new("info,surrealdb=warn,surrealkv=warn"));
    tracing_subscriber::fmt().with_env_filter(filter).with_target(false).init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => kehu::serve::serve(args).await,
        Command::Demo { store, customers, seed } => kehu::serve::demo(store, customers, seed).await,
        Command::Bench { store, customers, iterations } => kehu::bench::run(store, customers, iterations).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kehu: {message}");
            ExitCode::FAILURE
        }
    }
}
