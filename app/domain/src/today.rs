//! 今天: the rep's day on one screen — what is due, which deals should close this month,
//! which customers are in their buying window, and which leads are most worth a call.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::insight::lead_score::LeadScore;
use crate::insight::types::RepurchaseWindow;
use crate::reminders::types::Reminder;

/// How many lines each part of the page lists at most: the page is read on a phone.
pub const LINES_EACH: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TodayView {
    /// Due and overdue reminders, oldest first, and how many there are in all.
    pub due: Vec<Reminder>,
    pub due_total: u32,
    /// Open deals expected to close this month (or already overdue), soonest first.
    pub closing: Vec<ClosingDeal>,
    /// Customers whose repurchase window is open today.
    pub repurchase: Vec<RepurchaseLine>,
    /// Leads, most likely to be won first.
    pub leads: Vec<LeadLine>,
    /// What the lead score learned from, if there was enough history.
    pub model: Option<ModelFacts>,
    /// The caller sells (deals and leads are theirs to work); a service agent does not.
    pub sells: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingDeal {
    pub id: String,
    pub title: String,
    pub customer_id: String,
    pub customer_name: String,
    pub amount_cents: i64,
    pub currency: String,
    pub expected_close: NaiveDate,
    pub next_step: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepurchaseLine {
    pub customer_id: String,
    pub customer_name: String,
    pub phone: String,
    pub window: RepurchaseWindow,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeadLine {
    pub customer_id: String,
    pub customer_name: String,
    pub phone: String,
    pub source: String,
    /// None when there is not enough history to learn from (the leads are then listed by
    /// their last touch, most recent first).
    pub score: Option<LeadScore>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelFacts {
    pub examples: usize,
    pub won: usize,
}
