//! The audit log: who changed what and when, visible to admins and managers.

pub mod api;
pub mod diff;
pub mod page;
pub mod types;
