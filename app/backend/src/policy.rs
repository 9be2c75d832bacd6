//! The installation's rules, from Leptos.toml: sessions, the pool, the funnel, local time.

use kehu_domain::customers::pool::RecycleRules;

use crate::accounts::client::IpNet;
use crate::accounts::sessions::{SessionPolicy, PLAIN_COOKIE, SECURE_COOKIE};

/// The installation's rules, from Leptos.toml.
#[derive(Clone, Debug)]
pub struct Policy {
    pub session: SessionPolicy,
    pub recycle: RecycleRules,
    /// Whether the session cookie is marked Secure (set when served over HTTPS); it is then
    /// named `__Host-kehu_session`, which browsers keep to this host over HTTPS only.
    pub secure_cookies: bool,
    /// Send Strict-Transport-Security (only behind HTTPS, once it is sure to stay).
    pub hsts: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for sign-in throttling).
    pub trusted_proxies: Vec<IpNet>,
    pub default_max_customers: u32,
    /// The funnel's stages, their rules and the conversion alert thresholds.
    pub pipeline: kehu_domain::pipeline::types::Pipeline,
    /// The installation's local time: reminders fall due at a local time of day.
    pub offset: kehu_domain::format::DisplayOffset,
    /// The secret `kehu backup --server` presents to a running server (KEHU_BACKUP_TOKEN);
    /// none: that route does not exist.
    pub backup_token: Option<String>,
    /// The address people reach the installation at (`https://crm.example.com`), for links
    /// that leave it: survey links mailed or shown as QR codes. None: links are relative.
    pub public_url: Option<String>,
    /// Outgoing mail; none: nothing is mailed (survey links are copied by hand).
    pub mail: Option<crate::mail::MailPolicy>,
    /// Requests one API token may make per minute (KEHU_API_RATE).
    pub api_requests_per_minute: u32,
    /// The installation's language, for what leaves it with no reader to choose one (the
    /// messages posted to team group robots).
    pub lang: kehu_domain::i18n::Lang,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            session: SessionPolicy::default(),
            recycle: RecycleRules::default(),
            secure_cookies: false,
            hsts: false,
            trusted_proxies: ["127.0.0.1", "::1"].iter().filter_map(|a| IpNet::parse(a)).collect(),
            default_max_customers: kehu_domain::accounts::types::DEFAULT_MAX_CUSTOMERS,
            pipeline: kehu_domain::pipeline::types::Pipeline::default(),
            offset: kehu_domain::format::DisplayOffset::default(),
            backup_token: None,
            public_url: None,
            mail: None,
            api_requests_per_minute: 600,
            lang: kehu_domain::i18n::Lang::Zh,
        }
    }
}

impl Policy {
    /// The session cookie's name: with Secure, the `__Host-` prefix (no subdomain or plain-HTTP
    /// page can set or overwrite it).
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            SECURE_COOKIE
        } else {
            PLAIN_COOKIE
        }
    }
}
