//! `/api/v1/customers/{id}/contacts`: a customer's contacts (联系人), and adding one
//! (`Idempotency-Key`), through the same service as the profile page.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use kehu_backend::customers::{contacts, service};
use kehu_domain::customers::types::{Contact, ContactInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created};
use super::problem::{problem, ProblemDetails};
use super::ApiState;

/// A customer's contact person.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiContact {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    /// Job title (职务).
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
}

impl From<&Contact> for ApiContact {
    fn from(c: &Contact) -> Self {
        ApiContact {
            id: c.id.clone(),
            customer_id: c.customer_id.clone(),
            name: c.name.clone(),
            title: c.title.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            birthday: c.birthday,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactList {
    pub data: Vec<ApiContact>,
}

/// A new contact.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub birthday: String,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "customers", params(("id" = String, Path)),
    responses((status = 200, body = ContactList), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn list(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::with_records(&api.state, &caller.grant.caller, &id).await {
        Ok((_, _, contacts, _)) => axum::Json(ContactList { data: contacts.iter().map(ApiContact::from).collect() }).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", tag = "customers", request_body = NewContact,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the contact is added once")),
    responses((status = 201, body = ApiContact), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn create(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text, customer) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: NewContact = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new contact: {e}")))?;
        let input = ContactInput { name: new.name, title: new.title, phone: new.phone, email: new.email, birthday: new.birthday };
        let contact = contacts::add_contact(&state, &who, &customer, &input).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(ApiContact::from(&contact))).into_response())
    };
    idempotent(&api, &caller, &headers, &format!("POST /api/v1/customers/{id}/contacts"), &body, work).await
}
