//! Server functions of reminders and do-not-disturb windows: decode, resolve the caller, one
//! service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::reminders::care_dates::CareDateInput;
use kehu_domain::reminders::dnd::DndInput;
use kehu_domain::reminders::settings::SettingsInput;
use kehu_domain::reminders::types::{CalendarFeed, CareDate, DndWindow, MyReminders, ReminderAction, ReminderKind};
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::reminders::{care_dates as care_date_service, center, dnd as service, feed, settings};

#[server(input = Json)]
pub async fn customer_dnd(customer_id: String) -> Result<Vec<DndWindow>, AppError> {
    let (state, caller) = signed_in().await?;
    service::list(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn add_dnd(customer_id: String, input: DndInput) -> Result<Vec<DndWindow>, AppError> {
    let (state, caller) = signed_in().await?;
    service::add(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn remove_dnd(customer_id: String, window_id: String) -> Result<Vec<DndWindow>, AppError> {
    let (state, caller) = signed_in().await?;
    service::remove(&state, &caller, &customer_id, &window_id).await
}

#[server(input = Json)]
pub async fn list_reminders(only: Option<ReminderKind>) -> Result<MyReminders, AppError> {
    let (state, caller) = signed_in().await?;
    center::mine(&state, &caller, only).await
}

#[server(input = Json)]
pub async fn handle_reminder(id: String, action: ReminderAction, only: Option<ReminderKind>) -> Result<MyReminders, AppError> {
    let (state, caller) = signed_in().await?;
    center::act(&state, &caller, &id, &action, only).await
}

#[server(input = Json)]
pub async fn reminder_settings() -> Result<SettingsInput, AppError> {
    let (state, caller) = signed_in().await?;
    settings::settings(&state, &caller).await
}

#[server(input = Json)]
pub async fn save_reminder_settings(input: SettingsInput) -> Result<SettingsInput, AppError> {
    let (state, caller) = signed_in().await?;
    settings::save_settings(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn calendar_feed_status() -> Result<CalendarFeed, AppError> {
    let (state, caller) = signed_in().await?;
    feed::feed(&state, &caller).await
}

#[server(input = Json)]
pub async fn new_calendar_feed() -> Result<CalendarFeed, AppError> {
    let (state, caller) = signed_in().await?;
    feed::new_feed(&state, &caller).await
}

#[server(input = Json)]
pub async fn revoke_calendar_feed() -> Result<CalendarFeed, AppError> {
    let (state, caller) = signed_in().await?;
    feed::revoke_feed(&state, &caller).await
}

#[server(input = Json)]
pub async fn customer_care_dates(customer_id: String) -> Result<Vec<CareDate>, AppError> {
    let (state, caller) = signed_in().await?;
    care_date_service::list(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn add_care_date(customer_id: String, input: CareDateInput) -> Result<Vec<CareDate>, AppError> {
    let (state, caller) = signed_in().await?;
    care_date_service::add(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn remove_care_date(customer_id: String, care_date_id: String) -> Result<Vec<CareDate>, AppError> {
    let (state, caller) = signed_in().await?;
    care_date_service::remove(&state, &caller, &customer_id, &care_date_id).await
}
