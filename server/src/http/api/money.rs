//! A deal's money in `/api/v1`: its quotes (报价), its one contract (合同) with the payment
//! plan and the payments received (回款) — what an ERP books. Through the pipeline's money
//! services, so the same checks hold as on the deal's page, and a signed contract or a
//! quote counts toward the stage rules exactly as there.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kehu_backend::pipeline::money as service;
use kehu_domain::error::AppError;
use kehu_domain::money::amount_plain;
use kehu_domain::pipeline::types::{Contract, ContractInput, MoneyOnDateInput, Quote, QuoteInput, QuoteLine, QuoteLineInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created, WithLocation};
use super::problem::{json_body, problem, ProblemDetails};
use super::ApiState;

/// One line of a quote.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiQuoteLine {
    pub product: String,
    pub quantity: u32,
    /// A decimal number, e.g. `1200.00`.
    pub unit_price: String,
    /// In percent, e.g. `12.5`.
    pub discount: String,
}

/// A quote (报价单) of a deal.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiQuote {
    pub id: String,
    pub deal_id: String,
    /// e.g. `BJ-20261205-A1B2C3`.
    pub number: String,
    pub lines: Vec<ApiQuoteLine>,
    /// After discounts, a decimal number.
    pub total: String,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl From<&QuoteLine> for ApiQuoteLine {
    fn from(l: &QuoteLine) -> Self {
        ApiQuoteLine { product: l.product.clone(), quantity: l.quantity, unit_price: amount_plain(l.unit_price_cents), discount: l.discount_percent() }
    }
}

impl From<&Quote> for ApiQuote {
    fn from(q: &Quote) -> Self {
        ApiQuote {
            id: q.id.clone(),
            deal_id: q.deal_id.clone(),
            number: q.number.clone(),
            lines: q.lines.iter().map(ApiQuoteLine::from).collect(),
            total: amount_plain(q.total_cents),
            currency: q.currency.clone(),
            valid_until: q.valid_until,
            created_at: q.created_at,
        }
    }
}

/// A deal's quotes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteList {
    pub data: Vec<ApiQuote>,
}

/// A line of a new quote.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuoteLine {
    /// A product's name (see `GET /api/v1/products`) or any text.
    pub product: String,
    pub quantity: u32,
    /// A decimal number, e.g. `1200` or `1200.50`.
    pub unit_price: String,
    /// In percent, e.g. `10` or `12.5`; none when not given.
    #[serde(default)]
    pub discount: String,
}

/// A new quote; its number and total are worked out.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewQuote {
    pub lines: Vec<NewQuoteLine>,
    /// `YYYY-MM-DD`, today or later.
    pub valid_until: String,
}

impl NewQuote {
    fn input(self) -> QuoteInput {
        QuoteInput {
            lines: self
                .lines
                .into_iter()
                .map(|l| QuoteLineInput { product: l.product, quantity: l.quantity.to_string(), unit_price: l.unit_price, discount: l.discount })
                .collect(),
            valid_until: self.valid_until,
        }
    }
}

/// A planned instalment of the payment plan (回款计划).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiInstalment {
    pub due: NaiveDate,
    pub amount: String,
}

/// Money received (回款).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPayment {
    pub received_on: NaiveDate,
    pub amount: String,
}

/// A deal's contract (合同).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiContract {
    pub id: String,
    pub deal_id: String,
    pub number: String,
    pub amount: String,
    pub currency: String,
    pub start: NaiveDate,
    /// Renewal reminders count back from it.
    pub end: NaiveDate,
    /// Absent while unsigned.
    pub signed_on: Option<NaiveDate>,
    pub instalments: Vec<ApiInstalment>,
    pub payments: Vec<ApiPayment>,
    /// The payments' sum.
    pub received: String,
    /// What the contract's amount still lacks.
    pub outstanding: String,
    pub created_at: DateTime<Utc>,
}

impl From<&Contract> for ApiContract {
    fn from(c: &Contract) -> Self {
        let received = c.received_cents();
        ApiContract {
            id: c.id.clone(),
            deal_id: c.deal_id.clone(),
            number: c.number.clone(),
            amount: amount_plain(c.amount_cents),
            currency: c.currency.clone(),
            start: c.start,
            end: c.end,
            signed_on: c.signed_on,
            instalments: c.instalments.iter().map(|i| ApiInstalment { due: i.due, amount: amount_plain(i.amount_cents) }).collect(),
            payments: c.payments.iter().map(|p| ApiPayment { received_on: p.received_on, amount: amount_plain(p.amount_cents) }).collect(),
            received: amount_plain(received),
            outstanding: amount_plain((c.amount_cents - received).max(0)),
            created_at: c.created_at,
        }
    }
}

/// The deal's contract as it should be (made on the first call, changed on later ones).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractWrite {
    pub number: String,
    /// A decimal number.
    pub amount: String,
    /// `YYYY-MM-DD`.
    pub start: String,
    /// `YYYY-MM-DD`, after `start`.
    pub end: String,
    /// `YYYY-MM-DD`, not in the future; absent or empty while unsigned.
    #[serde(default)]
    pub signed_on: String,
}

/// An amount on a date: an instalment planned, or a payment received.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoneyOnDate {
    /// `YYYY-MM-DD`: the instalment's due date, or the day the payment was received (not in the future).
    pub date: String,
    /// A decimal number.
    pub amount: String,
}

fn contract_answer(status: StatusCode, contract: &Contract) -> Response {
    (status, axum::Json(ApiContract::from(contract))).into_response()
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/quotes", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = QuoteList), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn quotes(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::quotes_of(&api.state, &caller.grant.caller, &id).await {
        Ok(quotes) => axum::Json(QuoteList { data: quotes.iter().map(ApiQuote::from).collect() }).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(get, path = "/api/v1/quotes/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = ApiQuote), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn quote(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::quote(&api.state, &caller.grant.caller, &id).await {
        Ok((quote, _)) => axum::Json(ApiQuote::from(&quote)).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/quotes", tag = "deals", request_body = NewQuote,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the quote is made once")),
    responses((status = 201, body = ApiQuote, headers(("Location" = String))), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn add_quote(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text, deal) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: NewQuote = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new quote: {e}")))?;
        let quote = service::add_quote(&state, &who, &deal, &new.input()).await.map_err(Created::Error)?;
        Ok((StatusCode::CREATED, axum::Json(ApiQuote::from(&quote))).into_response().with_location(format!("/api/v1/quotes/{}", quote.id)))
    };
    idempotent(&api, &caller, &headers, &format!("POST /api/v1/deals/{id}/quotes"), &body, work).await
}

#[utoipa::path(get, path = "/api/v1/deals/{id}/contract", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = ApiContract), (status = 403, body = ProblemDetails), (status = 404, body = ProblemDetails, description = "No such deal, or it has no contract yet")),
    security(("token" = ["read"])))]
pub async fn contract(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::contract_of(&api.state, &caller.grant.caller, &id).await {
        Ok(Some(contract)) => contract_answer(StatusCode::OK, &contract),
        Ok(None) => problem(&AppError::NotFound, caller.lang),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(put, path = "/api/v1/deals/{id}/contract", tag = "deals", request_body = ContractWrite, params(("id" = String, Path)),
    responses((status = 200, body = ApiContract), (status = 404, body = ProblemDetails), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn save_contract(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, body: Bytes) -> Response {
    let write: ContractWrite = match json_body(&body, "a contract") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let input = ContractInput { number: write.number, amount: write.amount, start: write.start, end: write.end, signed_on: write.signed_on };
    match service::save_contract(&api.state, &caller.grant.caller, &id, &input).await {
        Ok(contract) => contract_answer(StatusCode::OK, &contract),
        Err(e) => problem(&e, caller.lang),
    }
}

/// An instalment or a payment added to the deal's contract, once per `Idempotency-Key`.
async fn add_money(api: ApiState, caller: ApiCaller, id: String, headers: HeaderMap, body: Bytes, received: bool) -> Response {
    let (state, who, text, deal) = (api.state.clone(), caller.grant.caller.clone(), body.clone(), id.clone());
    let work = async move {
        let new: MoneyOnDate = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a date and an amount: {e}")))?;
        let input = MoneyOnDateInput { date: new.date, amount: new.amount };
        let contract = service::add_money(&state, &who, &deal, &input, received).await.map_err(Created::Error)?;
        Ok(contract_answer(StatusCode::CREATED, &contract))
    };
    let route = format!("POST /api/v1/deals/{id}/contract/{}", if received { "payments" } else { "instalments" });
    idempotent(&api, &caller, &headers, &route, &body, work).await
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/contract/instalments", tag = "deals", request_body = MoneyOnDate,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the instalment is added once")),
    responses((status = 201, body = ApiContract, description = "The contract with the instalment"), (status = 404, body = ProblemDetails, description = "No such deal, or it has no contract yet"), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn add_instalment(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    add_money(api, caller, id, headers, body, false).await
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/contract/payments", tag = "deals", request_body = MoneyOnDate,
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry (an ERP's booking run), the payment is counted once")),
    responses((status = 201, body = ApiContract, description = "The contract with the payment"), (status = 404, body = ProblemDetails, description = "No such deal, or it has no contract yet"), (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn add_payment(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    add_money(api, caller, id, headers, body, true).await
}
