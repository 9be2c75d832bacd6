//! Passwords, session tokens, the in-memory user registry, sign-in throttling, and turning a
//! request's cookie into a `Caller`.
//!
//! Users are few (tens to hundreds) and read on every request, so all of them are kept in
//! memory; every change goes to the store first. Sessions are looked up in the store by the
//! SHA-256 of their token and cached; the last-seen time is written back at most once a
//! minute, which is the precision idle expiry needs.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::accounts::rules::{Caller, Scope};
use crate::accounts::types::User;
use crate::error::{AppError, AppResult};

pub const SESSION_COOKIE: &str = "kehu_session";

/// Hashes a password with Argon2id (the argon2 crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Store(format!("hashing a password failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a password nobody has, checked when the username is unknown so that a failed
/// sign-in takes as long either way and does not tell which usernames exist.
pub fn decoy_hash() -> &'static str {
    use std::sync::OnceLock;
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password that is never valid").unwrap_or_default())
}

/// 32 random bytes, hex: the session token the browser keeps.
pub fn new_token() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Store(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// What the store keeps of a token: its SHA-256.
pub fn token_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// A user with their password hash: server side only.
#[derive(Clone, Debug)]
pub struct StoredUser {
    pub user: User,
    pub password_hash: String,
}

/// Every user, in memory.
#[derive(Default)]
pub struct Users {
    by_name: RwLock<HashMap<String, StoredUser>>,
}

impl Users {
    pub fn replace_all(&self, users: Vec<StoredUser>) {
        let map = users.into_iter().map(|u| (u.user.username.clone(), u)).collect();
        *self.by_name.write().unwrap_or_else(|p| p.into_inner()) = map;
    }

    pub fn put(&self, user: StoredUser) {
        self.by_name.write().unwrap_or_else(|p| p.into_inner()).insert(user.user.username.clone(), user);
    }

    pub fn get(&self, username: &str) -> Option<StoredUser> {
        self.by_name.read().unwrap_or_else(|p| p.into_inner()).get(username).cloned()
    }

    /// Everyone, sorted by username.
    pub fn all(&self) -> Vec<User> {
        let mut users: Vec<User> =
            self.by_name.read().unwrap_or_else(|p| p.into_inner()).values().map(|u| u.user.clone()).collect();
        users.sort_by(|a, b| a.username.cmp(&b.username));
        users
    }

    /// The name shown for an owner: the display name, or the username of someone unknown.
    pub fn display_name(&self, username: &str) -> String {
        self.by_name
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(username)
            .map(|u| u.user.display_name.clone())
            .unwrap_or_else(|| username.to_string())
    }

    pub fn any_active_admin(&self) -> bool {
        self.by_name
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .any(|u| u.user.active && u.user.role == crate::accounts::types::Role::Admin)
    }

    /// The caller a user acts as, with the scope their role gives.
    pub fn caller(&self, username: &str) -> Option<Caller> {
        let user = self.get(username)?.user;
        if !user.active {
            return None;
        }
        let scope = Scope::of(&user, &self.all());
        Some(Caller { user, scope })
    }
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

/// Failed sign-ins per key (an account, an address) in a sliding window.
pub struct Throttle {
    window: Duration,
    limit: usize,
    failures: Mutex<HashMap<String, VecDeque<DateTime<Utc>>>>,
}

impl Throttle {
    pub fn new(limit: usize, window: Duration) -> Self {
        Throttle { window, limit, failures: Mutex::new(HashMap::new()) }
    }

    /// `Some(seconds to wait)` while `key` has used up its attempts.
    pub fn blocked_for(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        let window = chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::minutes(15));
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let list = failures.get_mut(key)?;
        while list.front().is_some_and(|t| now - *t >= window) {
            list.pop_front();
        }
        if list.len() < self.limit {
            return None;
        }
        let oldest = *list.front()?;
        Some((oldest + window - now).num_seconds().max(1) as u64)
    }

    pub fn fail(&self, key: &str, now: DateTime<Utc>) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).entry(key.to_string()).or_default().push_back(now);
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, new_token().unwrap());
        assert_ne!(token_key(&a), a);
        assert_eq!(token_key(&a), token_key(&a));
    }

    #[test]
    fn cookies_are_found_by_name() {
        assert_eq!(cookie_value("a=1; kehu_session=abc; b=2", SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie_value("kehu_session_x=1", SESSION_COOKIE), None);
    }

    #[test]
    fn throttle_blocks_then_forgives() {
        let t = Throttle::new(3, Duration::from_secs(600));
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        for i in 0..3 {
            assert_eq!(t.blocked_for("wang", t0), None);
            t.fail("wang", t0 + chrono::Duration::seconds(i));
        }
        assert_eq!(t.blocked_for("wang", t0 + chrono::Duration::seconds(10)), Some(590));
        assert_eq!(t.blocked_for("li", t0), None, "other keys are not affected");
        assert_eq!(t.blocked_for("wang", t0 + chrono::Duration::seconds(601)), None, "the window slides");
        t.fail("li", t0);
        t.clear("li");
        assert_eq!(t.blocked_for("li", t0), None);
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
