//! The after-sales settings record: calendar and policies kept as the JSON of their domain
//! types. A store without the record (or with one a hand edit broke) has the defaults.

use chrono::{DateTime, Utc};
use surrealdb::types::SurrealValue;

use kehu_domain::service::types::ServiceSettings;

use super::transact::Transact;
use super::db::Db;
use super::error::{StoreError, StoreResult};
use super::events::transaction;
use super::events::rows as event_rows;
use crate::events::Event;

#[derive(Debug, Clone, SurrealValue)]
struct SettingsRow {
    calendar: String,
    policies: String,
    categories: Vec<String>,
    /// Absent in a store from before surveys: the default rules.
    surveys: Option<String>,
    installation_categories: Option<Vec<String>>,
    /// Absent in a store from before the plans: the default plan.
    care_plans: Option<String>,
    updated_at: DateTime<Utc>,
}

pub async fn current(db: &Db) -> StoreResult<ServiceSettings> {
    let rows: Vec<SettingsRow> = db.query("SELECT calendar, policies, categories, surveys, installation_categories, care_plans, updated_at FROM service_settings:current").await?.take(0)?;
    let Some(row) = rows.into_iter().next() else { return Ok(ServiceSettings::default()) };
    let defaults = ServiceSettings::default();
    Ok(ServiceSettings {
        calendar: serde_json::from_str(&row.calendar).unwrap_or(defaults.calendar),
        policies: serde_json::from_str(&row.policies).unwrap_or(defaults.policies),
        categories: if row.categories.is_empty() { defaults.categories } else { row.categories },
        surveys: row.surveys.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(defaults.surveys),
        installation_categories: row.installation_categories.unwrap_or_default(),
        care_plans: row.care_plans.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(defaults.care_plans),
    })
}

pub async fn save(db: &Db, settings: &ServiceSettings, at: DateTime<Utc>, events: &[Event]) -> StoreResult<()> {
    let json = |value: serde_json::Result<String>| value.map_err(|e| StoreError::Broken(format!("service settings as JSON: {e}")));
    let row = SettingsRow {
        calendar: json(serde_json::to_string(&settings.calendar))?,
        policies: json(serde_json::to_string(&settings.policies))?,
        categories: settings.categories.clone(),
        surveys: Some(json(serde_json::to_string(&settings.surveys))?),
        installation_categories: Some(settings.installation_categories.clone()),
        care_plans: Some(json(serde_json::to_string(&settings.care_plans))?),
        updated_at: at,
    };
    db.transact(transaction("UPSERT service_settings:current CONTENT $row;"))
        .bind(("row", row))
        .bind(("events", event_rows(events)))
        .await?
        .check()?;
    Ok(())
}
