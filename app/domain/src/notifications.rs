//! Things Kehu tells a user by itself: so far, that a customer of theirs went back to the
//! lead pool for want of follow-up.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A customer went back to the pool after `detail` days without a follow-up.
    Recycled,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub at: DateTime<Utc>,
    pub kind: NotificationKind,
    pub customer: String,
    pub customer_name: String,
    pub detail: String,
    pub read: bool,
}
