//! `/api/v1/orders`: orders as an ERP or a shop sends them — one at a time or up to 1,000 in
//! one call (all or none) — with `Idempotency-Key`; a customer's orders; the product
//! catalogue the lines name. Through the same service as the profile's order panel.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kehu_backend::insight::orders as service;
use kehu_domain::insight::types::{Order, OrderInput, OrderLineInput, Product};
use kehu_domain::money::amount_plain;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created};
use super::problem::{problem, ProblemDetails};
use super::paging::{page_of, PageParams, Paging};
use super::ApiState;

/// One line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrderLine {
    pub product_id: String,
    pub product_name: String,
    pub quantity: i64,
    /// The line's amount, a decimal number (negative for a return).
    pub amount: String,
}

/// An order (订单).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrder {
    pub id: String,
    pub customer_id: String,
    pub on: NaiveDate,
    /// The seller's own order number, if it has one.
    pub order_no: String,
    pub carrier: String,
    pub lines: Vec<ApiOrderLine>,
    /// Sum of the lines.
    pub total: String,
    pub created_at: DateTime<Utc>,
}

impl From<&Order> for ApiOrder {
    fn from(o: &Order) -> Self {
        ApiOrder {
            id: o.id.clone(),
            customer_id: o.customer_id.clone(),
            on: o.on,
            order_no: o.order_no.clone(),
            carrier: o.carrier.clone(),
            lines: o
                .lines
                .iter()
                .map(|l| ApiOrderLine { product_id: l.product_id.clone(), product_name: l.product_name.clone(), quantity: l.quantity, amount: amount_plain(l.amount_cents) })
                .collect(),
            total: amount_plain(o.total_cents),
            created_at: o.created_at,
        }
    }
}

page_of!(OrderList, ApiOrder, "A page of orders, newest first.");

/// One line of a new order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrderLine {
    /// A product id of `GET /api/v1/products`.
    pub product_id: String,
    pub quantity: i64,
    /// The line's amount as a decimal number, e.g. `1999.00`; negative for a return.
    pub amount: String,
}

/// A new order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    pub customer_id: String,
    /// `YYYY-MM-DD`, not in the future.
    pub on: String,
    #[serde(default)]
    pub order_no: String,
    #[serde(default)]
    pub carrier: String,
    pub lines: Vec<NewOrderLine>,
}

impl NewOrder {
    fn into_input(self) -> (String, OrderInput) {
        let lines = self.lines.into_iter().map(|l| OrderLineInput { product_id: l.product_id, quantity: l.quantity.to_string(), amount: l.amount }).collect();
        (self.customer_id, OrderInput { on: self.on, order_no: self.order_no, carrier: self.carrier, lines })
    }
}

/// Many new orders: all are written, or none (the problems of all come back together).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrders {
    /// 1–1,000 orders.
    pub orders: Vec<NewOrder>,
}

/// What a bulk call made, in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkCreated {
    pub created: usize,
    pub orders: Vec<MadeOrder>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MadeOrder {
    pub id: String,
    pub customer_id: String,
    pub order_no: String,
    pub total: String,
}

/// A product of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiProduct {
    pub id: String,
    pub name: String,
    pub category: String,
    /// List price per unit, a decimal number.
    pub price: String,
}

impl From<&Product> for ApiProduct {
    fn from(p: &Product) -> Self {
        ApiProduct { id: p.id.clone(), name: p.name.clone(), category: p.category.clone(), price: amount_plain(p.price_cents) }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductList {
    pub data: Vec<ApiProduct>,
}

#[utoipa::path(get, path = "/api/v1/products", tag = "orders",
    responses((status = 200, body = ProductList)), security(("token" = ["read"])))]
pub async fn products(State(api): State<ApiState>, _caller: ApiCaller) -> Response {
    axum::Json(ProductList { data: service::products(&api.state).iter().map(ApiProduct::from).collect() }).into_response()
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/orders", tag = "orders", params(("id" = String, Path), PageParams),
    responses((status = 200, body = OrderList), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn of_customer(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, Paging(page): Paging) -> Response {
    match service::list(&api.state, &caller.grant.caller, &id).await.and_then(|orders| page.cut(&orders, |o| ApiOrder::from(o))) {
        Ok(paged) => axum::Json(OrderList::from(paged)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = NewOrder,
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the order is added once")),
    responses((status = 201, body = ApiOrder), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn create(State(api): State<ApiState>, caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text) = (api.state.clone(), caller.grant.caller.clone(), body.clone());
    let work = async move {
        let new: NewOrder = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new order: {e}")))?;
        let (customer, input) = new.into_input();
        let order = service::add_one(&state, &who, &customer, &input).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(ApiOrder::from(&order))).into_response())
    };
    idempotent(&api, &caller, &headers, "POST /api/v1/orders", &body, work).await
}

#[utoipa::path(post, path = "/api/v1/orders/bulk", tag = "orders", request_body = NewOrders,
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the orders are added once")),
    responses((status = 201, body = BulkCreated), (status = 422, body = ProblemDetails, description = "Nothing was written; `errors` names each problem as `orders.⟨i⟩.⟨field⟩`")),
    security(("token" = ["write"])))]
pub async fn bulk(State(api): State<ApiState>, caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text) = (api.state.clone(), caller.grant.caller.clone(), body.clone());
    let work = async move {
        let new: NewOrders = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a list of new orders: {e}")))?;
        let orders: Vec<(String, OrderInput)> = new.orders.into_iter().map(NewOrder::into_input).collect();
        let made = service::add_many(&state, &who, &orders).await.map_err(Created::Error)?;
        let orders: Vec<MadeOrder> = made
            .iter()
            .map(|o| MadeOrder { id: o.id.clone(), customer_id: o.customer_id.clone(), order_no: o.order_no.clone(), total: amount_plain(o.total_cents) })
            .collect();
        Ok((StatusCode::CREATED, axum::Json(BulkCreated { created: orders.len(), orders })).into_response())
    };
    idempotent(&api, &caller, &headers, "POST /api/v1/orders/bulk", &body, work).await
}
