//! Server tests: services and the HTTP surface against a real SurrealDB, in memory (`mem://`)
//! or, where persistence is the point, on disk in a temporary directory. One test binary,
//! so the (large) link happens once.

mod support;

#[path = "api/access.rs"]
mod access;
#[path = "api/auth.rs"]
mod auth;
#[path = "api/backup.rs"]
mod backup;
#[path = "api/care_plans.rs"]
mod care_plans;
#[path = "api/customer_import.rs"]
mod customer_import;
#[path = "api/customer360.rs"]
mod customer360;
#[path = "api/dnd.rs"]
mod dnd;
#[path = "api/insight.rs"]
mod insight;
#[path = "api/export.rs"]
mod export;
#[path = "api/events.rs"]
mod events;
#[path = "api/hardening.rs"]
mod hardening;
#[path = "api/http.rs"]
mod http;
#[path = "api/offline.rs"]
mod offline;
#[path = "api/personal_data.rs"]
mod personal_data;
#[path = "api/platform.rs"]
mod platform;
#[path = "api/platform_money.rs"]
mod platform_money;
#[path = "api/platform_resources.rs"]
mod platform_resources;
#[path = "api/webhooks.rs"]
mod webhooks;
#[path = "api/pool.rs"]
mod pool;
#[path = "api/pipeline.rs"]
mod pipeline;
#[path = "api/reminders.rs"]
mod reminders;
#[path = "api/replicas.rs"]
mod replicas;
#[path = "api/targets.rs"]
mod targets;
#[path = "api/soak.rs"]
mod soak;
#[path = "api/store_tls.rs"]
mod store_tls;
#[path = "api/surveys.rs"]
mod surveys;
#[path = "api/tickets.rs"]
mod tickets;
#[path = "api/today.rs"]
mod today;
#[path = "api/visits.rs"]
mod visits;
#[path = "api/warmup.rs"]
mod warmup;
