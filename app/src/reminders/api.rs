//! Server functions of do-not-disturb windows: decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::dnd::DndInput;
use super::types::DndWindow;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::backend::{dnd_service as service, request::*};

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
