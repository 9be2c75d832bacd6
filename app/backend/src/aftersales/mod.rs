//! After-sales (售后): service tickets with their SLA clocks; the settings they count by.

pub mod settings;
pub mod sla_watch;
pub mod tickets;
pub mod views;
