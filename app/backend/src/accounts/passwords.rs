//! Passwords (Argon2id) and secret tokens (random, stored only as their SHA-256).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use kehu_domain::error::AppResult;
use sha2::{Digest, Sha256};

use crate::internal::internal;

/// Hashes a password with Argon2id (the argon2 crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| internal(format!("hashing a password failed: {e}")))
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
    getrandom::fill(&mut bytes).map_err(|e| internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

/// What the store keeps of a token: its SHA-256.
pub fn token_key(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
