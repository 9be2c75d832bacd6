//! What the audit log records: who changed what, when, from which value to which.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

impl FieldChange {
    pub fn new(field: &str, before: impl Into<String>, after: impl Into<String>) -> Self {
        FieldChange { field: field.to_string(), before: before.into(), after: after.into() }
    }
}

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    CustomerCreated,
    CustomerUpdated,
    TagAdded,
    TagRemoved,
    ContactAdded,
    ContactUpdated,
    ContactRemoved,
    Claimed,
    Assigned,
    ReturnedToPool,
    Recycled,
    Merged,
    UserCreated,
    UserUpdated,
    UserDeactivated,
    TeamCreated,
}

impl AuditAction {
    pub const ALL: [AuditAction; 16] = [
        AuditAction::CustomerCreated,
        AuditAction::CustomerUpdated,
        AuditAction::TagAdded,
        AuditAction::TagRemoved,
        AuditAction::ContactAdded,
        AuditAction::ContactUpdated,
        AuditAction::ContactRemoved,
        AuditAction::Claimed,
        AuditAction::Assigned,
        AuditAction::ReturnedToPool,
        AuditAction::Recycled,
        AuditAction::Merged,
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::UserDeactivated,
        AuditAction::TeamCreated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::CustomerCreated => "customer_created",
            AuditAction::CustomerUpdated => "customer_updated",
            AuditAction::TagAdded => "tag_added",
            AuditAction::TagRemoved => "tag_removed",
            AuditAction::ContactAdded => "contact_added",
            AuditAction::ContactUpdated => "contact_updated",
            AuditAction::ContactRemoved => "contact_removed",
            AuditAction::Claimed => "claimed",
            AuditAction::Assigned => "assigned",
            AuditAction::ReturnedToPool => "returned_to_pool",
            AuditAction::Recycled => "recycled",
            AuditAction::Merged => "merged",
            AuditAction::UserCreated => "user_created",
            AuditAction::UserUpdated => "user_updated",
            AuditAction::UserDeactivated => "user_deactivated",
            AuditAction::TeamCreated => "team_created",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// Username of whoever did it, or "system" for background jobs.
    pub actor: String,
    pub actor_name: String,
    pub action: AuditAction,
    /// The customer concerned, if any.
    pub customer: String,
    /// What it was about, readable: the customer's or user's name, a tag, a contact.
    pub subject: String,
    pub changes: Vec<FieldChange>,
}
