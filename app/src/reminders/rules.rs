//! Reminder rules as plain functions over one customer's facts. Each rule lists the
//! reminders due within a window of local dates; the engine stores them by their stable key,
//! so running a rule again (after a restart, or over a window that overlaps the last one)
//! adds nothing, and a window that starts where the last run ended catches up after downtime.
//! Times are stored in UTC; a reminder falls due at the configured local time of its day.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::types::{Candidate, ReminderKind};

/// What the rules know about one customer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerFacts {
    pub customer_id: String,
    /// Tagged VIP in the value dimension.
    pub is_vip: bool,
    pub last_contact_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    /// Contacts' birthdays: (contact id, name, birthday).
    pub birthdays: Vec<(String, String, NaiveDate)>,
    /// Dates the customer cares about, every year: (label, month, day).
    pub care_dates: Vec<(String, u32, u32)>,
    /// Planned next steps of follow-ups: (touchpoint id, what, on).
    pub next_steps: Vec<(String, String, NaiveDate)>,
    /// Contracts: (contract id, number, end date).
    pub contract_ends: Vec<(String, String, NaiveDate)>,
    /// Won deals: (deal id, title, day won). The first one's anniversary is a care date too.
    pub wins: Vec<(String, String, NaiveDate)>,
}

/// The local dates a run covers (both included), and how local time is reckoned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Reminders fall due at this local time of their day.
    pub at: NaiveTime,
    pub offset: FixedOffset,
}

impl Window {
    /// A local date at the window's time of day, in UTC.
    pub fn due_on(&self, day: NaiveDate) -> DateTime<Utc> {
        let local = day.and_time(self.at);
        (local - Duration::seconds(self.offset.local_minus_utc() as i64)).and_utc()
    }

    fn covers(&self, day: NaiveDate) -> bool {
        day >= self.from && day <= self.to
    }

    /// The years a yearly date can fall in within the window.
    fn years(&self) -> std::ops::RangeInclusive<i32> {
        self.from.year()..=self.to.year()
    }
}

/// Each rule switched on or off and tuned by an admin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    pub birthday: bool,
    pub care_dates: bool,
    /// Remind this many days before a contract ends; `None` switches the rule off.
    pub renewal_days: Option<u32>,
    /// Remind when a VIP has not been followed up for this many days; `None`: off.
    pub stale_vip_days: Option<u32>,
    pub next_step: bool,
    /// Visit this many days after a won deal; `None`: off.
    pub after_sales_days: Option<u32>,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            birthday: true,
            care_dates: true,
            renewal_days: Some(30),
            stale_vip_days: Some(30),
            next_step: true,
            after_sales_days: Some(7),
        }
    }
}

/// The day a yearly date falls on in `year`: 29 February is kept on 28 February in years
/// without it, so a leap-day birthday is never skipped.
pub fn yearly(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        (month == 2 && day == 29).then(|| NaiveDate::from_ymd_opt(year, 2, 28)).flatten()
    })
}

fn candidate(kind: ReminderKind, key: String, facts: &CustomerFacts, subject: &str, day: NaiveDate, window: &Window) -> Candidate {
    Candidate { key, kind, customer_id: facts.customer_id.clone(), subject: subject.to_string(), due: window.due_on(day) }
}

/// Every reminder the enabled rules make for one customer within the window.
pub fn due_reminders(facts: &CustomerFacts, settings: &RuleSettings, window: &Window) -> Vec<Candidate> {
    let mut out = Vec::new();
    let c = &facts.customer_id;
    if settings.birthday {
        for (contact, name, birthday) in &facts.birthdays {
            for year in window.years() {
                let Some(day) = yearly(year, birthday.month(), birthday.day()) else { continue };
                if window.covers(day) {
                    out.push(candidate(ReminderKind::Birthday, format!("birthday:{contact}:{year}"), facts, name, day, window));
                }
            }
        }
    }
    if settings.care_dates {
        let first_win = facts.wins.iter().map(|(_, _, day)| *day).min();
        let anniversary = first_win.map(|d| ("首单周年".to_string(), d.month(), d.day(), d.year()));
        let dates = facts.care_dates.iter().map(|(label, m, d)| (label.clone(), *m, *d, i32::MIN)).chain(anniversary);
        for (label, month, day, since) in dates {
            for year in window.years().filter(|y| *y > since) {
                let Some(date) = yearly(year, month, day) else { continue };
                if window.covers(date) {
                    out.push(candidate(ReminderKind::CareDate, format!("care:{c}:{label}:{year}"), facts, &label, date, window));
                }
            }
        }
    }
    if let Some(days) = settings.renewal_days {
        for (contract, number, end) in &facts.contract_ends {
            let day = *end - Duration::days(days as i64);
            if window.covers(day) {
                out.push(candidate(ReminderKind::Renewal, format!("renewal:{contract}:{end}"), facts, number, day, window));
            }
        }
    }
    if let (Some(days), true) = (settings.stale_vip_days, facts.is_vip) {
        // Silent since the last follow-up (or since the customer was added, if never).
        if let Some(since) = facts.last_contact_at.or(facts.created_at) {
            let since_day = since.with_timezone(&window.offset).date_naive();
            let day = since_day + Duration::days(days as i64);
            // Each silence gets its own key: a follow-up resets it, a new silence reminds again.
            if window.covers(day) {
                out.push(candidate(ReminderKind::StaleVip, format!("stale_vip:{c}:{since_day}"), facts, "VIP", day, window));
            }
        }
    }
    if settings.next_step {
        for (touchpoint, what, on) in &facts.next_steps {
            if window.covers(*on) {
                out.push(candidate(ReminderKind::NextStep, format!("next_step:{touchpoint}"), facts, what, *on, window));
            }
        }
    }
    if let Some(days) = settings.after_sales_days {
        for (deal, title, won) in &facts.wins {
            let day = *won + Duration::days(days as i64);
            if window.covers(day) {
                out.push(candidate(ReminderKind::AfterSales, format!("after_sales:{deal}"), facts, title, day, window));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn beijing() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn window(from: NaiveDate, to: NaiveDate) -> Window {
        Window { from, to, at: NaiveTime::from_hms_opt(9, 0, 0).unwrap(), offset: beijing() }
    }

    fn facts() -> CustomerFacts {
        CustomerFacts { customer_id: "c1".into(), ..Default::default() }
    }

    fn keys(found: &[Candidate]) -> Vec<&str> {
        found.iter().map(|c| c.key.as_str()).collect()
    }

    #[test]
    fn due_at_nine_local_is_stored_in_utc() {
        let w = window(d(2027, 1, 1), d(2027, 1, 1));
        assert_eq!(w.due_on(d(2027, 1, 1)), Utc.with_ymd_and_hms(2027, 1, 1, 1, 0, 0).unwrap());
        let new_york = Window { offset: FixedOffset::west_opt(5 * 3600).unwrap(), ..w };
        assert_eq!(new_york.due_on(d(2027, 1, 1)), Utc.with_ymd_and_hms(2027, 1, 1, 14, 0, 0).unwrap());
    }

    #[test]
    fn a_leap_day_birthday_falls_on_28_february_in_other_years() {
        let f = CustomerFacts { birthdays: vec![("p1".into(), "李娜".into(), d(1988, 2, 29))], ..facts() };
        let found = due_reminders(&f, &RuleSettings::default(), &window(d(2027, 2, 1), d(2027, 3, 31)));
        assert_eq!(keys(&found), vec!["birthday:p1:2027"]);
        assert_eq!(found[0].due, window(d(2027, 2, 28), d(2027, 2, 28)).due_on(d(2027, 2, 28)));
        let leap = due_reminders(&f, &RuleSettings::default(), &window(d(2028, 2, 1), d(2028, 3, 31)));
        assert_eq!(leap[0].due.with_timezone(&beijing()).date_naive(), d(2028, 2, 29));
        assert_eq!(yearly(2027, 2, 29), Some(d(2027, 2, 28)));
        assert_eq!(yearly(2027, 4, 31), None);
    }

    #[test]
    fn renewal_thirty_days_ahead_across_the_year_end() {
        let f = CustomerFacts { contract_ends: vec![("k1".into(), "HT-001".into(), d(2027, 1, 20))], ..facts() };
        let found = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 12, 15), d(2027, 1, 5)));
        assert_eq!(keys(&found), vec!["renewal:k1:2027-01-20"]);
        assert_eq!(found[0].due.with_timezone(&beijing()).date_naive(), d(2026, 12, 21));
        let off = RuleSettings { renewal_days: None, ..RuleSettings::default() };
        assert!(due_reminders(&f, &off, &window(d(2026, 12, 15), d(2027, 1, 5))).is_empty());
    }

    #[test]
    fn a_silent_vip_is_reminded_once_per_silence() {
        let last = Utc.with_ymd_and_hms(2026, 10, 1, 3, 0, 0).unwrap();
        let f = CustomerFacts { is_vip: true, last_contact_at: Some(last), ..facts() };
        let found = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(keys(&found), vec!["stale_vip:c1:2026-10-01"]);
        assert_eq!(found[0].due.with_timezone(&beijing()).date_naive(), d(2026, 10, 31));
        // Not a VIP: nothing.
        assert!(due_reminders(&CustomerFacts { is_vip: false, ..f.clone() }, &RuleSettings::default(), &window(d(2026, 10, 1), d(2026, 12, 31))).is_empty());
        // Followed up since: a new silence, a new key.
        let later = CustomerFacts { last_contact_at: Some(last + Duration::days(20)), ..f };
        assert_eq!(keys(&due_reminders(&later, &RuleSettings::default(), &window(d(2026, 10, 1), d(2026, 12, 31)))), vec!["stale_vip:c1:2026-10-21"]);
    }

    #[test]
    fn next_steps_after_sales_and_the_first_deal_anniversary() {
        let f = CustomerFacts {
            next_steps: vec![("t1".into(), "发送报价".into(), d(2026, 11, 20)), ("t2".into(), "回访".into(), d(2027, 3, 1))],
            wins: vec![("deal1".into(), "ERP 一期".into(), d(2025, 11, 25)), ("deal2".into(), "OA".into(), d(2026, 11, 18))],
            care_dates: vec![("春节".into(), 2, 17)],
            ..facts()
        };
        let found = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 11, 15), d(2026, 11, 30)));
        assert_eq!(keys(&found), vec!["care:c1:首单周年:2026", "next_step:t1", "after_sales:deal2"]);
        // The anniversary is never on the day of the first win itself.
        let first_year = due_reminders(&f, &RuleSettings::default(), &window(d(2025, 11, 20), d(2025, 11, 30)));
        assert!(!keys(&first_year).iter().any(|k| k.starts_with("care:c1:首单")));
    }

    #[test]
    fn running_again_over_an_overlapping_window_gives_the_same_keys() {
        let f = CustomerFacts { birthdays: vec![("p1".into(), "王芳".into(), d(1990, 12, 31))], ..facts() };
        let first = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 12, 1), d(2027, 1, 10)));
        let again = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 12, 20), d(2027, 1, 31)));
        assert_eq!(first, again);
        // A window across two New Years' Eves sees both birthdays.
        let two = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 12, 1), d(2027, 12, 31)));
        assert_eq!(keys(&two), vec!["birthday:p1:2026", "birthday:p1:2027"]);
    }
}
