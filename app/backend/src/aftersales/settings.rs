//! The after-sales settings (working calendar, SLA policies, complaint categories): read by
//! every signed-in user (the ticket form and the clocks need them), changed by admins only,
//! each change an event that says what changed.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::service::settings::{settings_input, validate_settings, SettingsInput};

use crate::access;
use crate::events::Event;
use crate::state::AppState;
use crate::store::service_settings as store;

pub async fn settings(state: &AppState, _caller: &Caller) -> AppResult<SettingsInput> {
    Ok(settings_input(&store::current(&state.db).await?))
}

pub async fn save(state: &AppState, caller: &Caller, input: &SettingsInput) -> AppResult<SettingsInput> {
    access::admin(caller)?;
    let settings = validate_settings(input).map_err(AppError::Invalid)?;
    let before = settings_input(&store::current(&state.db).await?);
    let after = settings_input(&settings);
    let mut event = Event::by(caller, EventKind::ServiceSettingsSaved, state.clock.now());
    // The calendar's and the policies' lines as typed, where they changed.
    let policy_line = |p: &kehu_domain::service::settings::PolicyInput| {
        format!("{} [{}] {} h / {} h", p.name, if p.tag.is_empty() { p.priorities.join(",") } else { format!("{} {}", p.priorities.join(","), p.tag) }, p.first_response_hours, p.resolution_hours)
    };
    let lines = |input: &SettingsInput| {
        [
            ("hours", input.calendar.week.join(" | ")),
            ("utc_offset", input.calendar.utc_offset.clone()),
            ("holidays", input.calendar.holidays.clone()),
            ("make_up_days", input.calendar.make_up_days.clone()),
            ("policies", input.policies.iter().map(policy_line).collect::<Vec<_>>().join("; ")),
            ("categories", input.categories.replace('\n', "、")),
        ]
    };
    for ((field, old), (_, new)) in lines(&before).into_iter().zip(lines(&after)) {
        if old != new {
            event = event.change(field, old, new);
        }
    }
    store::save(&state.db, &settings, state.clock.now(), &[event]).await?;
    Ok(after)
}
