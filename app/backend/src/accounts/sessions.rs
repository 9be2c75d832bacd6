//! Sessions: the cookie that carries one, how long one lives, and the cache of live ones.
//! Sessions are looked up in the store by the SHA-256 of their token and cached; the
//! last-seen time is written back at most once a minute, which is the precision idle expiry
//! needs.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

/// The sessions this process has read from the store. With other replicas on the same store,
/// a session one of them ended (a sign-out) must not live on here: then an entry is trusted
/// only for a moment (`trust_for`) and read again after it.
#[derive(Default)]
pub struct Sessions {
    cache: Mutex<HashMap<String, (SessionEntry, Instant)>>,
    /// How long a cached entry is believed; `None`: until this process changes it.
    trust: Mutex<Option<Duration>>,
}

impl Sessions {
    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, (SessionEntry, Instant)>> {
        self.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Believe a cached entry only this long (other processes may end sessions).
    pub fn trust_for(&self, period: Duration) {
        *self.trust.lock().unwrap_or_else(|p| p.into_inner()) = Some(period);
    }

    pub fn get(&self, key: &str) -> Option<SessionEntry> {
        let trust = *self.trust.lock().unwrap_or_else(|p| p.into_inner());
        let cache = self.cache();
        let (entry, read_at) = cache.get(key)?;
        trust.is_none_or(|period| read_at.elapsed() < period).then(|| entry.clone())
    }

    pub fn put(&self, key: String, entry: SessionEntry) {
        self.cache().insert(key, (entry, Instant::now()));
    }

    pub fn remove(&self, key: &str) {
        self.cache().remove(key);
    }

    pub fn remove_user(&self, username: &str) {
        self.cache().retain(|_, (s, _)| s.username != username);
    }

    /// Forgets the sessions that are over.
    pub fn prune(&self, policy: &SessionPolicy, now: DateTime<Utc>) {
        self.cache().retain(|_, (s, _)| policy.is_live(s, now));
    }

    pub fn len(&self) -> usize {
        self.cache().len()
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
    fn a_cached_session_is_believed_only_as_long_as_told() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let sessions = Sessions::default();
        sessions.put("k".into(), SessionEntry { username: "wang".into(), created_at: t0, last_seen_at: t0 });
        assert!(sessions.get("k").is_some(), "one process alone: believed until it changes");
        sessions.trust_for(Duration::ZERO);
        assert!(sessions.get("k").is_none(), "with replicas: read from the store again");
        sessions.trust_for(Duration::from_secs(60));
        assert!(sessions.get("k").is_some());
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
