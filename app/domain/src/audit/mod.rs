//! What the audit log records, and the field-by-field difference of two versions.

pub mod diff;
pub mod types;
