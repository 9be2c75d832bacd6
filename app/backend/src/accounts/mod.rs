//! Accounts: passwords, sessions and sign-in throttling, the in-memory user registry, signing
//! in and out, and managing users and teams.

pub mod client;
pub mod gate;
pub mod passwords;
pub mod registry;
pub mod sessions;
pub mod signin;
pub mod throttle;
pub mod users;
