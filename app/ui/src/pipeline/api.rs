//! Server functions of the funnel: decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::pipeline::types::*;
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::pipeline::{board, deals as service, money};

#[server(input = Json)]
pub async fn get_board(query: BoardQuery) -> Result<Board, AppError> {
    let (state, caller) = signed_in().await?;
    board::board(&state, &caller, &query).await
}

#[server(input = Json)]
pub async fn create_deal(input: DealInput) -> Result<Deal, AppError> {
    let (state, caller) = signed_in().await?;
    service::create(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn update_deal(id: String, input: DealInput, version: i64) -> Result<Deal, AppError> {
    let (state, caller) = signed_in().await?;
    service::update(&state, &caller, &id, &input, version).await
}

#[server(input = Json)]
pub async fn move_deal(id: String, stage: String, version: i64) -> Result<DealCard, AppError> {
    let (state, caller) = signed_in().await?;
    service::move_to(&state, &caller, &id, &stage, version).await
}

#[server(input = Json)]
pub async fn close_deal(id: String, won: bool, reason: String, version: i64) -> Result<Deal, AppError> {
    let (state, caller) = signed_in().await?;
    service::close(&state, &caller, &id, won, &reason, version).await
}

#[server(input = Json)]
pub async fn tick_playbook(id: String, stage: String, index: usize, on: bool) -> Result<Deal, AppError> {
    let (state, caller) = signed_in().await?;
    service::tick(&state, &caller, &id, &stage, index, on).await
}

#[server(input = Json)]
pub async fn get_deal(id: String) -> Result<DealView, AppError> {
    let (state, caller) = signed_in().await?;
    service::view(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn customer_deals(customer_id: String) -> Result<Vec<Deal>, AppError> {
    let (state, caller) = signed_in().await?;
    service::of_customer(&state, &caller, &customer_id).await
}

#[server(input = Json)]
pub async fn add_quote(deal_id: String, input: QuoteInput) -> Result<Quote, AppError> {
    let (state, caller) = signed_in().await?;
    money::add_quote(&state, &caller, &deal_id, &input).await
}

#[server(input = Json)]
pub async fn get_quote(id: String) -> Result<(Quote, Deal), AppError> {
    let (state, caller) = signed_in().await?;
    money::quote(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn save_contract(deal_id: String, input: ContractInput) -> Result<Contract, AppError> {
    let (state, caller) = signed_in().await?;
    money::save_contract(&state, &caller, &deal_id, &input).await
}

/// Adds a planned instalment, or with `received` a payment received.
#[server(input = Json)]
pub async fn add_contract_money(deal_id: String, input: MoneyOnDateInput, received: bool) -> Result<Contract, AppError> {
    let (state, caller) = signed_in().await?;
    money::add_money(&state, &caller, &deal_id, &input, received).await
}

/// Conversion between two dates (`YYYY-MM-DD`, inclusive).
#[server(input = Json)]
pub async fn get_funnel(from: String, to: String) -> Result<FunnelReport, AppError> {
    let (state, caller) = signed_in().await?;
    board::funnel(&state, &caller, &from, &to).await
}
