//! The open platform in the browser: a person's API tokens.

pub mod api;
pub mod tokens_page;
