//! `/api/v1/customers`: list (filters, sort, cursor, `?fields=`), read one (with its `ETag`),
//! create (`Idempotency-Key`), change (`If-Match`). Every call goes through the same services
//! as the pages, so rights, validation, duplicate checks and the audit log are theirs.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kehu_backend::access::Need;
use kehu_backend::customers::service;
use kehu_domain::customers::types::{Customer, CustomerInput, CustomerKind, CustomerRow, LifecycleStage, ListQuery, ListSort, Tag};
use kehu_domain::error::AppError;
use kehu_domain::problem::{FieldError, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::auth::ApiCaller;
use super::idempotent::{idempotent, Created, WithLocation};
use super::problem::{if_match, json_body, plain, problem, tagged, ProblemDetails};
use super::{paging, ApiState};

/// Company or individual.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Company,
    Person,
}

/// 线索 lead → 商机 opportunity → 成交 customer, or 流失 churned.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Lead,
    Opportunity,
    Customer,
    Churned,
}

impl From<CustomerKind> for Kind {
    fn from(k: CustomerKind) -> Self {
        match k {
            CustomerKind::Company => Kind::Company,
            CustomerKind::Person => Kind::Person,
        }
    }
}

impl From<Kind> for CustomerKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Company => CustomerKind::Company,
            Kind::Person => CustomerKind::Person,
        }
    }
}

impl From<LifecycleStage> for Stage {
    fn from(s: LifecycleStage) -> Self {
        match s {
            LifecycleStage::Lead => Stage::Lead,
            LifecycleStage::Opportunity => Stage::Opportunity,
            LifecycleStage::Customer => Stage::Customer,
            LifecycleStage::Churned => Stage::Churned,
        }
    }
}

impl From<Stage> for LifecycleStage {
    fn from(s: Stage) -> Self {
        match s {
            Stage::Lead => LifecycleStage::Lead,
            Stage::Opportunity => LifecycleStage::Opportunity,
            Stage::Customer => LifecycleStage::Customer,
            Stage::Churned => LifecycleStage::Churned,
        }
    }
}

/// A customer: what the list gives, and the rest.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCustomer {
    #[serde(flatten)]
    pub summary: CustomerSummary,
    pub email: String,
    /// 统一社会信用代码; empty if not known.
    pub credit_code: String,
    /// The street address (详细地址); empty if not known.
    pub address: String,
    pub notes: String,
    pub created_at: DateTime<Utc>,
    /// Moves on with every change; send it back as `If-Match` to change the customer.
    pub version: i64,
}

impl From<&Customer> for ApiCustomer {
    fn from(c: &Customer) -> Self {
        ApiCustomer {
            summary: CustomerSummary::from(&c.row()),
            email: c.email.clone(),
            credit_code: c.credit_code.clone(),
            address: c.address.clone(),
            notes: c.notes.clone(),
            created_at: c.created_at,
            version: c.version,
        }
    }
}

/// A customer as the list gives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerSummary {
    pub id: String,
    pub kind: Kind,
    pub name: String,
    pub industry: String,
    pub region: String,
    /// Channel of first touch (首次接触渠道).
    pub source: String,
    pub stage: Stage,
    /// The owner's username; empty for the lead pool.
    pub owner: String,
    pub phone: String,
    /// Tags as `dimension:label`, the dimension one of `behavior`, `organization`, `value`.
    pub tags: Vec<String>,
    pub updated_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
}

impl From<&CustomerRow> for CustomerSummary {
    fn from(c: &CustomerRow) -> Self {
        CustomerSummary {
            id: c.id.clone(),
            kind: c.kind.into(),
            name: c.name.clone(),
            industry: c.industry.clone(),
            region: c.region.clone(),
            source: c.source.clone(),
            stage: c.stage.into(),
            owner: c.owner.clone(),
            phone: c.phone.clone(),
            tags: c.tags.iter().map(Tag::key).collect(),
            updated_at: c.updated_at,
            last_contact_at: c.last_contact_at,
        }
    }
}

/// A page of customers.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    /// The customers (only the `fields` asked for, when given).
    #[schema(value_type = Vec<CustomerSummary>)]
    pub data: Vec<serde_json::Value>,
    /// How many customers match the filters.
    pub total: u64,
    /// Give as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// How the list is sorted.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    Updated,
    Created,
    Name,
    LastContact,
    Stale,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Free text: name, phone, e-mail, contacts.
    pub q: Option<String>,
    pub stage: Option<Stage>,
    /// A tag as `dimension:label`.
    pub tag: Option<String>,
    pub region: Option<String>,
    /// An owner's username.
    pub owner: Option<String>,
    #[param(inline)]
    pub sort: Option<Sort>,
    /// 1–100 (25 when not given).
    pub limit: Option<u32>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Comma-separated fields to return, e.g. `id,name,phone`.
    pub fields: Option<String>,
}

/// The new customer, or the changes to one (absent fields keep their value).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerWrite {
    pub kind: Option<Kind>,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub stage: Option<Stage>,
    /// On create only: the owner's username (a rep's customers are always their own).
    pub owner: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    /// On create only: tags as `dimension:label`.
    pub tags: Option<Vec<String>>,
    /// Save even though it looks like an existing customer (a 409 listed them).
    #[serde(default)]
    pub confirm_not_duplicate: bool,
}

impl CustomerWrite {
    /// The form after these changes, or the fields this API cannot change that way.
    fn apply(self, mut input: CustomerInput, creating: bool) -> Result<(CustomerInput, bool), Vec<FieldError>> {
        let mut problems = Vec::new();
        if let Some(v) = self.kind {
            input.kind = v.into();
        }
        if let Some(v) = self.stage {
            input.stage = v.into();
        }
        let text = |target: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *target = v;
            }
        };
        text(&mut input.name, self.name);
        text(&mut input.industry, self.industry);
        text(&mut input.region, self.region);
        text(&mut input.source, self.source);
        text(&mut input.phone, self.phone);
        text(&mut input.email, self.email);
        text(&mut input.credit_code, self.credit_code);
        text(&mut input.address, self.address);
        text(&mut input.notes, self.notes);
        match (self.owner, creating) {
            (Some(v), true) => input.owner = v,
            (Some(_), false) => problems.push(FieldError::new("owner", Problem::UnknownChoice)),
            (None, _) => {}
        }
        match (self.tags, creating) {
            (Some(tags), true) => {
                input.tags = Vec::new();
                for key in tags {
                    match Tag::from_key(&key) {
                        Some(tag) => input.tags.push(tag),
                        None => problems.push(FieldError::new("tags", Problem::UnknownChoice)),
                    }
                }
            }
            (Some(_), false) => problems.push(FieldError::new("tags", Problem::UnknownChoice)),
            (None, _) => {}
        }
        if problems.is_empty() {
            Ok((input, self.confirm_not_duplicate))
        } else {
            Err(problems)
        }
    }
}

fn list_query(params: &ListParams) -> Result<(ListQuery, Option<Vec<String>>), AppError> {
    let per_page = paging::limit(params.limit, 25)?;
    // The cursor is the next page's number.
    let page = paging::cursor(params.cursor.as_deref(), 'p', 2)?.unwrap_or(1);
    let fields = paging::fields(params.fields.as_deref(), &paging::names_of::<CustomerSummary>())?;
    let sort = match params.sort {
        None | Some(Sort::Updated) => ListSort::Updated,
        Some(Sort::Created) => ListSort::Created,
        Some(Sort::Name) => ListSort::Name,
        Some(Sort::LastContact) => ListSort::LastContact,
        Some(Sort::Stale) => ListSort::Stale,
    };
    let query = ListQuery {
        q: params.q.clone().unwrap_or_default(),
        stage: params.stage.map(Into::into),
        tag: params.tag.clone().filter(|t| !t.is_empty()),
        region: params.region.clone().filter(|r| !r.is_empty()),
        owner: params.owner.clone().filter(|o| !o.is_empty()),
        segment: None,
        sort,
        page,
        per_page,
    };
    Ok((query, fields))
}

#[utoipa::path(get, path = "/api/v1/customers", tag = "customers", params(ListParams),
    responses((status = 200, body = CustomerList), (status = 422, body = ProblemDetails), (status = 401, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn list(State(api): State<ApiState>, caller: ApiCaller, params: Result<Query<ListParams>, axum::extract::rejection::QueryRejection>) -> Response {
    let Ok(Query(params)) = params else {
        return plain(StatusCode::BAD_REQUEST, "the query parameters are not understood (stage, sort and limit take the values the API document lists)");
    };
    let (query, fields) = match list_query(&params) {
        Ok(q) => q,
        Err(e) => return problem(&e, caller.lang),
    };
    let page = service::list(&api.state, &caller.grant.caller, &query);
    let next_cursor = (page.page < page.page_count()).then(|| format!("p{}", page.page + 1));
    let data = page
        .rows
        .iter()
        .map(|row| paging::only(&CustomerSummary::from(row), &fields))
        .collect();
    axum::Json(CustomerList { data, total: page.total, next_cursor }).into_response()
}

fn with_etag(status: StatusCode, customer: &Customer) -> Response {
    tagged((status, axum::Json(ApiCustomer::from(customer))).into_response(), customer.version)
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers", params(("id" = String, Path)),
    responses((status = 200, body = ApiCustomer, headers(("ETag" = String))), (status = 404, body = ProblemDetails)),
    security(("token" = ["read"])))]
pub async fn get(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>) -> Response {
    match service::fetch(&api.state, &caller.grant.caller, &id, Need::See).await {
        Ok((_, customer)) => with_etag(StatusCode::OK, &service::named(&api.state, customer)),
        Err(e) => problem(&e, caller.lang),
    }
}

#[utoipa::path(post, path = "/api/v1/customers", tag = "customers", request_body = CustomerWrite,
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent again with a retry, the customer is created once and the same answer returned")),
    responses((status = 201, body = ApiCustomer, headers(("ETag" = String), ("Location" = String))),
        (status = 409, body = ProblemDetails, description = "Looks like existing customers (listed); send again with confirm_not_duplicate"),
        (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn create(State(api): State<ApiState>, caller: ApiCaller, headers: HeaderMap, body: Bytes) -> Response {
    let (state, who, text) = (api.state.clone(), caller.grant.caller.clone(), body.clone());
    let work = async move {
        let write: CustomerWrite = serde_json::from_slice(&text).map_err(|e| Created::BadBody(format!("the body is not a new customer: {e}")))?;
        let (input, confirm) = write.apply(CustomerInput::default(), true).map_err(|p| Created::Error(AppError::Invalid(p)))?;
        let customer = service::create(&state, &who, &input, confirm).await.map_err(Created::Error)?;
        Ok(with_etag(StatusCode::CREATED, &customer).with_location(format!("/api/v1/customers/{}", customer.id)))
    };
    idempotent(&api, &caller, &headers, "POST /api/v1/customers", &body, work).await
}

#[utoipa::path(patch, path = "/api/v1/customers/{id}", tag = "customers", request_body = CustomerWrite,
    params(("id" = String, Path), ("If-Match" = String, Header, description = "The ETag the change was made on")),
    responses((status = 200, body = ApiCustomer, headers(("ETag" = String))),
        (status = 409, body = ProblemDetails, description = "Changed since that version (current_version says to what)"),
        (status = 428, body = ProblemDetails, description = "No If-Match"),
        (status = 422, body = ProblemDetails)),
    security(("token" = ["write"])))]
pub async fn patch(State(api): State<ApiState>, caller: ApiCaller, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(version) = if_match(&headers) else {
        return plain(StatusCode::PRECONDITION_REQUIRED, "send If-Match with the ETag of the customer as you read it");
    };
    let write: CustomerWrite = match json_body(&body, "a customer change") {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let state = &api.state;
    let result = async {
        let (_, current) = service::fetch(state, &caller.grant.caller, &id, Need::Change).await?;
        let (input, confirm) = write.apply(CustomerInput::from_customer(&current), false).map_err(AppError::Invalid)?;
        service::update(state, &caller.grant.caller, &id, &input, version, confirm).await
    }
    .await;
    match result {
        Ok(customer) => with_etag(StatusCode::OK, &customer),
        Err(e) => problem(&e, caller.lang),
    }
}
