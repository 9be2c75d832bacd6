//! Kehu's server side: the store, the read models, who may see what, the event seam, and
//! one folder per feature holding its services (mirroring the pages). Never part of the
//! browser build.
//!
//! The flow of a change (see ARCHITECTURE.md): a server function or HTTP route resolves the
//! caller and calls one service; the service asks `access`, applies the domain's rules and
//! hands the change with its `events::Event`s to the store, which writes both in one
//! transaction; then `events::follow` brings the read models, reminders, live badges and
//! the insight rerun up to date.

pub mod access;
pub mod aftersales;
pub mod accounts;
pub mod audit;
pub mod clock;
pub mod customers;
pub mod demo;
pub mod events;
pub mod files;
pub mod followers;
pub mod insight;
pub mod internal;
pub mod live;
pub mod mail;
pub mod notifications;
pub mod pipeline;
pub mod platform;
pub mod policy;
pub mod readmodel;
pub mod reminders;
pub mod replica;
pub mod state;
pub mod store;
pub mod targets;
pub mod today;

pub use clock::Clock;
pub use policy::Policy;
pub use state::AppState;
