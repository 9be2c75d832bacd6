//! Who may see and change what. Plain functions over plain data: the store applies the
//! same scope in its queries, and these functions are the one definition of it.

use std::collections::BTreeSet;

use super::types::{Role, User, UserInput};
use crate::problem::{FieldError, Problem};

/// The signed-in user a request acts for, with what their role lets them reach.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub user: User,
    pub scope: Scope,
    /// Acting through an API token rather than the pages: the log says so.
    pub via_api: bool,
}

/// The customers a caller can see: everything, or those owned by some users, those in some
/// regions, and the lead pool (customers owned by nobody).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Limited { owners: BTreeSet<String>, regions: BTreeSet<String> },
}

impl Scope {
    /// The scope of `user`, given every user (to find a manager's team).
    pub fn of(user: &User, everyone: &[User]) -> Scope {
        match user.role {
            Role::Admin => Scope::All,
            Role::Manager => {
                let mut owners: BTreeSet<String> = everyone
                    .iter()
                    .filter(|u| u.team.is_some() && u.team == user.team)
                    .map(|u| u.username.clone())
                    .collect();
                owners.insert(user.username.clone());
                let regions = Some(user.region.clone()).filter(|r| !r.is_empty()).into_iter().collect();
                Scope::Limited { owners, regions }
            }
            Role::Rep => Scope::Limited { owners: [user.username.clone()].into(), regions: BTreeSet::new() },
            // A service agent owns no customers: they see the pool, and the customers of
            // tickets given to them or their team (`access` asks the tickets).
            Role::Service => Scope::Limited { owners: BTreeSet::new(), regions: BTreeSet::new() },
        }
    }

    /// Whether a customer owned by `owner` ("" for the pool) in `region` is visible: by its
    /// owner, or by its region.
    pub fn sees(&self, owner: &str, region: &str) -> bool {
        self.sees_owner(owner) || self.sees_region(region)
    }

    /// Whether every customer of `owner` is visible ("" is the pool, which everyone sees).
    /// Read models that keep owners as columns decide per owner with this.
    pub fn sees_owner(&self, owner: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Limited { owners, .. } => owner.is_empty() || owners.contains(owner),
        }
    }

    /// Whether every customer in `region` is visible, whoever owns it.
    pub fn sees_region(&self, region: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Limited { regions, .. } => !region.is_empty() && regions.contains(region),
        }
    }

    /// Whether a user is one whose customers this scope covers (for assigning to them).
    pub fn covers_user(&self, username: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Limited { owners, .. } => owners.contains(username),
        }
    }
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }

    /// May see the customer at all (otherwise it "does not exist" for them).
    pub fn can_view(&self, owner: &str, region: &str) -> bool {
        self.scope.sees(owner, region)
    }

    /// May edit the customer, its contacts, tags and timeline. A rep edits only their own:
    /// a pool customer is claimed first, so that someone is answerable for it.
    pub fn can_edit(&self, owner: &str, region: &str) -> bool {
        match self.user.role {
            Role::Admin => true,
            Role::Manager => self.scope.sees(owner, region),
            Role::Rep => owner == self.user.username,
            Role::Service => false,
        }
    }

    /// May see what deals are worth (amounts, quotes, contracts, the board, the forecast):
    /// everyone but service agents.
    pub fn sees_money(&self) -> bool {
        self.user.role != Role::Service
    }

    /// Works tickets rather than owning customers.
    pub fn is_service(&self) -> bool {
        self.user.role == Role::Service
    }

    /// May give customers to others (assign from the pool, reassign).
    pub fn can_assign(&self) -> bool {
        matches!(self.user.role, Role::Admin | Role::Manager)
    }

    /// May read the audit log.
    pub fn can_audit(&self) -> bool {
        matches!(self.user.role, Role::Admin | Role::Manager)
    }
}

/// Where to go after signing in, if `next` is a page of this site. Browsers read `//host`,
/// `/\host` and `/<tab>/host` as another site, so those (and anything not starting with one
/// slash) are refused: a link to the sign-in page cannot send someone elsewhere.
pub fn safe_next(next: &str) -> Option<&str> {
    let on_this_site = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (on_this_site && !next.chars().any(|c| c.is_control() || c.is_whitespace())).then_some(next)
}

pub const USERNAME_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 256;

/// Lower-case letters, digits, `.`, `-` and `_`, starting with a letter: safe in URLs, record
/// keys and logs alike.
pub fn is_valid_username(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= USERNAME_MAX
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'))
}

/// Checks a user form; `new_user` requires a password.
pub fn validate_user(input: &UserInput, new_user: bool) -> Result<UserInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let username = input.username.trim().to_lowercase();
    if username.is_empty() {
        errors.push(FieldError::new("username", Problem::Required));
    } else if !is_valid_username(&username) {
        errors.push(FieldError::new("username", Problem::InvalidUsername));
    }
    let mut check = crate::check::Check::default();
    let display_name = check.line("display_name", &input.display_name, 100, true);
    let region = check.line("region", &input.region, 100, false);
    errors.append(&mut check.errors);
    if new_user || !input.password.is_empty() {
        if let Some(problem) = password_problem(&input.password) {
            errors.push(FieldError::new("password", problem));
        }
    }
    if input.max_customers > 100_000 {
        errors.push(FieldError::new("max_customers", Problem::UnknownChoice));
    }
    if errors.is_empty() {
        Ok(UserInput { username, display_name, region, ..input.clone() })
    } else {
        Err(errors)
    }
}

/// Long enough to resist guessing; no composition rules (they make passwords worse).
pub fn password_problem(password: &str) -> Option<Problem> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        Some(Problem::TooShort { min: PASSWORD_MIN })
    } else if n > PASSWORD_MAX {
        Some(Problem::TooLong { max: PASSWORD_MAX })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pages_of_this_site_are_followed_after_signing_in() {
        assert_eq!(safe_next("/customers?q=%E5%BC%A0"), Some("/customers?q=%E5%BC%A0"));
        for evil in ["//evil.com", "/\\evil.com", "/\\/evil.com", "/\t/evil.com", "https://evil.com", "evil.com", "", " /customers"] {
            assert_eq!(safe_next(evil), None, "{evil:?}");
        }
    }

    fn user(name: &str, role: Role, team: Option<&str>, region: &str) -> User {
        User {
            username: name.into(),
            display_name: name.into(),
            role,
            team: team.map(String::from),
            region: region.into(),
            active: true,
            max_customers: 10,
            must_change_password: false,
        }
    }

    fn everyone() -> Vec<User> {
        vec![
            user("boss", Role::Admin, None, ""),
            user("mgr_a", Role::Manager, Some("east"), "华东"),
            user("mgr_b", Role::Manager, Some("south"), "华南"),
            user("rep_a", Role::Rep, Some("east"), "华东"),
            user("rep_b", Role::Rep, Some("south"), "华南"),
        ]
    }

    fn caller(name: &str) -> Caller {
        let all = everyone();
        let user = all.iter().find(|u| u.username == name).unwrap().clone();
        Caller { scope: Scope::of(&user, &all), user, via_api: false }
    }

    #[test]
    fn reps_see_their_own_and_the_pool() {
        let a = caller("rep_a");
        assert!(a.can_view("rep_a", "华南"));
        assert!(a.can_view("", "华南"), "the pool is open to every rep");
        assert!(!a.can_view("rep_b", "华东"), "a colleague's customer is not visible, whatever its region");
    }

    #[test]
    fn managers_see_their_team_and_their_region() {
        let m = caller("mgr_a");
        assert!(m.can_view("rep_a", "华北"), "team member's customer anywhere");
        assert!(m.can_view("rep_b", "华东"), "any customer in the manager's region");
        assert!(!m.can_view("rep_b", "华南"));
        assert!(caller("mgr_b").can_view("rep_b", "华南"));
        assert!(!caller("mgr_b").can_view("rep_a", "华北"));
    }

    #[test]
    fn admins_see_everything() {
        assert!(caller("boss").can_view("rep_b", "西北"));
        assert!(caller("boss").can_edit("rep_b", "西北"));
    }

    #[test]
    fn editing_needs_ownership_or_management() {
        assert!(caller("rep_a").can_edit("rep_a", ""));
        assert!(!caller("rep_a").can_edit("", ""), "pool customers are claimed before they are edited");
        assert!(!caller("rep_a").can_edit("rep_b", ""));
        assert!(caller("mgr_a").can_edit("rep_a", ""));
        assert!(!caller("mgr_a").can_edit("rep_b", "华南"));
        assert!(caller("rep_a").can_assign() == false && caller("mgr_a").can_assign());
    }

    #[test]
    fn usernames_are_plain() {
        for ok in ["wang", "li.na", "rep_01", "z-hang"] {
            assert!(is_valid_username(ok), "{ok}");
        }
        for bad in ["", "Wang", "1abc", "王芳", "a b", "a/b", &"x".repeat(33)] {
            assert!(!is_valid_username(bad), "{bad}");
        }
    }

    #[test]
    fn user_forms_are_checked() {
        let input = UserInput { username: " Wang ".into(), display_name: "王芳".into(), password: "short".into(), ..Default::default() };
        let errors = validate_user(&input, true).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("password", Problem::TooShort { min: PASSWORD_MIN })]);
        let ok = validate_user(&UserInput { password: "a long enough one".into(), ..input.clone() }, true).unwrap();
        assert_eq!(ok.username, "wang");
        assert!(validate_user(&UserInput { password: String::new(), ..input }, false).is_ok(), "an edit may keep the password");
    }
}
