//! Every user, in memory. Users are few (tens to hundreds) and read on every request, so all
//! of them are kept here; every change goes to the store first.

use std::collections::HashMap;
use std::sync::RwLock;

use kehu_domain::accounts::rules::{Caller, Scope};
use kehu_domain::accounts::types::{Role, User};

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
            .any(|u| u.user.active && u.user.role == Role::Admin)
    }

    /// The caller a user acts as, with the scope their role gives.
    pub fn caller(&self, username: &str) -> Option<Caller> {
        let user = self.get(username)?.user;
        if !user.active {
            return None;
        }
        let scope = Scope::of(&user, &self.all());
        Some(Caller { user, scope, via_api: false })
    }
}
