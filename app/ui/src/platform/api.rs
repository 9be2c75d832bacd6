//! Server functions of API tokens: decode, resolve the caller, one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::error::AppError;
use kehu_domain::platform::tokens::{ApiToken, NewToken, NewTokenInput};

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::platform::tokens;

#[server(input = Json)]
pub async fn my_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    let (state, caller) = signed_in().await?;
    tokens::list(&state, &caller).await
}

#[server(input = Json)]
pub async fn create_api_token(input: NewTokenInput) -> Result<NewToken, AppError> {
    let (state, caller) = signed_in().await?;
    tokens::create(&state, &caller, &input).await
}

#[server(input = Json)]
pub async fn revoke_api_token(id: String) -> Result<Vec<ApiToken>, AppError> {
    let (state, caller) = signed_in().await?;
    tokens::revoke(&state, &caller, &id).await
}
