//! Server-only half of the app: the store, the directory, accounts and the services that use
//! them. Compiled with the `ssr` feature only, so SurrealDB never reaches the browser build.

pub mod account_service;
pub mod account_store;
pub mod accounts;
pub mod audit_store;
pub mod care_date_service;
pub mod care_date_store;
pub mod competitor_service;
pub mod customer_service;
pub mod customer_store;
pub mod csrf;
pub mod db;
pub mod deal_book;
pub mod deal_records;
pub mod deal_service;
pub mod deal_store;
pub mod demo;
pub mod demo_deals;
pub mod demo_orders;
pub mod directory;
pub mod due_cache;
pub mod import_jobs;
pub mod insight_batch;
pub mod insight_routes;
pub mod insight_service;
pub mod dnd_service;
pub mod dnd_store;
pub mod live;
pub mod migrations;
pub mod notify;
pub mod order_book;
pub mod order_service;
pub mod order_store;
pub mod pool_service;
pub mod product_store;
pub mod records;
pub mod reminder_engine;
pub mod reminder_service;
pub mod reminder_store;
pub mod search_index;
pub mod request;
pub mod state;

pub use state::{AppState, Clock, Policy};
