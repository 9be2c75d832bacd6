//! Server functions of products, orders and insight: decode, resolve the caller, one service
//! call. (The CSV import and export are plain routes: see the server's `http::import` and `http::reports`.)

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::insight::forecast::Forecast;
use kehu_domain::insight::types::{CustomerInsight, InsightOverview, Order, OrderInput, Product, ProductInput, Report, ReportKind};
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::insight::{competitors, orders, overview, reports};

#[server(input = Json)]
pub async fn list_products() -> Result<Vec<Product>, AppError> {
    let (state, _caller) = signed_in().await?;
    Ok(orders::products(&state))
}

/// Adds a product (`id` empty) or changes one.
#[server(input = Json)]
pub async fn save_product(id: String, input: ProductInput) -> Result<Vec<Product>, AppError> {
    let (state, caller) = signed_in().await?;
    orders::save_product(&state, &caller, &id, &input).await
}

#[server(input = Json)]
pub async fn customer_orders(customer_id: String) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    orders::list(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn add_order(customer_id: String, input: OrderInput) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    orders::add(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn remove_order(customer_id: String, order_id: String) -> Result<Vec<Order>, AppError> {
    let (state, caller) = signed_in().await?;
    orders::remove(&state, &caller, &customer_id, &order_id).await
}

#[server(input = Json)]
pub async fn load_customer_insight(customer_id: String) -> Result<CustomerInsight, AppError> {
    let (state, caller) = signed_in().await?;
    overview::customer(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn load_insight_overview(window_days: i64) -> Result<InsightOverview, AppError> {
    let (state, caller) = signed_in().await?;
    overview::overview(&state, &caller, window_days)
}

#[server(input = Json)]
pub async fn revenue_forecast() -> Result<Forecast, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::access::money(&caller)?;
    Ok(overview::forecast(&state, &caller))
}

#[server(input = Json)]
pub async fn get_report(kind: ReportKind) -> Result<Report, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(reports::report(&state, &caller, kind))
}

#[server(input = Json)]
pub async fn list_competitors() -> Result<Vec<kehu_domain::insight::competitors::Competitor>, AppError> {
    let (state, _caller) = signed_in().await?;
    competitors::list(&state).await
}

#[server(input = Json)]
pub async fn add_competitor(input: kehu_domain::insight::competitors::CompetitorInput) -> Result<Vec<kehu_domain::insight::competitors::Competitor>, AppError> {
    let (state, caller) = signed_in().await?;
    competitors::add(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn remove_competitor(id: String) -> Result<Vec<kehu_domain::insight::competitors::Competitor>, AppError> {
    let (state, caller) = signed_in().await?;
    competitors::remove(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn load_competitor_report() -> Result<kehu_domain::insight::competitors::CompetitorReport, AppError> {
    let (state, caller) = signed_in().await?;
    competitors::report(&state, &caller).await
}
