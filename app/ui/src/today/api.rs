//! The 今天 page's one server function.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::error::AppError;
use kehu_domain::today::TodayView;

#[cfg(feature = "ssr")]
use crate::request::*;

#[server(input = Json)]
pub async fn my_day() -> Result<TodayView, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::today::today(&state, &caller).await
}
