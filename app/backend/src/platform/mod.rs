//! The open platform's server side: personal access tokens (made, listed, revoked, and
//! turned back into their user for an API request), the per-token rate limit, and the
//! idempotency keys that make a retried create harmless; and webhooks.

pub mod gate;
pub mod idempotency;
pub mod tokens;
pub mod webhooks;
