//! SLA (服务等级): which policy holds for a ticket, and its clocks — first response and
//! resolution — counted in working time, the resolution clock paused while the ticket waits
//! for the customer (待客户). A breach stays recorded after the ticket is solved.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::WorkCalendar;
use super::tickets::{Priority, TicketStatus};

/// A policy: for tickets of these priorities (all when empty) of customers with this tag (any
/// customer when none), the working minutes allowed until the first reply and until solved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPolicy {
    pub name: String,
    pub priorities: Vec<Priority>,
    pub tag: Option<String>,
    pub first_response_minutes: u32,
    pub resolution_minutes: u32,
    /// The share of the time used at which the assignee is warned, e.g. 80.
    pub warn_percent: u8,
}

/// The policies a company starts with, by priority, in working minutes: 紧急 1 h / 4 h,
/// 高 2 h / 8 h, 中 4 h / 16 h, 低 8 h / 40 h; warned at 80 %.
pub fn default_policies() -> Vec<SlaPolicy> {
    let policy = |name: &str, priority, first: u32, resolution: u32| SlaPolicy {
        name: name.into(),
        priorities: vec![priority],
        tag: None,
        first_response_minutes: first * 60,
        resolution_minutes: resolution * 60,
        warn_percent: 80,
    };
    vec![
        policy("紧急 Urgent", Priority::Urgent, 1, 4),
        policy("高 High", Priority::High, 2, 8),
        policy("中 Normal", Priority::Normal, 4, 16),
        policy("低 Low", Priority::Low, 8, 40),
    ]
}

/// The policy that holds: of those whose priorities and tag fit, the most specific (a fitting
/// tag counts more than a priority list — a VIP's tighter terms win), the first listed among
/// equals.
pub fn matching_policy<'a>(policies: &'a [SlaPolicy], priority: Priority, customer_tags: &[String]) -> Option<&'a SlaPolicy> {
    matching_policy_where(policies, priority, |tag| customer_tags.iter().any(|t| t == tag))
}

/// [`matching_policy`] asking `has_tag` whether the customer has a tag (no list made).
pub fn matching_policy_where<'a>(policies: &'a [SlaPolicy], priority: Priority, has_tag: impl Fn(&str) -> bool) -> Option<&'a SlaPolicy> {
    policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.priorities.is_empty() || p.priorities.contains(&priority))
        .filter(|(_, p)| p.tag.as_deref().is_none_or(&has_tag))
        .max_by_key(|(index, p)| (p.tag.is_some(), !p.priorities.is_empty(), std::cmp::Reverse(*index)))
        .map(|(_, p)| p)
}

/// Whether a clock counts over a stretch of a ticket's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Running,
    Paused,
    Stopped,
}

impl Phase {
    /// The resolution clock: runs while the ticket is new or worked on, pauses while it waits
    /// for the customer, stops when solved or closed (and runs again on reopening).
    pub fn of_resolution(status: TicketStatus) -> Phase {
        match status {
            TicketStatus::New | TicketStatus::InProgress => Phase::Running,
            TicketStatus::WaitingCustomer => Phase::Paused,
            TicketStatus::Solved | TicketStatus::Closed => Phase::Stopped,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Running,
    /// Running with the warning share used.
    Warning,
    Paused,
    /// Stopped within the target.
    Met,
    /// The target was passed — running, paused or stopped, it stays breached.
    Breached,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    pub target_minutes: i64,
    pub used_minutes: i64,
    pub state: ClockState,
    /// When the target is (if running) or was (if breached) reached.
    pub deadline: Option<DateTime<Utc>>,
    /// When the warning share is (or was) reached, while running or once breached.
    pub warn_at: Option<DateTime<Utc>>,
}

impl SlaClock {
    /// Working minutes left; negative once breached.
    pub fn left_minutes(&self) -> i64 {
        self.target_minutes - self.used_minutes
    }
}

/// The moment within the phases at which `work` of running time has been used, if it was.
fn moment_of(calendar: &WorkCalendar, phases: &[(Phase, DateTime<Utc>)], now: DateTime<Utc>, work: Duration) -> Option<DateTime<Utc>> {
    let mut used = Duration::zero();
    for (index, &(phase, from)) in phases.iter().enumerate() {
        let to = phases.get(index + 1).map_or(now, |next| next.1).min(now);
        if phase != Phase::Running || to <= from {
            continue;
        }
        let here = calendar.working_between(from, to);
        if used + here >= work {
            return calendar.add_working(from, work - used);
        }
        used += here;
    }
    None
}

/// The working time a clock has used by `now` over its phases (each from its moment to the
/// next, the last to `now`).
fn used_by(calendar: &WorkCalendar, phases: &[(Phase, DateTime<Utc>)], now: DateTime<Utc>) -> Duration {
    let mut used = Duration::zero();
    for (index, &(phase, from)) in phases.iter().enumerate() {
        let to = phases.get(index + 1).map_or(now, |next| next.1).min(now);
        if phase == Phase::Running {
            used += calendar.working_between(from, to);
        }
    }
    used
}

/// Whether `used` passed the target: beyond it, or at it and still running.
fn passed(used: Duration, target: Duration, current: Phase) -> bool {
    used > target || (used == target && current == Phase::Running)
}

/// What a clock used and whether it breached, without the moments [`clock`] also works out
/// (deadline, warning, breach time): all the after-sales report needs of 5,000 open tickets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Usage {
    pub used_minutes: i64,
    pub breached: bool,
}

/// The [`Usage`] of a clock over a ticket's phases; the same figures as [`clock`]'s.
pub fn usage(calendar: &WorkCalendar, phases: &[(Phase, DateTime<Utc>)], target_minutes: u32, now: DateTime<Utc>) -> Usage {
    let used = used_by(calendar, phases, now);
    let current = phases.last().map_or(Phase::Stopped, |p| p.0);
    Usage { used_minutes: used.num_minutes(), breached: passed(used, Duration::minutes(target_minutes.into()), current) }
}

/// A clock over a ticket's phases (each from its moment to the next, the last to `now`).
pub fn clock(calendar: &WorkCalendar, phases: &[(Phase, DateTime<Utc>)], target_minutes: u32, warn_percent: u8, now: DateTime<Utc>) -> SlaClock {
    let target = Duration::minutes(target_minutes.into());
    let warn = Duration::minutes(i64::from(target_minutes) * i64::from(warn_percent.min(100)) / 100);
    let used = used_by(calendar, phases, now);
    let current = phases.last().map_or(Phase::Stopped, |p| p.0);
    let breached_at = passed(used, target, current).then(|| moment_of(calendar, phases, now, target)).flatten();
    let left = target - used;
    let (state, deadline, warn_at) = if breached_at.is_some() || used > target {
        (ClockState::Breached, breached_at, moment_of(calendar, phases, now, warn))
    } else {
        match current {
            Phase::Running => {
                let deadline = calendar.add_working(now, left);
                let warn_at = if used >= warn { moment_of(calendar, phases, now, warn) } else { calendar.add_working(now, warn - used) };
                (if used >= warn { ClockState::Warning } else { ClockState::Running }, deadline, warn_at)
            }
            Phase::Paused => (ClockState::Paused, None, None),
            Phase::Stopped => (ClockState::Met, None, None),
        }
    };
    SlaClock { target_minutes: target_minutes.into(), used_minutes: used.num_minutes(), state, deadline, warn_at }
}

/// The resolution clock's phases from a ticket's status history (oldest first, the first
/// entry its creation).
fn resolution_phases(history: &[(TicketStatus, DateTime<Utc>)]) -> Vec<(Phase, DateTime<Utc>)> {
    history.iter().map(|&(status, at)| (Phase::of_resolution(status), at)).collect()
}

/// The first-response clock's phases: from creation to the first reply told to the customer.
/// Waiting does not pause it — the customer is waiting for that reply.
fn first_response_phases(created: DateTime<Utc>, first_reply: Option<DateTime<Utc>>) -> Vec<(Phase, DateTime<Utc>)> {
    let mut phases = vec![(Phase::Running, created)];
    phases.extend(first_reply.map(|at| (Phase::Stopped, at)));
    phases
}

/// The resolution clock of a ticket from its status history (oldest first, the first entry its
/// creation).
pub fn resolution_clock(calendar: &WorkCalendar, history: &[(TicketStatus, DateTime<Utc>)], policy: &SlaPolicy, now: DateTime<Utc>) -> SlaClock {
    clock(calendar, &resolution_phases(history), policy.resolution_minutes, policy.warn_percent, now)
}

/// The first-response clock (see [`first_response_phases`]).
pub fn first_response_clock(calendar: &WorkCalendar, created: DateTime<Utc>, first_reply: Option<DateTime<Utc>>, policy: &SlaPolicy, now: DateTime<Utc>) -> SlaClock {
    clock(calendar, &first_response_phases(created, first_reply), policy.first_response_minutes, policy.warn_percent, now)
}

/// The (first response, resolution) [`Usage`] of a ticket: the report's lighter count.
pub fn usages(calendar: &WorkCalendar, created: DateTime<Utc>, first_reply: Option<DateTime<Utc>>, history: &[(TicketStatus, DateTime<Utc>)], policy: &SlaPolicy, now: DateTime<Utc>) -> (Usage, Usage) {
    (
        usage(calendar, &first_response_phases(created, first_reply), policy.first_response_minutes, now),
        usage(calendar, &resolution_phases(history), policy.resolution_minutes, now),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};
    use TicketStatus::*;

    fn beijing(d: u32, h: u32, min: u32) -> DateTime<Utc> {
        FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 12, d, h, min, 0).unwrap().with_timezone(&Utc)
    }

    fn policy(name: &str, priorities: Vec<Priority>, tag: Option<&str>) -> SlaPolicy {
        SlaPolicy { name: name.into(), priorities, tag: tag.map(Into::into), first_response_minutes: 60, resolution_minutes: 8 * 60, warn_percent: 80 }
    }

    #[test]
    fn the_most_specific_policy_holds() {
        let policies = vec![
            policy("standard", vec![], None),
            policy("urgent", vec![Priority::Urgent, Priority::High], None),
            policy("vip", vec![], Some("VIP")),
            policy("vip urgent", vec![Priority::Urgent], Some("VIP")),
        ];
        let name = |priority, tags: &[&str]| {
            let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
            matching_policy(&policies, priority, &tags).map(|p| p.name.clone())
        };
        assert_eq!(name(Priority::Low, &[]).as_deref(), Some("standard"));
        assert_eq!(name(Priority::High, &["老客户"]).as_deref(), Some("urgent"));
        assert_eq!(name(Priority::Low, &["VIP"]).as_deref(), Some("vip"));
        assert_eq!(name(Priority::Urgent, &["VIP"]).as_deref(), Some("vip urgent"));
        assert_eq!(matching_policy(&policies[1..2], Priority::Low, &[]), None);
    }

    #[test]
    fn every_priority_has_a_default_policy() {
        for priority in Priority::ALL {
            assert!(matching_policy(&default_policies(), priority, &[]).is_some());
        }
    }

    #[test]
    fn among_equals_the_first_listed_wins() {
        let policies = vec![policy("a", vec![Priority::Low], None), policy("b", vec![Priority::Low], None)];
        assert_eq!(matching_policy(&policies, Priority::Low, &[]).map(|p| p.name.as_str()), Some("a"));
    }

    #[test]
    fn waiting_for_the_customer_pauses_the_resolution_clock() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        // Opened Wednesday 09:00, waiting for the customer 10:00 → Thursday 10:00, worked on since.
        let history = [(New, beijing(2, 9, 0)), (WaitingCustomer, beijing(2, 10, 0)), (InProgress, beijing(3, 10, 0))];
        let now = beijing(3, 11, 0);
        let c = resolution_clock(&calendar, &history, &p, now);
        assert_eq!((c.used_minutes, c.left_minutes(), c.state), (120, 360, ClockState::Running));
        // Six working hours from Thursday 11:00: 1 h to lunch, 4.5 h after, 0.5 h Friday.
        assert_eq!(c.deadline, Some(beijing(4, 9, 30)));
        // 80 % of 8 h is 6.4 h = 384 min; 264 min left to it: 1 h to noon, then 13:30 + 3 h 24.
        assert_eq!(c.warn_at, Some(beijing(3, 16, 54)));

        let paused = resolution_clock(&calendar, &history[..2], &p, now);
        assert_eq!((paused.used_minutes, paused.state, paused.deadline), (60, ClockState::Paused, None));
    }

    #[test]
    fn a_breach_stays_after_the_ticket_is_solved() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        // Opened Wednesday 09:00, solved Thursday 12:00: 7.5 h + 3 h = 10.5 h against 8 h.
        let history = [(New, beijing(2, 9, 0)), (Solved, beijing(3, 12, 0))];
        let c = resolution_clock(&calendar, &history, &p, beijing(7, 9, 0));
        assert_eq!(c.state, ClockState::Breached);
        assert_eq!(c.left_minutes(), -150);
        // 8 h from Wednesday 09:00: 7.5 h that day, half an hour on Thursday.
        assert_eq!(c.deadline, Some(beijing(3, 9, 30)));

        let in_time = [(New, beijing(2, 9, 0)), (Solved, beijing(2, 17, 0))];
        let met = resolution_clock(&calendar, &in_time, &p, beijing(7, 9, 0));
        assert_eq!((met.state, met.used_minutes), (ClockState::Met, 390));
    }

    #[test]
    fn a_reopened_ticket_counts_on_from_what_it_used() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        let history = [(New, beijing(2, 9, 0)), (Solved, beijing(2, 11, 0)), (InProgress, beijing(3, 9, 0))];
        let c = resolution_clock(&calendar, &history, &p, beijing(3, 10, 0));
        assert_eq!((c.used_minutes, c.state), (180, ClockState::Running));
    }

    #[test]
    fn the_warning_share_and_a_running_breach() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        let history = [(New, beijing(2, 9, 0))];
        let warning = resolution_clock(&calendar, &history, &p, beijing(2, 17, 0));
        assert_eq!(warning.state, ClockState::Warning);
        assert_eq!(warning.warn_at, Some(beijing(2, 16, 54)));
        let late = resolution_clock(&calendar, &history, &p, beijing(3, 10, 0));
        assert_eq!((late.state, late.deadline), (ClockState::Breached, Some(beijing(3, 9, 30))));
    }

    #[test]
    fn the_reports_usage_agrees_with_the_whole_clock() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        let histories: [&[(TicketStatus, DateTime<Utc>)]; 4] = [
            &[(New, beijing(2, 9, 0))],
            &[(New, beijing(2, 9, 0)), (WaitingCustomer, beijing(2, 15, 0)), (InProgress, beijing(3, 10, 0))],
            &[(New, beijing(2, 9, 0)), (Solved, beijing(3, 12, 0))],
            &[(New, beijing(2, 9, 0)), (Solved, beijing(2, 17, 0)), (InProgress, beijing(3, 9, 0))],
        ];
        let mut breaches = 0;
        for history in histories {
            for reply in [None, Some(beijing(2, 9, 20)), Some(beijing(3, 11, 0))] {
                // Every half hour over a working week and its weekend, exactly on the targets too.
                for step in 0..(6 * 48) {
                    let now = beijing(2, 9, 0) + Duration::minutes(30 * step);
                    let (first, resolution) = usages(&calendar, beijing(2, 9, 0), reply, history, &p, now);
                    for (usage, clock) in [(first, first_response_clock(&calendar, beijing(2, 9, 0), reply, &p, now)), (resolution, resolution_clock(&calendar, history, &p, now))] {
                        assert_eq!(usage.used_minutes, clock.used_minutes, "{history:?} {reply:?} {now}");
                        assert_eq!(usage.breached, clock.state == ClockState::Breached, "{history:?} {reply:?} {now}");
                        breaches += usize::from(usage.breached);
                    }
                }
            }
        }
        assert!(breaches > 100, "the cases must include breaches: {breaches}");
    }

    #[test]
    fn first_response_is_not_paused_and_stops_at_the_reply() {
        let calendar = WorkCalendar::default();
        let p = policy("standard", vec![], None);
        // Opened Friday 17:30; replied Monday 09:20: 30 + 20 working minutes.
        let replied = first_response_clock(&calendar, beijing(4, 17, 30), Some(beijing(7, 9, 20)), &p, beijing(7, 12, 0));
        assert_eq!((replied.used_minutes, replied.state), (50, ClockState::Met));
        let waiting = first_response_clock(&calendar, beijing(4, 17, 30), None, &p, beijing(4, 23, 0));
        assert_eq!(waiting.deadline, Some(beijing(7, 9, 30)));
    }
}
