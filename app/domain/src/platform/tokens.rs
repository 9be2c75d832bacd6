//! Personal access tokens: what one may do (its scopes), how long it lives, and the form
//! that makes one. The secret itself is made and hashed by the server; the browser only
//! ever sees it once, in the answer that made it.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::accounts::types::Role;
use crate::check::Check;
use crate::problem::{FieldError, Problem};

/// What a token may be used for. Each scope includes the ones before it: a `Write` token
/// also reads, an `Admin` token also writes. The token's user's own rights still apply on
/// top (a rep's token never sees a colleague's customers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenScope {
    /// Reading: every `GET`.
    Read,
    /// Creating and changing records.
    Write,
    /// Settings and users (only an admin may make such a token).
    Admin,
}

impl TokenScope {
    pub const ALL: [TokenScope; 3] = [TokenScope::Read, TokenScope::Write, TokenScope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
            TokenScope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<TokenScope> {
        TokenScope::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// Whether a token with `scopes` may do what needs `need` (a higher scope includes lower ones).
pub fn allows(scopes: &[TokenScope], need: TokenScope) -> bool {
    scopes.iter().any(|s| *s >= need)
}

/// The longest a token may live, and the lifetimes the form offers.
pub const MAX_DAYS: u32 = 365;
pub const OFFERED_DAYS: [u32; 4] = [7, 30, 90, 365];
pub const NAME_MAX: usize = 100;
/// A person keeps at most this many live tokens (each is a way into their customers).
pub const MAX_LIVE_TOKENS: usize = 20;

/// The form that makes a token: a name saying where it is used, its scopes, and how many
/// days it lives (every token expires: a forgotten token in an old script is a way in).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTokenInput {
    pub name: String,
    pub scopes: Vec<TokenScope>,
    pub days: u32,
}

/// Checks the form for a user of `role`; gives the input cleaned (name trimmed, scopes sorted
/// without repeats).
pub fn validate_new_token(input: &NewTokenInput, role: Role) -> Result<NewTokenInput, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.line("name", &input.name, NAME_MAX, true);
    let mut scopes = input.scopes.clone();
    scopes.sort();
    scopes.dedup();
    if scopes.is_empty() {
        check.fail("scopes", Problem::Required);
    } else if scopes.contains(&TokenScope::Admin) && role != Role::Admin {
        check.fail("scopes", Problem::UnknownChoice);
    }
    if input.days == 0 || input.days > MAX_DAYS {
        check.fail("days", Problem::OutOfRange { min: 1, max: MAX_DAYS as i64 });
    }
    check.finish(NewTokenInput { name, scopes, days: input.days })
}

/// A token as its owner sees it in the list (never its secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<TokenScope>,
    /// The secret's first characters, to tell tokens apart (e.g. `kehu_3f9a1c`).
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiToken {
    /// Usable now: neither revoked nor expired.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// When a token made at `now` for `days` expires.
pub fn expiry(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now + Duration::days(i64::from(days))
}

/// The answer that made a token: the secret, shown this once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Every secret starts so (a leaked one is easy to find in code and logs).
pub const SECRET_PREFIX: &str = "kehu_";
/// How many characters of the secret the list shows.
pub const SHOWN_PREFIX_LEN: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, scopes: &[TokenScope], days: u32) -> NewTokenInput {
        NewTokenInput { name: name.into(), scopes: scopes.to_vec(), days }
    }

    #[test]
    fn a_higher_scope_includes_the_lower_ones() {
        assert!(allows(&[TokenScope::Write], TokenScope::Read));
        assert!(allows(&[TokenScope::Admin], TokenScope::Write));
        assert!(!allows(&[TokenScope::Read], TokenScope::Write));
        assert!(!allows(&[TokenScope::Write], TokenScope::Admin));
        assert!(!allows(&[], TokenScope::Read));
    }

    #[test]
    fn the_form_is_cleaned_and_checked() {
        let ok = validate_new_token(&input("  ERP 回款同步 ", &[TokenScope::Write, TokenScope::Read, TokenScope::Write], 90), Role::Rep).unwrap();
        assert_eq!(ok, input("ERP 回款同步", &[TokenScope::Read, TokenScope::Write], 90));
        let bad = validate_new_token(&input(" ", &[], 0), Role::Rep).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "scopes", "days"]);
        assert!(validate_new_token(&input("x", &[TokenScope::Read], MAX_DAYS + 1), Role::Admin).is_err());
        assert!(validate_new_token(&input(&"长".repeat(NAME_MAX + 1), &[TokenScope::Read], 7), Role::Admin).is_err());
        assert!(validate_new_token(&input("a\u{202e}b", &[TokenScope::Read], 7), Role::Admin).is_err());
    }

    #[test]
    fn only_an_admin_makes_an_admin_token() {
        assert!(validate_new_token(&input("sync", &[TokenScope::Admin], 30), Role::Admin).is_ok());
        for role in [Role::Manager, Role::Rep, Role::Service] {
            let e = validate_new_token(&input("sync", &[TokenScope::Admin], 30), role).unwrap_err();
            assert_eq!(e, vec![FieldError::new("scopes", Problem::UnknownChoice)]);
        }
    }

    #[test]
    fn a_token_lives_until_it_expires_or_is_revoked() {
        let now = Utc::now();
        let mut token = ApiToken {
            id: "t".into(),
            name: "n".into(),
            scopes: vec![TokenScope::Read],
            prefix: "kehu_abcdefg".into(),
            created_at: now,
            expires_at: expiry(now, 7),
            last_used_at: None,
            revoked_at: None,
        };
        assert!(token.is_live(now + Duration::days(6)));
        assert!(!token.is_live(now + Duration::days(7)));
        token.revoked_at = Some(now);
        assert!(!token.is_live(now));
    }
}
