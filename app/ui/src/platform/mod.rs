//! The open platform in the browser: a person's API tokens; the admin's webhooks.

pub mod api;
pub mod tokens_page;
pub mod webhooks_api;
pub mod webhooks_page;
