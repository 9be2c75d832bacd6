//! Server functions of the customer 360 and the lead pool: thin by design. Each decodes its
//! arguments, resolves the signed-in caller and makes one service call.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;

#[cfg(feature = "ssr")]
use crate::request::*;
#[cfg(feature = "ssr")]
use kehu_backend::customers::{contacts, merge, pool, service};

#[server(input = Json)]
pub async fn list_customers(query: ListQuery) -> Result<CustomerPage, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(service::list(&state, &caller, &query))
}

#[server(input = Json)]
pub async fn customer_facets() -> Result<ListFacets, AppError> {
    let (state, caller) = signed_in().await?;
    Ok(service::facets(&state, &caller))
}

#[server(input = Json)]
pub async fn get_profile(id: String) -> Result<CustomerProfile, AppError> {
    let (state, caller) = signed_in().await?;
    service::profile(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn find_duplicates(
    name: String,
    phone: String,
    email: String,
    exclude: Option<String>,
) -> Result<Vec<DuplicateHit>, AppError> {
    let (state, caller) = signed_in().await?;
    service::possible_duplicates(&state, &caller, &name, &phone, &email, exclude.as_deref()).await
}

#[server(input = Json)]
pub async fn create_customer(input: CustomerInput, confirmed_not_duplicate: bool) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    service::create(&state, &caller, &input, confirmed_not_duplicate).await
}

#[server(input = Json)]
pub async fn update_customer(
    id: String,
    input: CustomerInput,
    version: i64,
    confirmed_not_duplicate: bool,
) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    service::update(&state, &caller, &id, &input, version, confirmed_not_duplicate).await
}

#[server(input = Json)]
pub async fn add_tag(id: String, tag: Tag) -> Result<Vec<Tag>, AppError> {
    let (state, caller) = signed_in().await?;
    service::add_tag(&state, &caller, &id, &tag).await
}

#[server(input = Json)]
pub async fn remove_tag(id: String, tag: Tag) -> Result<Vec<Tag>, AppError> {
    let (state, caller) = signed_in().await?;
    service::remove_tag(&state, &caller, &id, &tag).await
}

#[server(input = Json)]
pub async fn add_contact(customer_id: String, input: ContactInput) -> Result<Contact, AppError> {
    let (state, caller) = signed_in().await?;
    contacts::add_contact(&state, &caller, &customer_id, &input).await
}

#[server(input = Json)]
pub async fn update_contact(customer_id: String, contact_id: String, input: ContactInput) -> Result<Contact, AppError> {
    let (state, caller) = signed_in().await?;
    contacts::update_contact(&state, &caller, &customer_id, &contact_id, &input).await
}

#[server(input = Json)]
pub async fn remove_contact(customer_id: String, contact_id: String) -> Result<(), AppError> {
    let (state, caller) = signed_in().await?;
    contacts::remove_contact(&state, &caller, &customer_id, &contact_id).await
}

/// Logs a follow-up once, however often it is sent (its key); the phone's outbox sends the
/// same follow-up to `POST /api/outbox/follow-ups` when it was written offline.
#[server(input = Json)]
pub async fn log_follow_up(follow_up: KeyedFollowUp) -> Result<Touchpoint, AppError> {
    let (state, caller) = signed_in().await?;
    contacts::log_keyed(&state, &caller, &follow_up).await
}

#[server(input = Json)]
pub async fn claim_customer(id: String) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    pool::claim(&state, &caller, &id).await
}

#[server(input = Json)]
pub async fn assign_customer(id: String, to: String) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    pool::assign(&state, &caller, &id, &to).await
}

#[server(input = Json)]
pub async fn release_customer(id: String, reason: String) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    pool::release(&state, &caller, &id, &reason).await
}

#[server(input = Json)]
pub async fn merge_customers(into: String, from: String) -> Result<Customer, AppError> {
    let (state, caller) = signed_in().await?;
    merge::merge(&state, &caller, &into, &from).await
}

/// How many customers the demo button adds, and how many of them get deals.
pub const DEMO_SIZE: usize = 300;
pub const DEMO_DEALS: usize = 60;

/// Loads demo data (customers, and demo reps and teams to own them), only into an empty
/// store and only for an admin, so a real company's data is never mixed with invented
/// customers. Returns how many customers were added.
#[server(input = Json)]
pub async fn load_demo_data() -> Result<usize, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::demo::load_sample_company(&state, &caller, DEMO_SIZE, DEMO_DEALS).await
}

/// The newest customer imports: the caller's own (an admin sees everyone's).
#[server(input = Json)]
pub async fn recent_imports() -> Result<Vec<kehu_domain::customers::import::ImportSummary>, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::customers::import::recent(&state, &caller).await
}

/// Undoes a customer import (see `customers::import::undo`).
#[server(input = Json)]
pub async fn undo_import(id: String) -> Result<kehu_domain::customers::import::UndoReport, AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::customers::import::undo(&state, &caller, &id).await
}

/// Erases one person's data: the contact named, or ("") the individual customer itself.
#[server(input = Json)]
pub async fn erase_personal_data(customer_id: String, contact_id: String) -> Result<(), AppError> {
    let (state, caller) = signed_in().await?;
    kehu_backend::customers::personal_data::erase(&state, &caller, &customer_id, Some(&contact_id)).await
}

/// A day's visits (外勤): the caller's own, a manager's team's, everyone's for an admin.
/// An empty day is today in the company's time zone.
#[server(input = Json)]
pub async fn day_visits(day: String) -> Result<kehu_domain::customers::visits::DayVisits, AppError> {
    let (state, caller) = signed_in().await?;
    let day = if day.trim().is_empty() {
        state.clock.now().with_timezone(&state.policy.offset.0).date_naive()
    } else {
        kehu_domain::check::parse_day(&day).map_err(|p| AppError::Invalid(vec![kehu_domain::error::FieldError::new("day", p)]))?
    };
    kehu_backend::customers::visits::of_day(&state, &caller, day).await
}
