//! Customers, contacts, tags and follow-ups: types, validation, canonical keys, the pool rules.

pub mod export;
pub mod follow_up;
pub mod import;
pub mod maps;
pub mod normalize;
pub mod pool;
pub mod types;
pub mod validate;
pub mod vcard;
pub mod visits;
