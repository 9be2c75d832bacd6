//! The after-sales plan as the profile shows it (售后计划): each won deal's steps with their
//! day and where they stand — done, due, coming, sent, answered, or passed without happening
//! (and why, when that is known: no contract to count from).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::care_plan::{Anchor, StepKind};
use super::survey_rules::SURVEY_CATCH_UP_DAYS;

/// What a shown step is: a plan step, or the renewal talk the contract's renewal reminder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShownStep {
    Plan(StepKind),
    RenewalTalk,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepState {
    /// Its day is ahead.
    Upcoming,
    /// Its day has come and nobody has handled it yet (a survey: it goes with today's run).
    Due,
    /// A reminder someone marked done.
    Done,
    /// A reminder someone dismissed.
    Dismissed,
    /// A survey sent and not answered.
    Sent,
    /// A survey answered; the score is in the step.
    Answered,
    /// Its day passed and it did not happen (the rule was off, or a survey could not go then:
    /// do-not-disturb, an open ticket, another survey shortly before).
    Missed,
    /// It counts back from a contract end and the deal has no contract.
    NoContract,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStepView {
    pub step: ShownStep,
    pub anchor: Anchor,
    pub days: u32,
    pub day: Option<NaiveDate>,
    pub state: StepState,
    pub score: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealPlanView {
    pub deal_id: String,
    pub deal_title: String,
    pub won_on: NaiveDate,
    /// The category whose plan it follows; empty: the default plan.
    pub category: String,
    pub steps: Vec<PlanStepView>,
}

/// What is known of a step having happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trace {
    Nothing,
    /// The step's reminder, by its status key (`open`, `done`, `dismissed`).
    Reminder(ReminderStatus),
    /// The step's survey, with its score once answered.
    Survey(Option<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReminderStatus {
    Open,
    Done,
    Dismissed,
}

/// Where a step stands on `today`. A survey is due for its catch-up week, a reminder until
/// someone handles it; a step that left no trace past that has been missed.
pub fn step_state(kind: ShownStep, day: Option<NaiveDate>, today: NaiveDate, trace: Trace) -> StepState {
    let Some(day) = day else { return StepState::NoContract };
    match trace {
        Trace::Reminder(ReminderStatus::Done) => StepState::Done,
        Trace::Reminder(ReminderStatus::Dismissed) => StepState::Dismissed,
        Trace::Survey(Some(_)) => StepState::Answered,
        Trace::Survey(None) => StepState::Sent,
        _ if day > today => StepState::Upcoming,
        Trace::Reminder(ReminderStatus::Open) => StepState::Due,
        Trace::Nothing => {
            let is_survey = matches!(kind, ShownStep::Plan(k) if k.survey().is_some());
            if is_survey && today <= day + chrono::Duration::days(SURVEY_CATCH_UP_DAYS) { StepState::Due } else { StepState::Missed }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, day).unwrap()
    }

    const VISIT: ShownStep = ShownStep::Plan(StepKind::Visit);
    const NPS: ShownStep = ShownStep::Plan(StepKind::Nps);

    #[test]
    fn reminders_stand_as_their_reminder_does() {
        let today = d(3, 10);
        assert_eq!(step_state(VISIT, Some(d(3, 20)), today, Trace::Nothing), StepState::Upcoming);
        assert_eq!(step_state(VISIT, Some(d(3, 20)), today, Trace::Reminder(ReminderStatus::Open)), StepState::Upcoming);
        assert_eq!(step_state(VISIT, Some(d(3, 1)), today, Trace::Reminder(ReminderStatus::Open)), StepState::Due);
        assert_eq!(step_state(VISIT, Some(d(3, 1)), today, Trace::Reminder(ReminderStatus::Done)), StepState::Done);
        assert_eq!(step_state(ShownStep::RenewalTalk, Some(d(3, 1)), today, Trace::Reminder(ReminderStatus::Dismissed)), StepState::Dismissed);
        assert_eq!(step_state(VISIT, Some(d(3, 1)), today, Trace::Nothing), StepState::Missed);
        assert_eq!(step_state(VISIT, None, today, Trace::Nothing), StepState::NoContract);
    }

    #[test]
    fn a_survey_is_due_for_a_week_then_missed_unless_sent() {
        assert_eq!(step_state(NPS, Some(d(3, 1)), d(3, 8), Trace::Nothing), StepState::Due);
        assert_eq!(step_state(NPS, Some(d(3, 1)), d(3, 9), Trace::Nothing), StepState::Missed);
        assert_eq!(step_state(NPS, Some(d(3, 1)), d(3, 9), Trace::Survey(None)), StepState::Sent);
        assert_eq!(step_state(NPS, Some(d(3, 1)), d(3, 9), Trace::Survey(Some(4))), StepState::Answered);
    }
}
