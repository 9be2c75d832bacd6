//! Server functions of products, orders and insight: decode, resolve the caller, one service
//! call. (The CSV import and export are plain routes: see `backend::insight_routes`.)

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::forecast::Forecast;
use super::types::{CustomerInsight, InsightOverview, Order, OrderInput, Product, ProductInput, Report, ReportKind};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::backend::{insight_service, order_service, request::*};

#[server(input = Json)]
pub async fn list_products() -> Result<Vec<Product>, AppError> {
    let (state, _caller) = signed_in().await?;
    Ok(order_service::products(&state))
}

/// Adds a product (`id` empty) or changes one.
#[server(input = Json)]
pub async fn save_product(id: String, input: ProductInput) -> Result<Vec<Product>, AppError> {
    let (state, caller) = signed_in().await?;
    order_service::save_product(&state, &caller, &id, &input).await
}

#[server(input = Json)]
pub async fn customer_orders(customer_id: String) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    order_service::list(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn add_order(customer_id: String, input: OrderInput) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    order_service::add(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn remove_order(customer_id: String, order_id: String) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    order_service::remove(&state, &caller, &customer_id, &order_id).await
}

#[server(input = Json)]
pub async fn load_customer_insight(customer_id: String) -> Result<CustomerInsight, AppError> {
    let (state, caller) = signed_in().await?;
    insight_service::customer(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn load_insight_overview(window_days: i64) -> Result<InsightOverview, AppError> {
    let (state, caller) = signed_in().await?;
    insight_service::overview(&state, &caller, window_days)
}

#[server(input = Json)]
pub async fn revenue_forecast() -> Result<Forecast, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(insight_service::forecast(&state, &caller))
}

#[server(input = Json)]
pub async fn get_report(kind: ReportKind) -> Result<Report, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(insight_service::report(&state, &caller, kind))
}

#[server(input = Json)]
pub async fn list_competitors() -> Result<Vec<super::competitors::Competitor>, AppError> {
    let (state, _caller) = signed_in().await?;
    crate::backend::competitor_service::list(&state).await
}

#[server(input = Json)]
pub async fn add_competitor(input: super::competitors::CompetitorInput) -> Result<Vec<super::competitors::Competitor>, AppError> {
    let (state, caller) = signed_in().await?;
    crate::backend::competitor_service::add(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn remove_competitor(id: String) -> Result<Vec<super::competitors::Competitor>, AppError> {
    let (state, caller) = signed_in().await?;
    crate::backend::competitor_service::remove(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn load_competitor_report() -> Result<super::competitors::CompetitorReport, AppError> {
    let (state, caller) = signed_in().await?;
    crate::backend::competitor_service::report(&state, &caller).await
}
