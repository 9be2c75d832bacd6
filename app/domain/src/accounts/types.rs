//! Who works in Kehu: users with a role, in a team and a region.

use serde::{Deserialize, Serialize};

/// What a user may do. Admins run the installation; managers see and steer their team's and
/// region's customers; reps work their own customers and the lead pool; service agents (客服)
/// work the tickets given to them or their team, seeing those tickets' customers (read only)
/// and no deal amounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    #[default]
    Rep,
    Service,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Rep, Role::Service];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Rep => "rep",
            Role::Service => "service",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A user as others see them: never the password hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name, also the user's stable key (customers name their owner by it).
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The team's key, if in one.
    pub team: Option<String>,
    pub region: String,
    pub active: bool,
    /// How many customers this rep may own before claiming from the pool is refused.
    pub max_customers: u32,
    /// An admin set this user's password: they choose their own before anything else.
    #[serde(default)]
    pub must_change_password: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub id: String,
    pub name: String,
}

/// A new user, or the changes to one, as an admin types them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub team: Option<String>,
    pub region: String,
    pub max_customers: u32,
    /// Empty on an edit that keeps the password.
    pub password: String,
}

pub const DEFAULT_MAX_CUSTOMERS: u32 = 300;

/// What to do with a leaving rep's customers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Handover {
    /// Back to the lead pool, for anyone to claim.
    ToPool,
    /// All to this colleague (a username).
    ToUser(String),
}

/// The signed-in user as their own pages see them: who they are and what the UI may offer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user: User,
    pub can_assign: bool,
    pub can_audit: bool,
    pub is_admin: bool,
    pub unread_notifications: u32,
    /// Reminders due now: the header badge's first count, rendered on the server.
    pub due_reminders: u32,
}
