//! The open platform: what other programs may rely on — personal access tokens and their
//! scopes (the REST API acts as the token's user, with the same rights as the pages), and
//! webhooks (events posted to other systems and to team group robots).

pub mod rate;
pub mod tokens;
pub mod robots;
pub mod webhooks;
