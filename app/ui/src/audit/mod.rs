//! The audit log page and a customer's history: who changed what and when, read from the
//! event log; for admins and managers.

pub mod api;
pub mod page;
