//! Server-only half of the app: the store, the directory and the services that use them.
//! Compiled with the `ssr` feature only, so SurrealDB never reaches the browser build.

pub mod customer_service;
pub mod customer_store;
pub mod db;
pub mod demo;
pub mod directory;
pub mod migrations;
pub mod records;
pub mod state;

pub use state::{AppState, Clock};
