//! When a satisfaction survey may go out, what an answer must hold, and how a survey looks to
//! the customer answering it and to the staff who sent it. Plain rules, tested here.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::surveys::SurveyKind;
use crate::check::Check;
use crate::problem::{FieldError, Problem};

/// The installation's survey rules (part of the service settings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyRules {
    /// A CSAT survey follows a ticket moved to solved.
    pub csat_after_solved: bool,
    /// Days a link can be answered.
    pub valid_days: u32,
    /// At most one survey per customer within this many days.
    pub min_gap_days: u32,
    /// An NPS survey this many days after a customer's first order; 0: none.
    pub nps_after_first_order_days: u32,
    /// An NPS survey this many days after a churn warning began; 0: none.
    pub nps_after_churn_days: u32,
}

impl Default for SurveyRules {
    fn default() -> Self {
        SurveyRules { csat_after_solved: true, valid_days: 14, min_gap_days: 30, nps_after_first_order_days: 0, nps_after_churn_days: 0 }
    }
}

/// Days after its day a survey sent by a rule (after the first order, a churn warning, a step
/// of an after-sales plan) may still go — a server that was down catches up — and no more:
/// turning a rule on does not survey the whole book.
pub const SURVEY_CATCH_UP_DAYS: i64 = 7;

/// Whether a survey a rule sends on `day` is to go today.
pub fn survey_due(day: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    day <= today && today <= day + Duration::days(SURVEY_CATCH_UP_DAYS)
}

/// Whether an NPS survey `days` after `since` (a first order, the start of a churn warning) is
/// due today; `days` 0 is the rule switched off.
pub fn nps_due(since: chrono::NaiveDate, days: u32, today: chrono::NaiveDate) -> bool {
    days != 0 && survey_due(since + Duration::days(i64::from(days)), today)
}

pub const VALID_DAYS_MAX: u32 = 365;
pub const GAP_DAYS_MAX: u32 = 365;
pub const COMMENT_MAX: usize = 1000;

/// What the customer's situation says about sending now.
#[derive(Clone, Debug, Default)]
pub struct SendContext {
    /// The customer is inside a do-not-disturb window now.
    pub in_dnd: bool,
    /// The customer has a ticket not yet solved.
    pub open_ticket: bool,
    /// When the customer was last sent a survey.
    pub last_sent: Option<DateTime<Utc>>,
}

/// Whether a survey of `kind` may go to the customer now. No survey inside a do-not-disturb
/// window; no NPS while a problem is still open (the answer would be about the problem); at
/// most one survey per `min_gap_days`. A CSAT survey about the ticket just solved is the
/// exception to the gap: it asks about that ticket, not the relationship.
pub fn may_send(kind: SurveyKind, about_ticket: bool, now: DateTime<Utc>, ctx: &SendContext, rules: &SurveyRules) -> Result<(), Problem> {
    if ctx.in_dnd {
        return Err(Problem::InDoNotDisturb);
    }
    if kind == SurveyKind::Nps && ctx.open_ticket {
        return Err(Problem::OpenTicket);
    }
    let gap = Duration::days(i64::from(rules.min_gap_days));
    match ctx.last_sent {
        Some(last) if !(kind == SurveyKind::Csat && about_ticket) && now < last + gap => {
            let days = ((last + gap - now).num_hours() + 23) / 24;
            Err(Problem::SurveyTooSoon { days: days.max(1) as u32 })
        }
        _ => Ok(()),
    }
}

/// An answer as the survey page sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub score: Option<u8>,
    /// A complaint category, required with a low score.
    pub reason: String,
    pub comment: String,
}

/// An answer that holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub score: u8,
    pub reason: String,
    pub comment: String,
}

/// A score within the kind's scale; a low score names one of `categories` as its reason.
pub fn validate_answer(kind: SurveyKind, input: &AnswerInput, categories: &[String]) -> Result<Answer, Vec<FieldError>> {
    let mut c = Check::default();
    let score = match input.score {
        Some(s) if kind.scores().contains(&s) => s,
        Some(_) => {
            c.fail("score", Problem::OutOfRange { min: i64::from(*kind.scores().start()), max: i64::from(*kind.scores().end()) });
            0
        }
        None => {
            c.fail("score", Problem::Required);
            0
        }
    };
    let reason = input.reason.trim().to_string();
    let low = input.score.is_some_and(|s| kind.scores().contains(&s) && kind.is_low(s));
    if low && reason.is_empty() {
        c.fail("reason", Problem::Required);
    } else if !reason.is_empty() && !categories.contains(&reason) {
        c.fail("reason", Problem::UnknownChoice);
    }
    let comment = c.text("comment", &input.comment, COMMENT_MAX, false);
    // A reason given with a good score says nothing; it is dropped rather than refused.
    let reason = if low { reason } else { String::new() };
    c.finish(Answer { score, reason, comment })
}

/// Where a survey stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SurveyState {
    Open,
    Answered,
    Expired,
}

pub fn state_of(answered: bool, expires_at: DateTime<Utc>, now: DateTime<Utc>) -> SurveyState {
    if answered {
        SurveyState::Answered
    } else if now >= expires_at {
        SurveyState::Expired
    } else {
        SurveyState::Open
    }
}

/// The survey as the customer sees it: no name of anyone, only what it asks about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyPage {
    pub kind: SurveyKind,
    pub state: SurveyState,
    /// The ticket a CSAT survey asks about (its title), empty for NPS.
    pub about: String,
    pub categories: Vec<String>,
    pub expires_at: DateTime<Utc>,
}

/// A survey as the staff see it on the profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyEntry {
    pub id: String,
    pub kind: SurveyKind,
    pub state: SurveyState,
    pub about: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The address it was mailed to, empty if it was not.
    pub sent_to: String,
    pub score: Option<u8>,
    pub reason: String,
    pub comment: String,
    pub answered_at: Option<DateTime<Utc>>,
    /// While it can be answered: the answer page's path, `/s/<token>` (the page puts its own
    /// origin before it); empty after.
    pub path: String,
    /// The absolute link when the installation knows its public address (as mailed).
    pub url: String,
    /// The link as a QR code (SVG), to be scanned from the screen.
    pub qr_svg: String,
}

/// Whether a survey went out by e-mail, and why not when it did not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailOutcome {
    Mailed,
    /// No outgoing mail server (SMTP) is configured.
    NoServer,
    /// Neither the customer nor a contact has an e-mail address.
    NoAddress,
    /// The mail server refused or could not be reached (the details are in the server log).
    Failed,
}

/// A survey just sent, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyLink {
    pub entry: SurveyEntry,
    pub mail: MailOutcome,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, 2, 0, 0).unwrap()
    }

    fn categories() -> Vec<String> {
        vec!["物流".into(), "质量".into()]
    }

    #[test]
    fn no_survey_in_do_not_disturb_nor_nps_with_an_open_ticket() {
        let rules = SurveyRules::default();
        let dnd = SendContext { in_dnd: true, ..SendContext::default() };
        assert_eq!(may_send(SurveyKind::Csat, true, at(10), &dnd, &rules), Err(Problem::InDoNotDisturb));
        let open = SendContext { open_ticket: true, ..SendContext::default() };
        assert_eq!(may_send(SurveyKind::Nps, false, at(10), &open, &rules), Err(Problem::OpenTicket));
        // The CSAT survey about a solved ticket is not held back by another open one.
        assert_eq!(may_send(SurveyKind::Csat, true, at(10), &open, &rules), Ok(()));
        assert_eq!(may_send(SurveyKind::Nps, false, at(10), &SendContext::default(), &rules), Ok(()));
    }

    #[test]
    fn one_survey_per_period_except_the_csat_of_a_solved_ticket() {
        let rules = SurveyRules { min_gap_days: 30, ..SurveyRules::default() };
        let recent = SendContext { last_sent: Some(at(1)), ..SendContext::default() };
        // Sent on the 1st: on the 10th, 21 days remain.
        assert_eq!(may_send(SurveyKind::Nps, false, at(10), &recent, &rules), Err(Problem::SurveyTooSoon { days: 21 }));
        assert_eq!(may_send(SurveyKind::Csat, false, at(10), &recent, &rules), Err(Problem::SurveyTooSoon { days: 21 }));
        assert_eq!(may_send(SurveyKind::Csat, true, at(10), &recent, &rules), Ok(()));
        // 30 days later it may go again.
        let long_ago = SendContext { last_sent: Some(at(1) - Duration::days(30)), ..SendContext::default() };
        assert_eq!(may_send(SurveyKind::Nps, false, at(1), &long_ago, &rules), Ok(()));
        // A gap of 0 days is no limit.
        let none = SurveyRules { min_gap_days: 0, ..SurveyRules::default() };
        assert_eq!(may_send(SurveyKind::Nps, false, at(1), &SendContext { last_sent: Some(at(1)), ..SendContext::default() }, &none), Ok(()));
    }

    #[test]
    fn a_low_score_needs_a_reason_from_the_categories() {
        let answer = |score, reason: &str| {
            validate_answer(SurveyKind::Csat, &AnswerInput { score, reason: reason.into(), comment: " 太慢 ".into() }, &categories())
        };
        let fields = |r: Result<Answer, Vec<FieldError>>| r.unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect::<Vec<_>>();
        assert_eq!(fields(answer(Some(2), "")), vec![("reason".to_string(), Problem::Required)]);
        assert_eq!(fields(answer(Some(1), "天气")), vec![("reason".to_string(), Problem::UnknownChoice)]);
        assert_eq!(fields(answer(None, "")), vec![("score".to_string(), Problem::Required)]);
        assert_eq!(fields(answer(Some(6), "")), vec![("score".to_string(), Problem::OutOfRange { min: 1, max: 5 })]);
        let low = answer(Some(2), "物流").unwrap();
        assert_eq!((low.score, low.reason.as_str(), low.comment.as_str()), (2, "物流", "太慢"));
        // A good score keeps no reason.
        assert_eq!(answer(Some(5), "物流").unwrap().reason, "");
        // NPS: 6 is a detractor and needs a reason, 7 does not; 0 is a score.
        let nps = |score| validate_answer(SurveyKind::Nps, &AnswerInput { score: Some(score), ..AnswerInput::default() }, &categories());
        assert!(nps(6).is_err() && nps(7).is_ok() && nps(0).is_err());
        assert_eq!(fields(nps(11)), vec![("score".to_string(), Problem::OutOfRange { min: 0, max: 10 })]);
    }

    #[test]
    fn an_nps_by_a_rule_is_due_for_a_week_from_its_day() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let first = day(1) - Duration::days(30);
        assert!(!nps_due(first, 0, day(1)), "0 days is the rule switched off");
        assert!(!nps_due(first, 30, day(1) - Duration::days(1)));
        assert!(nps_due(first, 30, day(1)) && nps_due(first, 30, day(8)));
        assert!(!nps_due(first, 30, day(9)), "a customer from long ago is not surveyed when the rule is turned on");
        // Across the new year.
        assert!(survey_due(day(28), day(28) + Duration::days(7)) && !survey_due(day(28), day(28) + Duration::days(8)));
    }

    #[test]
    fn a_survey_is_open_until_answered_or_expired() {
        assert_eq!(state_of(false, at(10), at(9)), SurveyState::Open);
        assert_eq!(state_of(false, at(10), at(10)), SurveyState::Expired);
        assert_eq!(state_of(true, at(10), at(11)), SurveyState::Answered);
    }
}
