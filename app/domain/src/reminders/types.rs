//! The reminder vocabulary shared by server and browser: what can be due, for whom, and the
//! do-not-disturb windows (免打扰) that push outreach to the first allowed time.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

/// What a reminder is about. Later rules (churn warning, repurchase window) add kinds here
/// and a rule each in `rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A contact's birthday.
    Birthday,
    /// A date the customer marks: a holiday they celebrate, the anniversary of the first deal.
    CareDate,
    /// A contract ends soon (续约).
    Renewal,
    /// A VIP nobody has followed up for too long.
    StaleVip,
    /// The planned next step of a follow-up is due.
    NextStep,
    /// An after-sales visit after a won deal.
    AfterSales,
    /// The customer is slipping away (insight: P(alive) or a long silence).
    Churn,
    /// The customer's next purchase is due by their own rhythm.
    Repurchase,
    /// A month the customer buys in every year is coming.
    Season,
    /// A service ticket's SLA is nearly used up or breached (售后): for whoever has the
    /// ticket and their managers, not the customer's owner.
    Sla,
    /// A target: behind pace, or a milestone reached (目标): for the person and their
    /// managers, about no customer.
    Target,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 11] = [
        ReminderKind::Birthday,
        ReminderKind::CareDate,
        ReminderKind::Renewal,
        ReminderKind::StaleVip,
        ReminderKind::NextStep,
        ReminderKind::AfterSales,
        ReminderKind::Churn,
        ReminderKind::Repurchase,
        ReminderKind::Season,
        ReminderKind::Sla,
        ReminderKind::Target,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Birthday => "birthday",
            ReminderKind::CareDate => "care_date",
            ReminderKind::Renewal => "renewal",
            ReminderKind::StaleVip => "stale_vip",
            ReminderKind::NextStep => "next_step",
            ReminderKind::AfterSales => "after_sales",
            ReminderKind::Churn => "churn",
            ReminderKind::Repurchase => "repurchase",
            ReminderKind::Season => "season",
            ReminderKind::Sla => "sla",
            ReminderKind::Target => "target",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether acting on it means reaching out to the customer, so do-not-disturb applies.
    pub fn is_outreach(self) -> bool {
        // An SLA warning is internal work on a ticket: it ignores the customer's windows.
        !matches!(self, ReminderKind::Sla | ReminderKind::Target)
    }
}

/// When a customer may not be contacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum DndRule {
    /// Not on these days (local dates, both included), e.g. "no calls this week".
    Dates { from: NaiveDate, to: NaiveDate },
    /// Only between these local times of day, e.g. "never before 9:00".
    Hours { not_before: NaiveTime, not_after: NaiveTime },
}

/// A do-not-disturb window recorded on a customer, with why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DndWindow {
    pub id: String,
    pub customer_id: String,
    pub rule: DndRule,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A reminder that a rule says is (or will be) due; the engine stores it under `key`, so
/// computing it again changes nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// Stable across runs: kind, the record it is about, and the occasion (e.g. the year).
    pub key: String,
    pub kind: ReminderKind,
    pub customer_id: String,
    /// What it is about, for the person: a contact's name, a contract number…
    pub subject: String,
    /// When the rule makes it due, before do-not-disturb.
    pub due: DateTime<Utc>,
}

/// A stored reminder, as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// The rule's stable key.
    pub id: String,
    pub kind: ReminderKind,
    pub customer_id: String,
    pub customer_name: String,
    pub subject: String,
    /// When it is (or was) due: the rule's time, moved out of do-not-disturb, or snoozed.
    pub due: DateTime<Utc>,
    /// When the rule made it due, before any move.
    pub rule_due: DateTime<Utc>,
    /// The do-not-disturb window that moved it, as "dates/hours · reason".
    pub moved_by: Option<String>,
    pub snoozed: bool,
}

/// The caller's open reminders: due now (oldest first) and coming up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReminders {
    /// At most `center::LISTED_AT_MOST`, oldest first: a rep with thousands of reminders gets
    /// the first of them and the counts, not a page that takes seconds to draw.
    pub due: Vec<Reminder>,
    pub upcoming: Vec<Reminder>,
    /// All open reminders up to the horizon by kind, listed or not; kinds with none left out.
    pub counts: Vec<KindCount>,
    /// The kind the lists are narrowed to, if any.
    pub only: Option<ReminderKind>,
}

/// How many open reminders of one kind are due now and coming up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: ReminderKind,
    pub due: u32,
    pub upcoming: u32,
}

/// What a person does with a reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ReminderAction {
    Done,
    Dismiss,
    /// Due again at this local time, as typed in a `datetime-local` input.
    Snooze { until: String },
}

/// Whether the caller has a calendar feed, and its address right after it was made (the
/// store keeps only a hash of the secret, so the address is shown once).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeed {
    pub active: bool,
    pub created_at: Option<DateTime<Utc>>,
    /// The path with its secret, e.g. `/calendar/3f…9a.ics`: only in the answer that made it.
    pub new_path: Option<String>,
}

/// A date a customer cares about every year (a holiday they celebrate, their founding day):
/// the care-date rule reminds their owner of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareDate {
    pub id: String,
    pub customer_id: String,
    pub label: String,
    pub month: u32,
    pub day: u32,
}
