//! The sales funnel: stages and what each needs, deals, quotes, contracts and their rules.

pub mod rules;
pub mod types;
pub mod validate;
