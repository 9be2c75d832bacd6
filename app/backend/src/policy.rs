//! The installation's rules, from Leptos.toml: sessions, the pool, the funnel, local time.

use kehu_domain::customers::pool::RecycleRules;

use crate::accounts::sessions::SessionPolicy;

/// The installation's rules, from Leptos.toml.
#[derive(Clone, Debug)]
pub struct Policy {
    pub session: SessionPolicy,
    pub recycle: RecycleRules,
    /// Whether the session cookie is marked Secure (set when served over HTTPS).
    pub secure_cookies: bool,
    pub default_max_customers: u32,
    /// The funnel's stages, their rules and the conversion alert thresholds.
    pub pipeline: kehu_domain::pipeline::types::Pipeline,
    /// The installation's local time: reminders fall due at a local time of day.
    pub offset: kehu_domain::format::DisplayOffset,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session: SessionPolicy::default(),
            recycle: RecycleRules::default(),
            secure_cookies: false,
            default_max_customers: kehu_domain::accounts::types::DEFAULT_MAX_CUSTOMERS,
            pipeline: kehu_domain::pipeline::types::Pipeline::default(),
            offset: kehu_domain::format::DisplayOffset::default(),
        }
    }
}
