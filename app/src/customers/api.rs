//! Server functions of the customer 360: thin by design. Each decodes its arguments, takes
//! the server state and makes one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use super::types::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
fn state() -> Result<crate::backend::AppState, AppError> {
    use_context::<crate::backend::AppState>().ok_or_else(|| AppError::Store("server state is missing".into()))
}

#[cfg(feature = "ssr")]
use crate::backend::customer_service as service;

#[server(input = Json)]
pub async fn list_customers(query: ListQuery) -> Result<CustomerPage, AppError> {
    Ok(service::list(&state()?, &query))
}

#[server(input = Json)]
pub async fn customer_facets() -> Result<ListFacets, AppError> {
    Ok(service::facets(&state()?))
}

#[server(input = Json)]
pub async fn get_profile(id: String) -> Result<CustomerProfile, AppError> {
    service::profile(&state()?, &id).await
}

#[server(input = Json)]
pub async fn find_duplicates(
    name: String,
    phone: String,
    email: String,
    exclude: Option<String>,
) -> Result<Vec<DuplicateHit>, AppError> {
    service::possible_duplicates(&state()?, &name, &phone, &email, exclude.as_deref()).await
}

#[server(input = Json)]
pub async fn create_customer(input: CustomerInput, confirmed_not_duplicate: bool) -> Result<Customer, AppError> {
    service::create(&state()?, &input, confirmed_not_duplicate).await
}

#[server(input = Json)]
pub async fn update_customer(
    id: String,
    input: CustomerInput,
    version: i64,
    confirmed_not_duplicate: bool,
) -> Result<Customer, AppError> {
    service::update(&state()?, &id, &input, version, confirmed_not_duplicate).await
}

#[server(input = Json)]
pub async fn add_tag(id: String, tag: Tag) -> Result<Vec<Tag>, AppError> {
    service::add_tag(&state()?, &id, &tag).await
}

#[server(input = Json)]
pub async fn remove_tag(id: String, tag: Tag) -> Result<Vec<Tag>, AppError> {
    service::remove_tag(&state()?, &id, &tag).await
}

#[server(input = Json)]
pub async fn add_contact(customer_id: String, input: ContactInput) -> Result<Contact, AppError> {
    service::add_contact(&state()?, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn update_contact(customer_id: String, contact_id: String, input: ContactInput) -> Result<Contact, AppError> {
    service::update_contact(&state()?, &customer_id, &contact_id, &input).await
}

#[server(input = Json)]
pub async fn remove_contact(customer_id: String, contact_id: String) -> Result<(), AppError> {
    service::remove_contact(&state()?, &customer_id, &contact_id).await
}

#[server(input = Json)]
pub async fn add_touchpoint(customer_id: String, input: TouchpointInput) -> Result<Touchpoint, AppError> {
    service::add_touchpoint(&state()?, &customer_id, &input).await
}

/// How many customers the demo button adds.
pub const DEMO_SIZE: usize = 300;

/// Loads demo data, only into an empty store, so that a real company's data is never mixed
/// with invented customers. Returns how many customers were added.
#[server(input = Json)]
pub async fn load_demo_data() -> Result<usize, AppError> {
    let state = state()?;
    if service::count(&state) > 0 {
        return Ok(0);
    }
    crate::backend::demo::load(&state, DEMO_SIZE, 2026).await
}
