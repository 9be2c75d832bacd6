//! Server functions of webhooks (admins): decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::error::AppError;
use kehu_domain::platform::webhooks::{Delivery, NewWebhook, Webhook, WebhookInput};

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::platform::webhooks::service as webhooks;

#[server(input = Json)]
pub async fn list_webhooks() -> Result<Vec<Webhook>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::list(&state, &caller).await
}

#[server(input = Json)]
pub async fn create_webhook(input: WebhookInput) -> Result<NewWebhook, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::create(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn update_webhook(id: String, input: WebhookInput) -> Result<Vec<Webhook>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::update(&state, &caller, &id, &input).await
}

#[server(input = Json)]
pub async fn pause_webhook(id: String, paused: bool) -> Result<Vec<Webhook>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::set_paused(&state, &caller, &id, paused).await
}

#[server(input = Json)]
pub async fn remove_webhook(id: String) -> Result<Vec<Webhook>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::remove(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn webhook_deliveries(id: String) -> Result<Vec<Delivery>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::deliveries(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn resend_delivery(id: String, delivery: String) -> Result<Vec<Delivery>, AppError> {
    let (state, caller) = signed_in().await?;
    webhooks::resend(&state, &caller, &id, &delivery).await
}
