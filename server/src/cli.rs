//! The `kehu` command line. Every flag can also come from the environment variable it
//! names, and otherwise from Leptos.toml.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;

#[derive(Debug, Parser)]
#[command(name = "kehu", version, about = "Kehu (客户): a self-hosted customer-lifecycle CRM in one binary.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app (data in ./data unless told otherwise).
    Serve(StoreArgs),
    /// Add generated Chinese sample customers, with contacts and follow-ups.
    Demo {
        #[command(flatten)]
        store: StoreArgs,
        /// How many customers to add.
        #[arg(long, default_value_t = 300)]
        customers: usize,
        /// Seed for the generator: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Measure the customer import: N rows into a fresh store, then N more (half of them
    /// updates) checked and imported against them; with SQLite as the reference.
    BenchImport {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
    },
    /// Measure the service desk over many tickets: the queues, a customer's tickets, the
    /// after-sales report with every ticket's SLA clocks, a note's round trip.
    BenchTickets {
        #[command(flatten)]
        store: StoreArgs,
        /// Tickets in the bench store; generated if the store has fewer.
        #[arg(long, default_value_t = 100_000)]
        tickets: usize,
        /// Customers they belong to.
        #[arg(long, default_value_t = 20_000)]
        customers: usize,
        /// Timed calls per measurement.
        #[arg(long, default_value_t = 100)]
        iterations: usize,
    },
    /// Measure list, search and profile times on a store of a given size.
    Bench {
        #[command(flatten)]
        store: StoreArgs,
        /// Customers in the bench store; generated if the store has fewer.
        #[arg(long, default_value_t = 100_000)]
        customers: usize,
        /// Timed calls per measurement.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
        /// Measure one part only (list, pipeline, insight, reminders, performance), e.g. to
        /// profile it; the store is prepared as for a whole run.
        #[arg(long)]
        only: Option<String>,
    },
    /// Push a real server as an attacker or a bad day would (kill -9, a sign-in flood, a
    /// corpus of bad input, load) and print the figures; fails if a hole is found.
    Soak {
        /// A short run (as in the test suite).
        #[arg(long)]
        quick: bool,
        /// kill -9 cycles.
        #[arg(long)]
        cycles: Option<usize>,
        /// A store to run the load part on (e.g. surrealkv://target/bench-data-100000).
        #[arg(long)]
        load_data: Option<String>,
        /// Concurrent clients and seconds of load.
        #[arg(long)]
        load_clients: Option<usize>,
        #[arg(long)]
        load_seconds: Option<u64>,
    },
    /// Start a SurrealDB server and two Kehu replicas on it; check and measure that each
    /// shows the other's writes, that the background work moves when its holder is killed,
    /// and that a restarted replica catches up (./kehu.sh cluster installs `surreal`).
    Cluster {
        /// The SurrealDB server binary.
        #[arg(long)]
        surreal: PathBuf,
        /// Customers written on each replica.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        /// Seconds both replicas are written to at once, to measure writes per second (0: not).
        #[arg(long, default_value_t = 10)]
        write_seconds: u64,
    },
    /// Write a backup of the store to FILE (SurrealQL). With --server, ask the running
    /// server at that address for it (KEHU_BACKUP_TOKEN, as the server was started with);
    /// otherwise open the store directly (a stopped server, or a remote SurrealDB).
    Backup {
        #[command(flatten)]
        store: StoreArgs,
        file: PathBuf,
        /// A running Kehu, e.g. 127.0.0.1:3000.
        #[arg(long)]
        server: Option<std::net::SocketAddr>,
    },
    /// Restore a backup into an empty store (a new --data).
    Restore {
        #[command(flatten)]
        store: StoreArgs,
        file: PathBuf,
    },
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from standard input.
    Add {
        #[command(flatten)]
        store: StoreArgs,
        /// Login name: lower-case letters, digits, . - _
        #[arg(long)]
        username: String,
        /// The name others see (default: the username).
        #[arg(long)]
        display_name: Option<String>,
        /// Make the user an admin (shorthand for --role admin).
        #[arg(long)]
        admin: bool,
        /// admin, manager, rep or service.
        #[arg(long, default_value = "rep")]
        role: String,
        /// The team by name (made if there is none of that name).
        #[arg(long)]
        team: Option<String>,
        /// The user's region (a manager sees all customers there).
        #[arg(long, default_value = "")]
        region: String,
    },
}

#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// Settings file (default: ./Leptos.toml if present).
    #[arg(long, env = "KEHU_CONFIG")]
    pub config: Option<PathBuf>,
    /// Address to listen on, e.g. 0.0.0.0:3000.
    #[arg(long, env = "KEHU_LISTEN")]
    pub listen: Option<String>,
    /// Data store URL: surrealkv://<dir> (default surrealkv://data), mem://, or ws:// / wss://<host>:<port>.
    #[arg(long, env = "KEHU_DATA")]
    pub data: Option<String>,
    /// Default page language: zh-CN or en.
    #[arg(long, env = "KEHU_LANG")]
    pub lang: Option<String>,
    /// UTC offset times are shown in, e.g. +08:00.
    #[arg(long, env = "KEHU_UTC_OFFSET")]
    pub utc_offset: Option<String>,
    /// Remote store user (ws:// and wss:// only).
    #[arg(long, env = "KEHU_DB_USER", hide_env_values = true)]
    pub db_user: Option<String>,
    /// Remote store password (ws:// and wss:// only).
    #[arg(long, env = "KEHU_DB_PASS", hide_env_values = true)]
    pub db_pass: Option<String>,
    /// A file holding the remote store's password (instead of KEHU_DB_PASS).
    #[arg(long, env = "KEHU_DB_PASS_FILE")]
    pub db_pass_file: Option<PathBuf>,
    /// PEM file of the CA that signed a wss:// store's certificate (when it is not a public CA).
    #[arg(long, env = "KEHU_DB_CA")]
    pub db_ca: Option<PathBuf>,
}

impl StoreArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config_file: self.config.clone(),
            listen: self.listen.clone(),
            data: self.data.clone(),
            lang: self.lang.clone(),
            utc_offset: self.utc_offset.clone(),
            db_user: self.db_user.clone(),
            db_pass: self.db_pass.clone(),
            db_pass_file: self.db_pass_file.clone(),
            db_ca: self.db_ca.clone(),
        }
    }
}
