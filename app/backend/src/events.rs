//! The seam every change passes through.
//!
//! A service describes each change it makes as an [`Event`] (who, when, what kind, about
//! which customer, which fields from what to what) and hands it to the store function that
//! makes the change; the store appends it to the `event` table **in the same transaction**
//! (`store::events::transaction`). So the audit log, which is read from that table, can never
//! disagree with the data, and a failed event write undoes the change with it.
//!
//! After the commit the service calls `followers::follow` with the change's effects: what the
//! in-process read models and followers must learn. Plain data, so the store can depend on
//! it without depending on anything that follows.

use chrono::{DateTime, Utc};
use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::{EventKind, FieldChange};

/// The actor of what background jobs do.
pub const SYSTEM: &str = "system";

/// One change, as the event table keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    /// A username, or `system` (background jobs), `setup`, `cli`, `demo`.
    pub actor: String,
    pub at: DateTime<Utc>,
    /// The customer it concerns; empty for users, teams and settings.
    pub customer: String,
    /// What it was about, readable: a customer's, contact's, deal's or user's name.
    pub subject: String,
    pub changes: Vec<FieldChange>,
    /// Made through the REST API (with a token of `actor`).
    pub via_api: bool,
}

impl Event {
    pub fn new(kind: EventKind, actor: &str, at: DateTime<Utc>) -> Self {
        Event { kind, actor: actor.to_string(), at, customer: String::new(), subject: String::new(), changes: Vec::new(), via_api: false }
    }

    /// An event by the signed-in caller.
    pub fn by(caller: &Caller, kind: EventKind, at: DateTime<Utc>) -> Self {
        Event { via_api: caller.via_api, ..Event::new(kind, &caller.user.username, at) }
    }

    pub fn about(mut self, customer: &str, subject: &str) -> Self {
        self.customer = customer.to_string();
        self.subject = subject.to_string();
        self
    }

    pub fn subject(mut self, subject: &str) -> Self {
        self.subject = subject.to_string();
        self
    }

    pub fn change(mut self, field: &str, before: impl Into<String>, after: impl Into<String>) -> Self {
        self.changes.push(FieldChange::new(field, before, after));
        self
    }

    pub fn changes(mut self, changes: Vec<FieldChange>) -> Self {
        self.changes.extend(changes);
        self
    }
}

