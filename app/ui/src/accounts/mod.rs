//! Accounts, roles and sessions: who is signed in, and what they may see and do.

pub mod api;
pub mod login_page;
pub mod users_page;
