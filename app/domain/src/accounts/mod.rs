//! Users, roles, teams, and who may see and change what.

pub mod rules;
pub mod types;
