//! Server functions of targets and performance: decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::error::AppError;
use kehu_domain::targets::view::{ActivityPage, CascadeInput, PerformancePage, PerformanceSettings, SettingsInput, TargetInput, TargetsPage};

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::targets as service;

#[server(input = Json)]
pub async fn get_targets(year: i32, metric: String) -> Result<TargetsPage, AppError> {
    let (state, caller) = signed_in().await?;
    service::service::page(&state, &caller, year, &metric).await
}

#[server(input = Json)]
pub async fn set_target(input: TargetInput) -> Result<TargetsPage, AppError> {
    let (state, caller) = signed_in().await?;
    service::service::set(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn cascade_target(input: CascadeInput) -> Result<TargetsPage, AppError> {
    let (state, caller) = signed_in().await?;
    service::service::cascade(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn get_performance(period: String) -> Result<PerformancePage, AppError> {
    let (state, caller) = signed_in().await?;
    service::progress::page(&state, &caller, &period).await
}

#[server(input = Json)]
pub async fn save_performance_settings(input: SettingsInput) -> Result<PerformanceSettings, AppError> {
    let (state, caller) = signed_in().await?;
    service::service::save_settings(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn get_activity(holder: String, period: String) -> Result<ActivityPage, AppError> {
    let (state, caller) = signed_in().await?;
    service::activity::page(&state, &caller, &holder, &period).await
}
