//! The after-sales vocabulary shared by server and browser: a ticket as typed, as shown (with
//! its SLA clocks), its notes, and the changes a person makes to it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use super::sla::{default_policies, SlaClock, SlaPolicy};
use super::tickets::{Priority, TicketKind, TicketStatus};
use crate::check::Check;
use crate::problem::{FieldError, Problem};

pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 4000;
pub const NOTE_MAX: usize = 4000;
pub const CATEGORY_MAX: usize = 30;

/// The complaint categories a company starts with (投诉分类); admins may change the list.
pub const DEFAULT_CATEGORIES: [&str; 6] = ["物流", "质量", "服务态度", "价格", "功能", "其他"];

/// What an admin sets for after-sales: the working calendar the SLA clocks count in, the SLA
/// policies (most specific wins), and the complaint categories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSettings {
    pub calendar: WorkCalendar,
    pub policies: Vec<SlaPolicy>,
    pub categories: Vec<String>,
    /// When satisfaction surveys go out.
    #[serde(default)]
    pub surveys: super::survey_rules::SurveyRules,
    /// Product categories whose won deals open an installation ticket (安装验收).
    #[serde(default)]
    pub installation_categories: Vec<String>,
    /// What follows a won deal, per product category (售后计划).
    #[serde(default = "super::care_plan::default_plans")]
    pub care_plans: Vec<super::care_plan::CarePlan>,
}

impl Default for ServiceSettings {
    fn default() -> Self {
        ServiceSettings {
            calendar: WorkCalendar::default(),
            policies: default_policies(),
            categories: DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect(),
            surveys: super::survey_rules::SurveyRules::default(),
            installation_categories: Vec::new(),
            care_plans: super::care_plan::default_plans(),
        }
    }
}

/// What the ticket form offers: the complaint categories, and whom the caller may give a
/// ticket to (username, name shown).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketFormOptions {
    pub categories: Vec<String>,
    pub assignees: Vec<(String, String)>,
    /// Teams a ticket may be given to (the least busy member takes it): `@<team id>`, name.
    #[serde(default)]
    pub teams: Vec<(String, String)>,
}

/// A new ticket as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketInput {
    pub title: String,
    pub description: String,
    /// A [`TicketKind`] key.
    pub kind: String,
    /// A [`Priority`] key.
    pub priority: String,
    /// A complaint category; required for complaints.
    pub category: String,
    /// A username; empty leaves the ticket unassigned (the service queue).
    pub assignee: String,
    /// One of the customer's orders the ticket is about, if any (the complaint analysis
    /// joins it; without one it takes the customer's latest order).
    #[serde(default)]
    pub order_id: String,
}

/// A checked new ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTicket {
    pub title: String,
    pub description: String,
    pub kind: TicketKind,
    pub priority: Priority,
    pub category: String,
    pub assignee: String,
    /// Empty for none; whether it is the customer's is for the service to say.
    pub order_id: String,
}

/// Checks a new ticket; the category must be one of `categories` (and is required for a
/// complaint, so that the complaint analysis has it).
pub fn validate_ticket(input: &TicketInput, categories: &[String]) -> Result<NewTicket, Vec<FieldError>> {
    let mut c = Check::default();
    let title = c.line("title", &input.title, TITLE_MAX, true);
    let description = c.text("description", &input.description, DESCRIPTION_MAX, false);
    let kind = TicketKind::from_key(input.kind.trim());
    if kind.is_none() {
        c.fail("kind", Problem::UnknownChoice);
    }
    let priority = if input.priority.trim().is_empty() { Some(Priority::Normal) } else { Priority::from_key(input.priority.trim()) };
    if priority.is_none() {
        c.fail("priority", Problem::UnknownChoice);
    }
    let category = c.line("category", &input.category, CATEGORY_MAX, false);
    if !category.is_empty() && !categories.contains(&category) {
        c.fail("category", Problem::UnknownChoice);
    } else if category.is_empty() && kind == Some(TicketKind::Complaint) {
        c.fail("category", Problem::Required);
    }
    let assignee = input.assignee.trim().to_string();
    let order_id = input.order_id.trim().to_string();
    match (kind, priority) {
        (Some(kind), Some(priority)) => c.finish(NewTicket { title, description, kind, priority, category, assignee, order_id }),
        _ => Err(c.errors),
    }
}

/// A note on a ticket: internal (for colleagues) or as told to the customer (which counts as
/// the first response).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketNote {
    pub author: String,
    pub author_name: String,
    pub at: DateTime<Utc>,
    pub body: String,
    pub to_customer: bool,
}

/// A change of status, kept for the SLA clock and shown as the ticket's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: TicketStatus,
    pub at: DateTime<Utc>,
}

/// A ticket as the pages show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    pub description: String,
    pub kind: TicketKind,
    pub priority: Priority,
    pub status: TicketStatus,
    pub category: String,
    pub assignee: String,
    pub assignee_name: String,
    pub resolution: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub history: Vec<StatusChange>,
    pub notes: Vec<TicketNote>,
    /// The SLA policy that holds, by name; none when no policy fits.
    pub sla_name: String,
    pub first_response: Option<SlaClock>,
    pub resolution_clock: Option<SlaClock>,
    /// The ticket this one was merged into, if it was (then it is closed and takes nothing).
    #[serde(default)]
    pub merged_into: String,
    /// The order it is about, if one was named: its id, and its day and products as shown.
    #[serde(default)]
    pub order_id: String,
    #[serde(default)]
    pub order_label: String,
}

/// Which open tickets the service queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueScope {
    /// Given to the caller.
    #[default]
    Mine,
    /// Given to nobody yet, on customers the caller may see.
    Unassigned,
    /// Every open ticket the caller may see.
    All,
}

/// Where a ticket stands in the queue, the most urgent least: breached, then by the nearest
/// deadline (the resolution's, else the first response's); paused and met clocks after the
/// running ones, oldest first.
pub fn queue_rank(first_response: Option<SlaClock>, resolution: Option<SlaClock>, created_at: DateTime<Utc>) -> (bool, bool, Option<DateTime<Utc>>, DateTime<Utc>) {
    use super::sla::ClockState;
    let clocks = [resolution, first_response];
    let breached = clocks.iter().flatten().any(|c| c.state == ClockState::Breached);
    let deadline = clocks.iter().flatten().filter(|c| matches!(c.state, ClockState::Running | ClockState::Warning)).filter_map(|c| c.deadline).min();
    (!breached, deadline.is_none(), deadline, created_at)
}

/// The queue's order of two tickets (see [`queue_rank`]).
pub fn queue_order(a: &Ticket, b: &Ticket) -> std::cmp::Ordering {
    let rank = |t: &Ticket| queue_rank(t.first_response, t.resolution_clock, t.created_at);
    rank(a).cmp(&rank(b))
}

/// What a person changes on a ticket: its status (with the resolution when solving), its
/// assignee, its priority.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketAction {
    Move { status: TicketStatus, resolution: String },
    Assign { assignee: String },
    Prioritise { priority: Priority },
    Note { body: String, to_customer: bool },
    /// Merges this ticket into another open ticket of the same customer: this one is closed,
    /// pointing to that one, and takes nothing more.
    Merge { into: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories() -> Vec<String> {
        DEFAULT_CATEGORIES.iter().map(|c| c.to_string()).collect()
    }

    fn input(kind: &str, category: &str) -> TicketInput {
        TicketInput { title: " 设备无法开机 ".into(), kind: kind.into(), category: category.into(), ..Default::default() }
    }

    #[test]
    fn a_ticket_is_checked_and_cleaned() {
        let t = validate_ticket(&input("incident", ""), &categories()).unwrap();
        assert_eq!((t.title.as_str(), t.kind, t.priority), ("设备无法开机", TicketKind::Incident, Priority::Normal));
    }

    #[test]
    fn a_complaint_needs_a_known_category() {
        let fields = |i: &TicketInput| validate_ticket(i, &categories()).unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect::<Vec<_>>();
        assert_eq!(fields(&input("complaint", "")), vec![("category".to_string(), Problem::Required)]);
        assert_eq!(fields(&input("complaint", "天气")), vec![("category".to_string(), Problem::UnknownChoice)]);
        assert!(validate_ticket(&input("complaint", "物流"), &categories()).is_ok());
        assert_eq!(fields(&TicketInput { priority: "asap".into(), ..input("other", "") }), vec![
            ("kind".to_string(), Problem::UnknownChoice),
            ("priority".to_string(), Problem::UnknownChoice)
        ]);
        assert_eq!(fields(&input("", "")).len(), 1);
    }
}
