//! `/api/v1/deals` and the funnel's stages: read a deal (with its `ETag`), a customer's
//! deals, create one (`Idempotency-Key`), move it to another stage and close it won or lost
//! (`If-Match`) — through the pipeline's services, so the stage rules (金额, 需求分析, 报价,
//! 已签合同) hold for a program exactly as on the board.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kehu_backend::pipeline::deals as service;
use kehu_domain::error::AppError;
use kehu_domain::i18n::Lang;
use kehu_domain::money::amount_plain;
use kehu_domain::pipeline::types::{Deal, DealInput, DealStatus, Pipeline};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created, WithLocation};
use super::problem::{if_match, json_body, plain, problem, tagged, ProblemDetails};
use super::ApiState;

/// Open, or ended won or lost.
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Won,
    Lost,
}

impl From<DealStatus> for Status {
    fn from(s: DealStatus) -> Self {
        match s {
            DealStatus::Open => Status::Open,
            DealStatus::Won => Status::Won,
            DealStatus::Lost => Status::Lost,
        }
    }
}

/// A deal (商机).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDeal {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    /// A decimal number, e.g. `120000.00`.
    pub amount: String,
    /// ISO 4217, e.g. `CNY`.
    pub currency: String,
    /// A stage key of `GET /api/v1/pipeline`.
    pub stage: String,
    pub status: Status,
    pub lost_reason: String,
    pub expected_close: NaiveDate,
    /// The rep's own win estimate in percent, if given.
    pub probability: Option<u8>,
    pub products: Vec<String>,
    pub competitor: String,
    /// The customer's owner (a deal belongs to whoever owns its customer).
    pub owner: String,
    pub next_step: String,
    pub needs_analysis: String,
    /// Quotes made so far.
    pub quotes: u32,
    pub contract_signed: bool,
    pub stage_entered_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Send it back as `If-Match` to move or close the deal.
    pub version: i64,
}

impl From<&Deal> for ApiDeal {
    fn from(d: &Deal) -> Self {
        ApiDeal {
            id: d.id.clone(),
            customer_id: d.customer_id.clone(),
            customer_name: d.customer_name.clone(),
            title: d.title.clone(),
            amount: amount_plain(d.amount_cents),
            currency: d.currency.clone(),
            stage: d.stage.clone(),
            status: d.status.into(),
            lost_reason: d.lost_reason.clone(),
            expected_close: d.expected_close,
            probability: d.probability,
            products: d.products.clone(),
            competitor: d.competitor.clone(),
            owner: d.owner.clone(),
            next_step: d.next_step.clone(),
            needs_analysis: d.needs_analysis.clone(),
            quotes: d.facts.quotes,
            contract_signed: d.facts.contract_signed,
            stage_entered_at: d.stage_entered_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
            closed_at: d.closed_at,
            version: d.version,
        }
    }
}

/// A customer's deals.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealList {
    pub data: Vec<ApiDeal>,
}

/// A new deal; it starts in the funnel's first stage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeal {
    pub customer_id: String,
    pub title: String,
    /// A decimal number, e.g. `120000` or `12500.50`.
    #[serde(default)]
    pub amount: String,
    /// ISO 4217; `CNY` when not given.
    #[serde(default)]
    pub currency: String,
    /// `YYYY-MM-DD`.
    pub expected_close: String,
    /// 0–100.
    pub probability: Option<u8>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub competitor: String,
    #[serde(default)]
    pub next_step: String,
    #[serde(default)]
    pub needs_analysis: String,
}

impl NewDeal {
    fn input(self) -> DealInput {
        DealInput {
            customer_id: self.customer_id,
            title: self.title,
            amount: self.amount,
            currency: self.currency,
            expected_close: self.expected_close,
            probability: self.probability.map(|p| p.to_string()).unwrap_or_default(),
            products: self.products.join(","),
            competitor: self.competitor,
            next_step: self.next_step,
            needs_analysis: self.needs_analysis,
        }
    }
}

/// Where to move an open deal.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveDeal {
    /// A stage key of `GET /api/v1/pipeline`.
    pub stage: String,
}

/// How an open deal ends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseDeal {
    pub won: bool,
    /// Required when lost.
    #[serde(default)]
    pub lost_reason: String,
}

/// One stage of the funnel.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStage {
    pub key: String,
    pub name: String,
    /// What a deal needs before it may enter: `amount`, `needs_analysis`, `quote`,
    /// `signed_contract`.
    pub requires: Vec<String>,
    /// Win chance of a deal here before any history exists, in percent.
    pub probability: u8,
}

/// The funnel's stages in order; `won` and `lost` end it (`POST /deals/{id}/close`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPipeline {
    pub stages: Vec<ApiStage>,
}

fn stages_of(pipeline: &Pipeline, lang: Lang) -> ApiPipeline {
    ApiPipeline {
        stages: pipeline
            .stages
            .iter()
            .map(|s| ApiStage {
                key: s.key.clone(),
                name: if lang == Lang::En { s.name_en.clone() } else { s.name_zh.clone() },
                requires: s.requires.iter().map(|r| r.as_str().to_string()).collect(),
                probability: s.probability,
            })
            .collect(),
    }
}

fn with_etag(status: StatusCode, deal: &Deal) -> Response {
    tagged((status, axum::Json(ApiDeal::from(deal))).into_response(), deal.version)
}

#[utoipa::path(get, path = "/api/v1/pipeline", tag = "deals",
    responses((status = 200, body = ApiPipeline)), security(("token" = ["read"])))]
pub async fn pipeline(State(api): State<ApiState>, caller: ApiCaller) -> Response {
    axum::Json(stages_of(&api.state.policy.pipeline, caller.lang)).into_response()
}

#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = ApiDeal, headers(("ETag" = String))), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn get(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::get(&api.state, &caller.grant.caller, &id).await {
        Ok(deal) => with_etag(StatusCode::OK, &deal),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/deals", tag = "deals", params(("id" = String, Path)),
    responses((status = 200, body = DealList), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn of_customer(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::of_customer(&api.state, &caller.grant.caller, &id).await {
        Ok(deals) => axum::Json(DealList { data: deals.iter().map(ApiDeal::from).collect() }).into_response(),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/deals", tag = "deals", request_body = NewDeal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the deal is created once and the same answer returned")),
    responses((status = 201, body = ApiDeal, headers(("ETag" = String), ("Location" = String))),
        (status = 404, body = ProblemDetails, description = "No such customer, or not one the token's user may change"),
        (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn create(State(api): State<ApiState>, caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text) = (api.state.clone(), caller.grant.caller.clone(), body.clone());
    let work = async move {
        let new: NewDeal = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new deal: {e}")))?;
        let deal = service::create(&state, &who, &new.input()).await.map_err(Created::Error)?;
        Ok(with_etag(StatusCode::CREATED, &deal).with_location(format!("/api/v1/deals/{}", deal.id)))
    };
    idempotent(&api, &caller, &headers, "POST /api/v1/deals", &body, work).await
}

/// The deal as it is now after a stale `If-Match`: 409 with its current version and `ETag`.
async fn changed_meanwhile(api: &ApiState, caller: &ApiCaller, id: &str) -> Response {
    match service::get(&api.state, &caller.grant.caller, id).await {
        Ok(deal) => {
            let detail = match caller.lang {
                Lang::Zh => "商机已被他人修改或已结束；请按当前版本重新操作",
                Lang::En => "The deal was changed or closed meanwhile; read it again and retry with its current version",
            };
            tagged(plain(StatusCode::CONFLICT, detail), deal.version)
        }
        Err(e) => problem(&e, caller.lang),
    }
}

const NO_IF_MATCH: &str = "send If-Match with the ETag of the deal as you read it";

/// The deal after a move or a close, or the problem.
async fn answer(api: &ApiState, caller: &ApiCaller, id: &str, result: Result<Deal, AppError>) -> Response {
    match result {
        Ok(deal) => with_etag(StatusCode::OK, &deal),
        Err(AppError::DealChanged) => changed_meanwhile(api, caller, id).await,
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/move", tag = "deals", request_body = MoveDeal,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag the move was decided on")),
    responses((status = 200, body = ApiDeal, headers(("ETag" = String))),
        (status = 409, body = ProblemDetails, description = "Changed or closed since that version"),
        (status = 422, body = ProblemDetails, description = "An unknown stage, or what the stage requires is missing (`missing`)"),
        (status = 428, body = ProblemDetails, description = "No If-Match")),
    security(("token" = ["write"])))]
pub async fn move_to(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(version) = if_match(&headers) else { return plain(StatusCode::PRECONDITION_REQUIRED, NO_IF_MATCH) };
    let request: MoveDeal = match json_body(&body, "a move") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    // The move answers with the board's card; the API answers with the whole deal.
    let who = &caller.grant.caller;
    let result = match service::move_to(&api.state, who, &id, &request.stage, version).await {
        Ok(_) => service::get(&api.state, who, &id).await,
        Err(e) => Err(e),
    };
    answer(&api, &caller, &id, result).await
}

#[utoipa::path(post, path = "/api/v1/deals/{id}/close", tag = "deals", request_body = CloseDeal,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag the decision was made on")),
    responses((status = 200, body = ApiDeal, headers(("ETag" = String))),
        (status = 409, body = ProblemDetails, description = "Changed or closed since that version"),
        (status = 422, body = ProblemDetails, description = "Won without what signing needs (`missing`), or lost without a reason"),
        (status = 428, body = ProblemDetails, description = "No If-Match")),
    security(("token" = ["write"])))]
pub async fn close(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(version) = if_match(&headers) else { return plain(StatusCode::PRECONDITION_REQUIRED, NO_IF_MATCH) };
    let request: CloseDeal = match json_body(&body, "a close") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let result = service::close(&api.state, &caller.grant.caller, &id, request.won, &request.lost_reason, version).await;
    answer(&api, &caller, &id, result).await
}
