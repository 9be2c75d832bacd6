//! Server functions for a user's notifications.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::notifications::Notification;
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::notifications;

/// The caller's notifications, newest first. Reading changes nothing (a page rendered for a
/// prefetch or a crawler must not mark anything read).
#[server(input = Json)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let (state, caller) = signed_in().await?;
    notifications::mine(&state, &caller).await
}

/// Marks all of the caller's notifications read: the person's own click.
#[server(input = Json)]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    let (state, caller) = signed_in().await?;
    notifications::mark_all_read(&state, &caller).await
}
