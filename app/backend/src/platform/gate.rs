//! What the API remembers per token between requests, in memory: its rate window, and when
//! its last use was written to the store (at most once a minute, which is the precision the
//! owner's list needs).

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use kehu_domain::platform::rate::RateWindow;

/// Tokens kept before a request prunes those idle for more than a minute.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Default)]
pub struct ApiGate {
    tokens: Mutex<HashMap<String, TokenUse>>,
}

struct TokenUse {
    window: RateWindow,
    written: DateTime<Utc>,
}

/// What the gate says about one request.
pub struct Admitted {
    /// Time to write the token's last use to the store.
    pub write_last_use: bool,
}

impl ApiGate {
    /// Admits a request of token `id` under `limit` per minute, or gives the seconds to wait.
    pub fn admit(&self, id: &str, now: DateTime<Utc>, limit: u32) -> Result<Admitted, u64> {
        let mut tokens = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        if tokens.len() > PRUNE_ABOVE {
            tokens.retain(|_, u| now - u.window.started < Duration::minutes(1));
        }
        let entry = tokens.entry(id.to_string()).or_insert_with(|| TokenUse {
            window: RateWindow::new(now),
            written: now - Duration::minutes(2),
        });
        entry.window.admit(now, limit)?;
        let write_last_use = now - entry.written >= Duration::minutes(1);
        if write_last_use {
            entry.written = now;
        }
        Ok(Admitted { write_last_use })
    }

    /// Forgets a revoked token.
    pub fn forget(&self, id: &str) {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).remove(id);
    }
}
