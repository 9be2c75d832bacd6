//! Server functions for a user's notifications.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::Notification;
use crate::error::AppError;

#[cfg(feature = "ssr")]
use crate::backend::{notify, request::*};

/// The caller's notifications, newest first; reading them marks them read.
#[server(input = Json)]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let (state, caller) = signed_in().await?;
    let list = notify::of_user(&state.db, &caller.user.username).await?;
    notify::mark_all_read(&state.db, &caller.user.username).await?;
    Ok(list)
}
