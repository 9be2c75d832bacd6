//! Server functions for a user's notifications.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::notifications::Notification;
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::notifications;

/// The caller's notifications, newest first; reading them marks them read.
#[server(input = Json)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let (state, caller) = signed_in().await?;
    let list = notifications::mine(&state, &caller).await?;
    notifications::mark_all_read(&state, &caller).await?;
    Ok(list)
}
