//! The after-sales settings as an admin types them — the working calendar, the SLA policies
//! in hours, the complaint categories — checked into [`ServiceSettings`] and shown back.

use serde::{Deserialize, Serialize};

use super::calendar_input::{calendar_input, validate_calendar, CalendarInput};
use super::care_plan_input::{care_step_rows, validate_care_steps, CareStepInput};
use super::sla::SlaPolicy;
use super::survey_rules::{SurveyRules, GAP_DAYS_MAX, VALID_DAYS_MAX};
use super::tickets::Priority;
use super::types::{ServiceSettings, CATEGORY_MAX};
use crate::check::Check;
use crate::problem::{FieldError, Problem};

pub const POLICIES_MAX: usize = 20;
pub const CATEGORIES_MAX: usize = 30;
pub const POLICY_NAME_MAX: usize = 40;
/// A target longer than this many working hours (a quarter of a year) is a typo.
pub const HOURS_MAX: f64 = 500.0;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInput {
    pub name: String,
    /// [`Priority`] keys; none means every priority.
    pub priorities: Vec<String>,
    /// A customer tag label; empty means every customer.
    pub tag: String,
    /// Working hours, decimals allowed (`0.5` is half an hour).
    pub first_response_hours: String,
    pub resolution_hours: String,
    pub warn_percent: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsInput {
    pub calendar: CalendarInput,
    pub policies: Vec<PolicyInput>,
    /// One category per line (or separated by commas).
    pub categories: String,
    /// A CSAT survey follows a solved ticket.
    #[serde(default)]
    pub csat_after_solved: bool,
    /// Days a survey link can be answered.
    #[serde(default)]
    pub survey_valid_days: String,
    /// At most one survey per customer within this many days.
    #[serde(default)]
    pub survey_gap_days: String,
    /// An NPS survey this many days after the first order (empty or 0: none).
    #[serde(default)]
    pub nps_after_first_order_days: String,
    /// Product categories whose won deals open an installation ticket, one per line.
    #[serde(default)]
    pub installation_categories: String,
    /// An NPS survey this many days after a churn warning began (empty or 0: none).
    #[serde(default)]
    pub nps_after_churn_days: String,
    /// The after-sales plans, a row per step.
    #[serde(default)]
    pub care_steps: Vec<CareStepInput>,
}

/// A list typed one per line or separated by commas: cleaned, without repeats, at most
/// [`CATEGORIES_MAX`] entries.
fn list(c: &mut Check, field: &str, text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for piece in text.split(['\n', ',', '，', '、']) {
        let item = c.line(field, piece, CATEGORY_MAX, false);
        if !item.is_empty() && !items.contains(&item) {
            items.push(item);
        }
    }
    if items.len() > CATEGORIES_MAX {
        c.fail(field, Problem::TooMany { max: CATEGORIES_MAX });
    }
    items
}

/// A whole number of days from `min` to `max` (empty: `default`).
fn days(c: &mut Check, field: &str, text: &str, min: u32, max: u32, default: u32) -> u32 {
    match text.trim() {
        "" => default,
        text => match text.parse::<u32>() {
            Ok(d) if (min..=max).contains(&d) => d,
            _ => {
                c.fail(field, Problem::OutOfRange { min: i64::from(min), max: i64::from(max) });
                default
            }
        },
    }
}

fn hours(c: &mut Check, field: &str, text: &str) -> u32 {
    match text.trim().parse::<f64>() {
        Ok(h) if h > 0.0 && h <= HOURS_MAX => (h * 60.0).round() as u32,
        Ok(_) => {
            c.fail(field, Problem::OutOfRange { min: 0, max: HOURS_MAX as i64 });
            0
        }
        Err(_) if text.trim().is_empty() => {
            c.fail(field, Problem::Required);
            0
        }
        Err(_) => {
            c.fail(field, Problem::InvalidAmount);
            0
        }
    }
}

fn policy(c: &mut Check, index: usize, input: &PolicyInput) -> SlaPolicy {
    let field = |name: &str| format!("policies.{index}.{name}");
    let name = c.line(&field("name"), &input.name, POLICY_NAME_MAX, true);
    let mut priorities = Vec::new();
    for key in &input.priorities {
        match Priority::from_key(key.trim()) {
            Some(p) if !priorities.contains(&p) => priorities.push(p),
            Some(_) => {}
            None => c.fail(&field("priorities"), Problem::UnknownChoice),
        }
    }
    let tag = c.line(&field("tag"), &input.tag, CATEGORY_MAX, false);
    let first_response_minutes = hours(c, &field("first_response_hours"), &input.first_response_hours);
    let resolution_minutes = hours(c, &field("resolution_hours"), &input.resolution_hours);
    if first_response_minutes > 0 && resolution_minutes > 0 && resolution_minutes < first_response_minutes {
        c.fail(&field("resolution_hours"), Problem::EndBeforeStart);
    }
    let warn_percent = match input.warn_percent.trim() {
        "" => 80,
        text => match text.trim_end_matches('%').parse::<u8>() {
            Ok(p) if (1..=100).contains(&p) => p,
            _ => {
                c.fail(&field("warn_percent"), Problem::OutOfRange { min: 1, max: 100 });
                80
            }
        },
    };
    SlaPolicy { name, priorities, tag: (!tag.is_empty()).then_some(tag), first_response_minutes, resolution_minutes, warn_percent }
}

/// Checks the whole settings form; each problem names its field (`mon`, `holidays`,
/// `policies.2.resolution_hours`, `categories`).
pub fn validate_settings(input: &SettingsInput) -> Result<ServiceSettings, Vec<FieldError>> {
    let mut c = Check::default();
    let calendar = validate_calendar(&input.calendar).map_err(|errors| c.errors.extend(errors)).ok();
    if input.policies.len() > POLICIES_MAX {
        c.fail("policies", Problem::TooMany { max: POLICIES_MAX });
    }
    let policies: Vec<SlaPolicy> = input.policies.iter().take(POLICIES_MAX).enumerate().map(|(i, p)| policy(&mut c, i, p)).collect();
    if policies.is_empty() {
        c.fail("policies", Problem::Required);
    }
    let categories = list(&mut c, "categories", &input.categories);
    if categories.is_empty() {
        c.fail("categories", Problem::Required);
    }
    let installation_categories = list(&mut c, "installation_categories", &input.installation_categories);
    let defaults = SurveyRules::default();
    let surveys = SurveyRules {
        csat_after_solved: input.csat_after_solved,
        valid_days: days(&mut c, "survey_valid_days", &input.survey_valid_days, 1, VALID_DAYS_MAX, defaults.valid_days),
        min_gap_days: days(&mut c, "survey_gap_days", &input.survey_gap_days, 0, GAP_DAYS_MAX, defaults.min_gap_days),
        nps_after_first_order_days: days(&mut c, "nps_after_first_order_days", &input.nps_after_first_order_days, 0, GAP_DAYS_MAX, 0),
        nps_after_churn_days: days(&mut c, "nps_after_churn_days", &input.nps_after_churn_days, 0, GAP_DAYS_MAX, 0),
    };
    let care_plans = validate_care_steps(&mut c, &input.care_steps);
    match calendar {
        Some(calendar) => c.finish(ServiceSettings { calendar, policies, categories, surveys, installation_categories, care_plans }),
        None => Err(c.errors),
    }
}

fn hours_text(minutes: u32) -> String {
    let hours = f64::from(minutes) / 60.0;
    if minutes % 60 == 0 { format!("{}", minutes / 60) } else { format!("{hours:.2}").trim_end_matches('0').to_string() }
}

/// The settings in the form, as [`validate_settings`] reads them back.
pub fn settings_input(settings: &ServiceSettings) -> SettingsInput {
    SettingsInput {
        calendar: calendar_input(&settings.calendar),
        policies: settings
            .policies
            .iter()
            .map(|p| PolicyInput {
                name: p.name.clone(),
                priorities: p.priorities.iter().map(|x| x.key().to_string()).collect(),
                tag: p.tag.clone().unwrap_or_default(),
                first_response_hours: hours_text(p.first_response_minutes),
                resolution_hours: hours_text(p.resolution_minutes),
                warn_percent: p.warn_percent.to_string(),
            })
            .collect(),
        categories: settings.categories.join("\n"),
        csat_after_solved: settings.surveys.csat_after_solved,
        survey_valid_days: settings.surveys.valid_days.to_string(),
        survey_gap_days: settings.surveys.min_gap_days.to_string(),
        nps_after_first_order_days: settings.surveys.nps_after_first_order_days.to_string(),
        installation_categories: settings.installation_categories.join("\n"),
        nps_after_churn_days: settings.surveys.nps_after_churn_days.to_string(),
        care_steps: care_step_rows(&settings.care_plans),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &SettingsInput) -> Vec<(String, Problem)> {
        validate_settings(input).unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn the_defaults_read_back_as_typed() {
        let defaults = ServiceSettings::default();
        let input = settings_input(&defaults);
        assert_eq!(input.policies[0].first_response_hours, "1");
        assert_eq!(validate_settings(&input), Ok(defaults));
    }

    #[test]
    fn half_hours_and_a_vip_policy() {
        let mut input = settings_input(&ServiceSettings::default());
        input.policies.insert(0, PolicyInput {
            name: "VIP".into(),
            priorities: vec![],
            tag: "VIP".into(),
            first_response_hours: "0.5".into(),
            resolution_hours: "2.25".into(),
            warn_percent: "75%".into(),
        });
        let settings = validate_settings(&input).unwrap();
        let vip = &settings.policies[0];
        assert_eq!((vip.first_response_minutes, vip.resolution_minutes, vip.warn_percent, vip.tag.as_deref()), (30, 135, 75, Some("VIP")));
        assert_eq!(settings_input(&settings).policies[0].resolution_hours, "2.25");
    }

    #[test]
    fn bad_policies_name_their_row_and_field() {
        let mut input = settings_input(&ServiceSettings::default());
        input.policies[1].first_response_hours = "两小时".into();
        input.policies[2].resolution_hours = "1".into();
        input.policies[3].warn_percent = "120".into();
        input.policies[0].priorities = vec!["asap".into()];
        assert_eq!(fields(&input), vec![
            ("policies.0.priorities".to_string(), Problem::UnknownChoice),
            ("policies.1.first_response_hours".to_string(), Problem::InvalidAmount),
            ("policies.2.resolution_hours".to_string(), Problem::EndBeforeStart),
            ("policies.3.warn_percent".to_string(), Problem::OutOfRange { min: 1, max: 100 }),
        ]);
    }

    #[test]
    fn categories_are_split_cleaned_and_required() {
        let mut input = settings_input(&ServiceSettings::default());
        input.categories = "物流，质量\n 物流 \n安装".into();
        input.installation_categories = "硬件、 软件".into();
        let settings = validate_settings(&input).unwrap();
        assert_eq!(settings.categories, vec!["物流", "质量", "安装"]);
        assert_eq!(settings.installation_categories, vec!["硬件", "软件"]);
        assert_eq!(settings_input(&settings).installation_categories, "硬件\n软件");
        input.categories = " \n ".into();
        assert_eq!(fields(&input), vec![("categories".to_string(), Problem::Required)]);
        input.categories = "物流".into();
        input.survey_valid_days = "0".into();
        input.survey_gap_days = "一月".into();
        assert_eq!(fields(&input), vec![
            ("survey_valid_days".to_string(), Problem::OutOfRange { min: 1, max: 365 }),
            ("survey_gap_days".to_string(), Problem::OutOfRange { min: 0, max: 365 }),
        ]);
        input.survey_valid_days = "7".into();
        input.survey_gap_days = "0".into();
        let surveys = validate_settings(&input).unwrap().surveys;
        assert_eq!((surveys.valid_days, surveys.min_gap_days), (7, 0));
        input.policies.clear();
        assert_eq!(fields(&input), vec![("policies".to_string(), Problem::Required)]);
    }
}
