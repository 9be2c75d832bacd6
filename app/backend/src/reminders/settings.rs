//! The reminder rules' settings (admins): read, and saved with their event; then every
//! customer's reminders are worked out again under them.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::{EventKind, FieldChange};
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::reminders::settings::{validate_settings, SettingsInput};

use crate::access;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::reminders as store;

pub async fn settings(state: &AppState, caller: &Caller) -> AppResult<SettingsInput> {
    access::admin(caller)?;
    Ok(SettingsInput::from(&store::settings(&state.db).await?))
}

/// Saves the settings and works every customer's reminders out again under them.
pub async fn save_settings(state: &AppState, caller: &Caller, input: &SettingsInput) -> AppResult<SettingsInput> {
    access::admin(caller)?;
    let settings = validate_settings(input).map_err(AppError::Invalid)?;
    let before = SettingsInput::from(&store::settings(&state.db).await?);
    let after = SettingsInput::from(&settings);
    let event = Event::by(caller, EventKind::ReminderRulesSaved, state.clock.now()).changes(settings_changes(&before, &after));
    store::save_settings(&state.db, &settings, &caller.user.username, state.clock.now(), &[event]).await?;
    follow(state, vec![Effect::ReminderRules]).await;
    Ok(after)
}

/// The settings that changed, as the log shows them (each setting as the form shows it).
fn settings_changes(before: &SettingsInput, after: &SettingsInput) -> Vec<FieldChange> {
    let (b, a) = (serde_json::to_value(before).unwrap_or_default(), serde_json::to_value(after).unwrap_or_default());
    let (Some(b), Some(a)) = (b.as_object(), a.as_object()) else { return Vec::new() };
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    a.keys().filter(|k| b.get(*k) != a.get(*k)).map(|k| FieldChange::new(k, text(b.get(k)), text(a.get(k)))).collect()
}

