//! The store: SurrealDB, one file per table family, and the schema migrations. No rules and
//! no rights here (services ask `access` and apply the domain's rules first); every value
//! reaches SurrealQL as a bound parameter, and every change writes its events in the same
//! transaction (`events`).

pub mod accounts;
pub mod api_tokens;
pub mod webhooks;
pub mod backup;
pub mod care_dates;
pub mod competitors;
pub mod customer_import;
pub mod customer_rows;
pub mod customers;
pub mod db;
pub mod deal_rows;
pub mod deals;
pub mod dnd;
pub mod error;
pub mod events;
pub mod export;
pub mod feed;
pub mod guard;
pub mod idempotency_keys;
pub mod lead_history;
pub mod import_jobs;
pub mod leases;
pub mod ids;
pub mod migrations;
pub mod notifications;
pub mod open;
pub mod orders;
pub mod performance;
pub mod personal_data;
pub mod products;
pub mod reminders;
pub mod service_settings;
pub mod surveys;
pub mod targets;
pub mod tickets;
pub mod tls;
pub mod transact;
pub mod won_deals;
