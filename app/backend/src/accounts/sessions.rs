//! Sessions: the cookie that carries one, how long one lives, and the cache of live ones.
//! Sessions are looked up in the store by the SHA-256 of their token and cached; the
//! last-seen time is written back at most once a minute, which is the precision idle expiry
//! needs.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// The session cookie's name over plain HTTP (tests and the default), and over HTTPS.
pub const PLAIN_COOKIE: &str = "kehu_session";
pub const SECURE_COOKIE: &str = "__Host-kehu_session";
/// The name tests and tools use with the default policy.
pub const SESSION_COOKIE: &str = PLAIN_COOKIE;

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A session as cached: whose it is and when it was last used.
#[derive(Clone, Debug)]
pub struct SessionEntry {
    pub username: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct Sessions {
    cache: Mutex<HashMap<String, SessionEntry>>,
}

impl Sessions {
    pub fn get(&self, key: &str) -> Option<SessionEntry> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: String, entry: SessionEntry) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).insert(key, entry);
    }

    pub fn remove(&self, key: &str) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }

    pub fn remove_user(&self, username: &str) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, s| s.username != username);
    }

    /// Forgets the sessions that are over.
    pub fn prune(&self, policy: &SessionPolicy, now: DateTime<Utc>) {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).retain(|_, s| policy.is_live(s, now));
    }

    pub fn len(&self) -> usize {
        self.cache.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// How sessions expire.
#[derive(Clone, Copy, Debug)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: chrono::Duration,
    /// Signed out after this long whatever happens.
    pub absolute: chrono::Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy { idle: chrono::Duration::hours(8), absolute: chrono::Duration::days(30) }
    }
}

impl SessionPolicy {
    pub fn is_live(&self, s: &SessionEntry, now: DateTime<Utc>) -> bool {
        now - s.last_seen_at < self.idle && now - s.created_at < self.absolute
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn cookies_are_found_by_name() {
        assert_eq!(cookie_value("a=1; kehu_session=abc; b=2", SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value("kehu_session_x=1", SESSION_COOKIE), None);
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let policy = SessionPolicy::default();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let s = SessionEntry { username: "wang".into(), created_at: t0, last_seen_at: t0 };
        assert!(policy.is_live(&s, t0 + chrono::Duration::hours(7)));
        assert!(!policy.is_live(&s, t0 + chrono::Duration::hours(9)));
        let busy = SessionEntry { last_seen_at: t0 + chrono::Duration::days(31), ..s };
        assert!(!policy.is_live(&busy, t0 + chrono::Duration::days(31)));
    }
}
