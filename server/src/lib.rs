#![recursion_limit = "256"]
//! Kehu's server: configuration, HTTP routes, embedded site, and the commands of the
//! `kehu` binary (serve, demo, bench, soak).

pub mod assets;
pub mod backup;
pub mod bench;
pub mod bench_api;
pub mod bench_measure;
pub mod bench_import;
pub mod bench_store;
pub mod bench_performance;
pub mod bench_start;
pub mod bench_tickets;
pub mod cli;
pub mod cluster;
pub mod cluster_client;
pub mod cluster_writes;
pub mod config;
pub mod http;
pub mod serve;
pub mod soak;
pub mod test_certificates;
