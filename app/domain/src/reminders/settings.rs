//! The reminder rules' settings, as an admin switches and tunes them: which rules run, how
//! many days ahead or after, which customers count as VIPs, and at what local time of day
//! reminders fall due.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

use crate::check::Check;
use crate::insight::rhythm::ChurnSettings;
use crate::problem::{FieldError, Problem};

/// The longest any "days" setting may be: a year.
pub const DAYS_MAX: i64 = 365;
pub const VIP_TAG_MAX: usize = 30;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSettings {
    pub birthday: bool,
    pub care_dates: bool,
    /// Remind this many days before a contract ends; `None` switches the rule off.
    pub renewal_days: Option<u32>,
    /// Remind when a VIP has not been followed up for this many days; `None`: off.
    pub stale_vip_days: Option<u32>,
    /// The value tag (价值 dimension) that marks a customer as a VIP.
    pub vip_tag: String,
    pub next_step: bool,
    /// Remind the owner of the visits in a won deal's after-sales plan (售后计划; the days are
    /// the plan's, in the after-sales settings).
    pub after_sales: bool,
    /// Reminders fall due at this local time of their day.
    pub remind_at: NaiveTime,
    /// Warn the owner when a customer is slipping away; `None`: off.
    pub churn: Option<ChurnSettings>,
    /// Remind the owner when a customer's next purchase (or buying season) is coming.
    pub repurchase: bool,
}

impl Default for RuleSettings {
    fn default() -> Self {
        RuleSettings {
            birthday: true,
            care_dates: true,
            renewal_days: Some(30),
            stale_vip_days: Some(30),
            vip_tag: "VIP".into(),
            next_step: true,
            after_sales: true,
            remind_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            churn: Some(ChurnSettings::default()),
            repurchase: true,
        }
    }
}

/// The settings form as typed: switches, and numbers and a time as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsInput {
    pub birthday: bool,
    pub care_dates: bool,
    pub renewal: bool,
    pub renewal_days: String,
    pub stale_vip: bool,
    pub stale_vip_days: String,
    pub vip_tag: String,
    pub next_step: bool,
    pub after_sales: bool,
    pub remind_at: String,
    pub churn: bool,
    /// Percent, 1–99.
    pub churn_p_alive: String,
    /// Usual intervals, 2–12.
    pub churn_silence: String,
    pub repurchase: bool,
}

impl From<&RuleSettings> for SettingsInput {
    fn from(s: &RuleSettings) -> Self {
        // A switched-off rule keeps showing the default days, ready to switch back on.
        let days = |d: Option<u32>, default: Option<u32>| d.or(default).map(|d| d.to_string()).unwrap_or_default();
        let defaults = RuleSettings::default();
        SettingsInput {
            birthday: s.birthday,
            care_dates: s.care_dates,
            renewal: s.renewal_days.is_some(),
            renewal_days: days(s.renewal_days, defaults.renewal_days),
            stale_vip: s.stale_vip_days.is_some(),
            stale_vip_days: days(s.stale_vip_days, defaults.stale_vip_days),
            vip_tag: s.vip_tag.clone(),
            next_step: s.next_step,
            after_sales: s.after_sales,
            remind_at: s.remind_at.format("%H:%M").to_string(),
            churn: s.churn.is_some(),
            churn_p_alive: s.churn.unwrap_or_default().p_alive_below_pct.to_string(),
            churn_silence: s.churn.unwrap_or_default().silence_multiple.to_string(),
            repurchase: s.repurchase,
        }
    }
}

/// Days for a switched-on rule: a whole number from 1 to a year. A switched-off rule's days
/// are not checked, so a stray value cannot block saving the others.
fn days(c: &mut Check, field: &str, on: bool, value: &str) -> Option<u32> {
    whole(c, field, on, value, 1, DAYS_MAX)
}

/// A whole number in `min..=max` for a switched-on rule.
fn whole(c: &mut Check, field: &str, on: bool, value: &str, min: i64, max: i64) -> Option<u32> {
    if !on {
        return None;
    }
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Some(n as u32),
        _ => {
            c.fail(field, Problem::OutOfRange { min, max });
            None
        }
    }
}

pub fn validate_settings(input: &SettingsInput) -> Result<RuleSettings, Vec<FieldError>> {
    let mut c = Check::default();
    let renewal_days = days(&mut c, "renewal_days", input.renewal, &input.renewal_days);
    let stale_vip_days = days(&mut c, "stale_vip_days", input.stale_vip, &input.stale_vip_days);
    let p_alive = whole(&mut c, "churn_p_alive", input.churn, &input.churn_p_alive, 1, 99);
    let silence = whole(&mut c, "churn_silence", input.churn, &input.churn_silence, 2, 12);
    let churn = match (p_alive, silence) {
        (Some(p), Some(m)) => Some(ChurnSettings { p_alive_below_pct: p as u8, silence_multiple: m }),
        _ => None,
    };
    let vip_tag = c.line("vip_tag", &input.vip_tag, VIP_TAG_MAX, input.stale_vip);
    let remind_at = NaiveTime::parse_from_str(input.remind_at.trim(), "%H:%M").ok();
    if remind_at.is_none() {
        c.fail("remind_at", Problem::InvalidTime);
    }
    match remind_at {
        Some(remind_at) if c.errors.is_empty() => Ok(RuleSettings {
            birthday: input.birthday,
            care_dates: input.care_dates,
            renewal_days,
            stale_vip_days,
            vip_tag: if vip_tag.is_empty() { RuleSettings::default().vip_tag } else { vip_tag },
            next_step: input.next_step,
            after_sales: input.after_sales,
            remind_at,
            churn,
            repurchase: input.repurchase,
        }),
        _ => Err(c.errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn the_form_round_trips_the_defaults() {
        let defaults = RuleSettings::default();
        assert_eq!(validate_settings(&SettingsInput::from(&defaults)), Ok(defaults));
    }

    #[test]
    fn days_out_of_range_or_not_numbers_are_refused_by_field() {
        let input = SettingsInput {
            renewal_days: "0".into(),
            stale_vip_days: "thirty".into(),
            remind_at: "25:00".into(),
            ..SettingsInput::from(&RuleSettings::default())
        };
        let errors = validate_settings(&input).unwrap_err();
        assert_eq!(fields(&errors), vec!["renewal_days", "stale_vip_days", "remind_at"]);
    }

    #[test]
    fn a_switched_off_rule_ignores_its_days() {
        let input = SettingsInput { renewal: false, renewal_days: "junk".into(), ..SettingsInput::from(&RuleSettings::default()) };
        let saved = validate_settings(&input).unwrap();
        assert_eq!(saved.renewal_days, None);
        assert_eq!(SettingsInput::from(&saved).renewal_days, "30");
    }
}
