//! Kehu's domain: the types that travel between server and browser, the validation of every
//! form, the business rules (who sees what, stage gating, reminder rules, the pool) and the
//! models (RFM, BG/NBD, rhythm, association rules, forecast), with the texts people read in
//! both languages. Plain Rust over serde and chrono: it builds for the server and for wasm,
//! and its tests run without Leptos, a store or a browser.

pub mod accounts;
pub mod audit;
pub mod check;
pub mod customers;
pub mod error;
pub mod format;
pub mod i18n;
pub mod insight;
pub mod money;
pub mod notifications;
pub mod pipeline;
pub mod platform;
pub mod problem;
pub mod reminders;
pub mod rng;
pub mod service;
pub mod targets;
pub mod today;
