//! The audit log: who changed what and when, visible to admins and managers.

pub mod api;
pub mod page;
