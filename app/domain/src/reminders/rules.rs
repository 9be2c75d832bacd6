//! Reminder rules as plain functions over one customer's facts. Each rule lists the
//! reminders due within a window of local dates; the engine stores them by their stable key,
//! so running a rule again (after a restart, or over a window that overlaps the last one)
//! adds nothing, and a window that starts where the last run ended catches up after downtime.
//! Times are stored in UTC; a reminder falls due at the configured local time of its day.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use super::settings::RuleSettings;
use super::types::{Candidate, ReminderKind};
use crate::insight::types::{ChurnReason, ChurnWarning, RepurchaseWindow, SeasonalHint};
use crate::service::care_plan::{PlannedStep, StepKind};

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
    /// The planned next step of the latest follow-up that planned one.
    pub next_step: Option<NextStep>,
    /// Contracts: (contract id, number, end date).
    pub contract_ends: Vec<(String, String, NaiveDate)>,
    /// Won deals: (deal id, title, day won). The first one's anniversary is a care date too.
    pub wins: Vec<(String, String, NaiveDate)>,
    /// The steps of the won deals' after-sales plans; the visits among them are reminders.
    pub care_steps: Vec<PlannedStep>,
    /// From the insight batch: slipping away, the next purchase window, a buying season.
    pub churn: Option<ChurnWarning>,
    pub repurchase: Option<RepurchaseWindow>,
    pub season: Option<SeasonalHint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NextStep {
    pub touchpoint: String,
    pub what: String,
    pub on: NaiveDate,
    /// When the follow-up that planned it was logged.
    pub planned_at: DateTime<Utc>,
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

/// A reminder rule: the reminders it makes due for one customer within a window. Each rule
/// reads the facts and its own settings; rules added later (churn warning, repurchase
/// window) are more functions of this shape in `RULES`, with a kind of their own.
pub type Rule = fn(&CustomerFacts, &RuleSettings, &Window, &mut Vec<Candidate>);

pub const RULES: &[Rule] = &[birthdays, care_dates, renewals, silent_vips, next_step, after_sales, churn, repurchase, season];

/// Every reminder the enabled rules make for one customer within the window.
pub fn due_reminders(facts: &CustomerFacts, settings: &RuleSettings, window: &Window) -> Vec<Candidate> {
    let mut out = Vec::new();
    for rule in RULES {
        rule(facts, settings, window, &mut out);
    }
    out
}

fn birthdays(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    if !settings.birthday {
        return;
    }
    for (contact, name, birthday) in &facts.birthdays {
        for year in window.years() {
            let Some(day) = yearly(year, birthday.month(), birthday.day()) else { continue };
            if window.covers(day) {
                out.push(candidate(ReminderKind::Birthday, format!("birthday:{contact}:{year}"), facts, name, day, window));
            }
        }
    }
}

/// The customer's own yearly dates, and the anniversary of their first won deal.
fn care_dates(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    if !settings.care_dates {
        return;
    }
    let c = &facts.customer_id;
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

fn renewals(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let Some(days) = settings.renewal_days else { return };
    for (contract, number, end) in &facts.contract_ends {
        let day = *end - Duration::days(days as i64);
        if window.covers(day) {
            out.push(candidate(ReminderKind::Renewal, format!("renewal:{contract}:{end}"), facts, number, day, window));
        }
    }
}

fn silent_vips(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let (Some(days), true) = (settings.stale_vip_days, facts.is_vip) else { return };
    // Silent since the last follow-up (or since the customer was added, if never).
    let Some(since) = facts.last_contact_at.or(facts.created_at) else { return };
    let since_day = since.with_timezone(&window.offset).date_naive();
    let day = since_day + Duration::days(days as i64);
    // Each silence gets its own key: a follow-up resets it, a new silence reminds again.
    if window.covers(day) {
        let c = &facts.customer_id;
        out.push(candidate(ReminderKind::StaleVip, format!("stale_vip:{c}:{since_day}"), facts, "VIP", day, window));
    }
}

/// The planned next step is due on its day and stays due (a step planned for a day already
/// past is due at once) until somebody follows up again, on or after that day.
fn next_step(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let (true, Some(step)) = (settings.next_step, &facts.next_step) else { return };
    let followed_up = facts
        .last_contact_at
        .is_some_and(|at| at > step.planned_at && at.with_timezone(&window.offset).date_naive() >= step.on);
    if step.on <= window.to && !followed_up {
        let key = format!("next_step:{}", step.touchpoint);
        out.push(candidate(ReminderKind::NextStep, key, facts, &step.what, step.on, window));
    }
}

/// The visits of the won deals' after-sales plans (surveys go out by themselves).
fn after_sales(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    if !settings.after_sales {
        return;
    }
    for step in facts.care_steps.iter().filter(|s| s.step.kind == StepKind::Visit) {
        if let Some(day) = step.day.filter(|d| window.covers(*d)) {
            out.push(candidate(ReminderKind::AfterSales, step.key.clone(), facts, &step.title, day, window));
        }
    }
}

/// A customer slipping away: due from the day the warning started (at once if that is past)
/// while the warning lasts; one reminder per silence, since the key names the last purchase.
fn churn(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let (Some(_), Some(w)) = (settings.churn, &facts.churn) else { return };
    if w.since <= window.to {
        let subject = match &w.reason {
            ChurnReason::LowPAlive { p_alive_pct, .. } => format!("P(alive) {p_alive_pct}%"),
            ChurnReason::LongSilence { usual_days, silent_days, .. } => format!("{silent_days}d / {usual_days}d"),
        };
        let key = format!("churn:{}:{}", facts.customer_id, w.last_purchase);
        out.push(candidate(ReminderKind::Churn, key, facts, &subject, w.since.max(window.from), window));
    }
}

/// The next purchase window opens: due on its first day (at once if it has opened already
/// and not yet closed).
fn repurchase(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let (true, Some(w)) = (settings.repurchase, &facts.repurchase) else { return };
    if w.from <= window.to && w.to >= window.from {
        let key = format!("repurchase:{}:{}", facts.customer_id, w.last_purchase);
        let subject = format!("{} – {}", w.from, w.to);
        out.push(candidate(ReminderKind::Repurchase, key, facts, &subject, w.from.max(window.from), window));
    }
}

/// A buying season is coming: due on the first day of the month before.
fn season(facts: &CustomerFacts, settings: &RuleSettings, window: &Window, out: &mut Vec<Candidate>) {
    let (true, Some(h)) = (settings.repurchase, &facts.season) else { return };
    if window.covers(h.hint_on) {
        let month = h.next_month.format("%Y-%m").to_string();
        let key = format!("season:{}:{month}", facts.customer_id);
        out.push(candidate(ReminderKind::Season, key, facts, &month, h.hint_on, window));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::care_plan::{planned_steps, Anchor, CareStep, WonDeal};
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
            next_step: Some(NextStep {
                touchpoint: "t1".into(),
                what: "发送报价".into(),
                on: d(2026, 11, 20),
                planned_at: Utc.with_ymd_and_hms(2026, 11, 1, 2, 0, 0).unwrap(),
            }),
            wins: vec![("deal1".into(), "ERP 一期".into(), d(2025, 11, 25)), ("deal2".into(), "OA".into(), d(2026, 11, 18))],
            care_dates: vec![("春节".into(), 2, 17)],
            ..facts()
        };
        // The default plan's visit a week after each win, a second visit and a survey for deal2.
        let mut plan = crate::service::care_plan::default_plans().remove(0);
        plan.steps.push(CareStep { kind: StepKind::Visit, anchor: Anchor::AfterWin, days: 10 });
        plan.steps.push(CareStep { kind: StepKind::Nps, anchor: Anchor::AfterWin, days: 8 });
        let care_steps = f
            .wins
            .iter()
            .flat_map(|(id, title, won)| {
                let deal = WonDeal { deal_id: id.clone(), title: title.clone(), won_on: *won, contract_end: None, categories: vec![] };
                planned_steps(&deal, &plan)
            })
            .collect();
        let f = CustomerFacts { care_steps, ..f };
        let found = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 11, 15), d(2026, 11, 30)));
        assert_eq!(keys(&found), vec!["care:c1:首单周年:2026", "next_step:t1", "after_sales:deal2", "after_sales:deal2:after_win:10"]);
        assert_eq!(found[2].subject, "OA");
        let off = RuleSettings { after_sales: false, ..RuleSettings::default() };
        assert_eq!(keys(&due_reminders(&f, &off, &window(d(2026, 11, 15), d(2026, 11, 30)))), vec!["care:c1:首单周年:2026", "next_step:t1"]);
        // The anniversary is never on the day of the first win itself.
        let first_year = due_reminders(&f, &RuleSettings::default(), &window(d(2025, 11, 20), d(2025, 11, 30)));
        assert!(!keys(&first_year).iter().any(|k| k.starts_with("care:c1:首单")));
    }

    #[test]
    fn a_next_step_stays_due_until_somebody_follows_up_on_or_after_its_day() {
        let planned = Utc.with_ymd_and_hms(2026, 11, 2, 2, 0, 0).unwrap();
        let f = CustomerFacts {
            next_step: Some(NextStep { touchpoint: "t1".into(), what: "回访".into(), on: d(2026, 11, 10), planned_at: planned }),
            last_contact_at: Some(planned),
            ..facts()
        };
        // Planned for the day it was planned on: the planning call itself is not a follow-up.
        let same_day = CustomerFacts {
            next_step: Some(NextStep { on: d(2026, 11, 2), ..f.next_step.clone().unwrap() }),
            ..f.clone()
        };
        assert_eq!(keys(&due_reminders(&same_day, &RuleSettings::default(), &window(d(2026, 11, 2), d(2026, 11, 30)))), vec!["next_step:t1"]);
        // Planned for a day before the window: due at once, on its own day.
        let late = due_reminders(&f, &RuleSettings::default(), &window(d(2026, 11, 20), d(2026, 12, 20)));
        assert_eq!(keys(&late), vec!["next_step:t1"]);
        assert_eq!(late[0].due, window(d(2026, 11, 10), d(2026, 11, 10)).due_on(d(2026, 11, 10)));
        // Not yet within reach of the window: nothing.
        assert!(due_reminders(&f, &RuleSettings::default(), &window(d(2026, 11, 1), d(2026, 11, 9))).is_empty());
        // Followed up on the day: done.
        let done = CustomerFacts { last_contact_at: Some(Utc.with_ymd_and_hms(2026, 11, 10, 3, 0, 0).unwrap()), ..f };
        assert!(due_reminders(&done, &RuleSettings::default(), &window(d(2026, 11, 20), d(2026, 12, 20))).is_empty());
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

    #[test]
    fn churn_is_due_from_its_day_once_per_silence() {
        let mut f = facts();
        f.churn = Some(ChurnWarning {
            since: d(2026, 11, 10),
            last_purchase: d(2026, 7, 1),
            reason: ChurnReason::LongSilence { usual_days: 30, silent_days: 142, multiple: 3 },
        });
        let s = RuleSettings::default();
        let found = due_reminders(&f, &s, &window(d(2026, 11, 20), d(2026, 12, 20)));
        let churn: Vec<&Candidate> = found.iter().filter(|c| c.kind == ReminderKind::Churn).collect();
        assert_eq!(keys(&found), vec!["churn:c1:2026-07-01"]);
        // Past its day: due at the window's start, i.e. at once.
        assert_eq!(churn[0].due, window(d(2026, 11, 20), d(2026, 12, 20)).due_on(d(2026, 11, 20)));
        let off = RuleSettings { churn: None, ..RuleSettings::default() };
        assert!(due_reminders(&f, &off, &window(d(2026, 11, 20), d(2026, 12, 20))).is_empty());
    }

    #[test]
    fn repurchase_window_and_season_remind_ahead() {
        let mut f = facts();
        f.repurchase = Some(RepurchaseWindow {
            usual_days: 45,
            last_purchase: d(2026, 10, 1),
            expected: d(2026, 11, 15),
            from: d(2026, 11, 12),
            to: d(2026, 11, 18),
        });
        f.season = Some(SeasonalHint { months: vec![3, 9], next_month: d(2027, 3, 1), hint_on: d(2027, 2, 1) });
        let s = RuleSettings::default();
        let found = due_reminders(&f, &s, &window(d(2026, 11, 1), d(2026, 12, 1)));
        assert_eq!(keys(&found), vec!["repurchase:c1:2026-10-01"]);
        assert_eq!(found[0].due, window(d(2026, 11, 1), d(2026, 12, 1)).due_on(d(2026, 11, 12)));
        // The window has closed: nothing; the season's hint comes in February.
        let later = due_reminders(&f, &s, &window(d(2027, 1, 20), d(2027, 2, 19)));
        assert_eq!(keys(&later), vec!["season:c1:2027-03"]);
    }
}
