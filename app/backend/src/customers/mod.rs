//! Customers (客户): saving them, their contacts and follow-ups, the lead pool and moves
//! between people, merging duplicates, and the demo data. What happens when a customer is
//! saved starts in `service.rs`.

pub mod contacts;
pub mod import;
pub mod demo;
pub mod export;
pub mod lifecycle;
pub mod merge;
pub mod personal_data;
pub mod pool;
pub mod service;
pub mod visits;
mod phases;
pub(crate) mod writers;
