//! The REST API under `/api/v1`: what other programs may rely on. A request carries a
//! personal access token (`Authorization: Bearer kehu_…`) and acts as the token's user,
//! through the same services as the pages; errors are problem details; the OpenAPI 3.1
//! document is generated from the handlers and types below (utoipa), served at
//! `/api/v1/openapi.json`.

mod auth;
mod contacts;
mod customers;
mod deals;
mod docs;
mod follow_ups;
mod idempotent;
mod me;
mod money;
mod orders;
mod paging;
pub mod problem;
mod reminders;
mod surveys;
mod tickets;
mod users;

use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use kehu_backend::AppState;
use kehu_domain::i18n::Lang;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// What the API's handlers share: the application, and the language answers take when the
/// request does not ask for one.
#[derive(Clone)]
pub struct ApiState {
    pub state: AppState,
    pub default_lang: Lang,
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Kehu API", version = "1", description = "Kehu's REST API. Every request carries a personal access token (made on the page 我的 API 令牌 / My API tokens) as `Authorization: Bearer kehu_…` and acts as its user, with the same rights as in the browser. Errors are RFC 9457 problem details in the language of `Accept-Language` (zh-CN or en). A token makes at most `KEHU_API_RATE` requests a minute (600 unless set); past that 429 with Retry-After."),
    paths(
        me::me,
        customers::list, customers::get, customers::create, customers::patch,
        contacts::list, contacts::create,
        follow_ups::list, follow_ups::create,
        deals::pipeline, deals::of_customer, deals::get, deals::create, deals::move_to, deals::close,
        money::quotes, money::quote, money::add_quote, money::contract, money::save_contract, money::add_instalment, money::add_payment,
        orders::products, orders::of_customer, orders::create, orders::bulk,
        reminders::list, reminders::handle,
        tickets::queue, tickets::of_customer, tickets::get, tickets::open, tickets::work,
        surveys::of_customer, surveys::send,
        users::list,
    ),
    modifiers(&BearerToken),
    tags(
        (name = "customers", description = "Customers (客户) with their tags, contacts (联系人) and follow-ups (跟进记录)"),
        (name = "deals", description = "Deals (商机) through the funnel's stages, with the stage rules the board enforces; their quotes (报价), contract (合同), payment plan and payments (回款)"),
        (name = "orders", description = "Orders (订单), one at a time or in bulk, and the product catalogue"),
        (name = "reminders", description = "The token's user's reminders (提醒)"),
        (name = "tickets", description = "Service tickets (工单) with their SLA clocks in working time, and satisfaction surveys (满意度调查)"),
        (name = "users", description = "The company's people"),
        (name = "tokens", description = "The token in use"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("token", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// The OpenAPI document as JSON.
pub fn document() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default()
}

async fn openapi_json() -> axum::response::Response {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], document()).into_response()
}

pub fn routes<S: Clone + Send + Sync + 'static>(state: AppState, default_lang: Lang) -> Router<S> {
    let api = ApiState { state, default_lang };
    Router::new()
        .route(OPENAPI_PATH, get(openapi_json))
        .route(docs::DOCS_PATH, get(docs::docs))
        .route("/api/v1/me", get(me::me).with_state(api.clone()))
        .route("/api/v1/customers", get(customers::list).post(customers::create).with_state(api.clone()))
        .route("/api/v1/customers/{id}", get(customers::get).patch(customers::patch).with_state(api.clone()))
        .route("/api/v1/customers/{id}/contacts", get(contacts::list).post(contacts::create).with_state(api.clone()))
        .route("/api/v1/customers/{id}/follow-ups", get(follow_ups::list).post(follow_ups::create).with_state(api.clone()))
        .route("/api/v1/customers/{id}/deals", get(deals::of_customer).with_state(api.clone()))
        .route("/api/v1/customers/{id}/orders", get(orders::of_customer).with_state(api.clone()))
        .route("/api/v1/pipeline", get(deals::pipeline).with_state(api.clone()))
        .route("/api/v1/deals", post(deals::create).with_state(api.clone()))
        .route("/api/v1/deals/{id}", get(deals::get).with_state(api.clone()))
        .route("/api/v1/deals/{id}/move", post(deals::move_to).with_state(api.clone()))
        .route("/api/v1/deals/{id}/close", post(deals::close).with_state(api.clone()))
        .route("/api/v1/deals/{id}/quotes", get(money::quotes).post(money::add_quote).with_state(api.clone()))
        .route("/api/v1/quotes/{id}", get(money::quote).with_state(api.clone()))
        .route("/api/v1/deals/{id}/contract", get(money::contract).put(money::save_contract).with_state(api.clone()))
        .route("/api/v1/deals/{id}/contract/instalments", post(money::add_instalment).with_state(api.clone()))
        .route("/api/v1/deals/{id}/contract/payments", post(money::add_payment).with_state(api.clone()))
        .route("/api/v1/products", get(orders::products).with_state(api.clone()))
        .route("/api/v1/orders", post(orders::create).with_state(api.clone()))
        .route("/api/v1/orders/bulk", post(orders::bulk).with_state(api.clone()))
        .route("/api/v1/reminders", get(reminders::list).with_state(api.clone()))
        .route("/api/v1/reminders/{id}", post(reminders::handle).with_state(api.clone()))
        .route("/api/v1/customers/{id}/tickets", get(tickets::of_customer).post(tickets::open).with_state(api.clone()))
        .route("/api/v1/customers/{id}/surveys", get(surveys::of_customer).post(surveys::send).with_state(api.clone()))
        .route("/api/v1/tickets", get(tickets::queue).with_state(api.clone()))
        .route("/api/v1/tickets/{id}", get(tickets::get).post(tickets::work).with_state(api.clone()))
        .route("/api/v1/users", get(users::list).with_state(api))
}
