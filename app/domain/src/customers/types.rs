//! The customer 360 vocabulary shared by server and browser. Record ids travel as plain
//! strings (the key part only); the store turns them into SurrealDB record ids.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Company (企业客户) or individual (个人客户).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CustomerKind {
    #[default]
    Company,
    Person,
}

impl CustomerKind {
    pub const ALL: [CustomerKind; 2] = [CustomerKind::Company, CustomerKind::Person];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Person => "person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a customer stands in its life with us: 线索 → 商机 → 成交, or 流失.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    #[default]
    Lead,
    Opportunity,
    Customer,
    Churned,
}

impl LifecycleStage {
    pub const ALL: [LifecycleStage; 4] = [
        LifecycleStage::Lead,
        LifecycleStage::Opportunity,
        LifecycleStage::Customer,
        LifecycleStage::Churned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleStage::Lead => "lead",
            LifecycleStage::Opportunity => "opportunity",
            LifecycleStage::Customer => "customer",
            LifecycleStage::Churned => "churned",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The three dimensions a tag can describe a customer in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagDimension {
    /// 行为: how they buy, e.g. 价格敏感型.
    Behavior,
    /// 组织: how their organisation works, e.g. 决策链长.
    Organization,
    /// 价值: what they are worth to us, e.g. VIP.
    Value,
}

impl TagDimension {
    pub const ALL: [TagDimension; 3] =
        [TagDimension::Behavior, TagDimension::Organization, TagDimension::Value];

    pub fn as_str(self) -> &'static str {
        match self {
            TagDimension::Behavior => "behavior",
            TagDimension::Organization => "organization",
            TagDimension::Value => "value",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tag {
    pub dimension: TagDimension,
    pub label: String,
}

impl Tag {
    pub fn new(dimension: TagDimension, label: impl Into<String>) -> Self {
        Tag { dimension, label: label.into() }
    }

    /// The stable text form `dimension:label`, used in URLs and in the store.
    pub fn key(&self) -> String {
        format!("{}:{}", self.dimension.as_str(), self.label)
    }

    pub fn from_key(key: &str) -> Option<Self> {
        let (dim, label) = key.split_once(':')?;
        let label = label.trim();
        if label.is_empty() {
            return None;
        }
        Some(Tag { dimension: TagDimension::parse(dim)?, label: label.to_string() })
    }
}

/// One kind of touchpoint on the timeline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TouchpointKind {
    #[default]
    Call,
    Visit,
    Email,
    Chat,
    WebVisit,
    Download,
    Note,
}

impl TouchpointKind {
    pub const ALL: [TouchpointKind; 7] = [
        TouchpointKind::Call,
        TouchpointKind::Visit,
        TouchpointKind::Email,
        TouchpointKind::Chat,
        TouchpointKind::WebVisit,
        TouchpointKind::Download,
        TouchpointKind::Note,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TouchpointKind::Call => "call",
            TouchpointKind::Visit => "visit",
            TouchpointKind::Email => "email",
            TouchpointKind::Chat => "chat",
            TouchpointKind::WebVisit => "web_visit",
            TouchpointKind::Download => "download",
            TouchpointKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A customer as stored and shown on the profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    pub id: String,
    pub kind: CustomerKind,
    pub name: String,
    pub industry: String,
    pub region: String,
    /// Channel of first touch (首次接触渠道), e.g. 官网, 展会, 转介绍.
    pub source: String,
    pub stage: LifecycleStage,
    /// The username of the rep who owns the customer; empty for the lead pool.
    pub owner: String,
    /// The owner's display name (filled in by the server from the user list).
    #[serde(default)]
    pub owner_name: String,
    pub phone: String,
    pub email: String,
    /// 统一社会信用代码 (unified social credit code) of a company; empty if not known.
    #[serde(default)]
    pub credit_code: String,
    /// Where the customer is visited or deliveries go (详细地址), as typed; the profile opens
    /// it in the phone's map app.
    #[serde(default)]
    pub address: String,
    pub notes: String,
    pub tags: Vec<Tag>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
    /// Bumped on every change; an edit names the version it started from.
    pub version: i64,
}

impl Customer {
    /// The customer as a list shows it.
    pub fn row(&self) -> CustomerRow {
        CustomerRow {
            id: self.id.clone(),
            kind: self.kind,
            name: self.name.clone(),
            industry: self.industry.clone(),
            region: self.region.clone(),
            source: self.source.clone(),
            stage: self.stage,
            owner: self.owner.clone(),
            owner_name: self.owner_name.clone(),
            phone: self.phone.clone(),
            tags: self.tags.clone(),
            updated_at: self.updated_at,
            last_contact_at: self.last_contact_at,
        }
    }
}

/// What a person types into the customer form; validated before anything is stored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerInput {
    pub kind: CustomerKind,
    pub name: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub stage: LifecycleStage,
    pub owner: String,
    pub phone: String,
    pub email: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub address: String,
    pub notes: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

impl CustomerInput {
    pub fn from_customer(c: &Customer) -> Self {
        CustomerInput {
            kind: c.kind,
            name: c.name.clone(),
            industry: c.industry.clone(),
            region: c.region.clone(),
            source: c.source.clone(),
            stage: c.stage,
            owner: c.owner.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            credit_code: c.credit_code.clone(),
            address: c.address.clone(),
            notes: c.notes.clone(),
            tags: c.tags.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactInput {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    /// `YYYY-MM-DD` or empty, as typed.
    pub birthday: String,
}

impl ContactInput {
    pub fn from_contact(c: &Contact) -> Self {
        ContactInput {
            name: c.name.clone(),
            title: c.title.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            birthday: c.birthday.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        }
    }
}

/// One entry of the timeline: a call, a visit, a note…
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Touchpoint {
    pub id: String,
    pub customer_id: String,
    pub kind: TouchpointKind,
    pub at: DateTime<Utc>,
    pub author: String,
    pub summary: String,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    /// Where a visit was checked in (外勤签到), if the rep shared it.
    #[serde(default)]
    pub position: Option<GeoPoint>,
}

/// A position from the phone's geolocation (WGS-84), recorded only with the person's
/// permission and only on a visit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
    /// How far off it may be, in metres, as the phone reports it.
    pub accuracy_m: u32,
}

impl GeoPoint {
    /// Opens the point in a map (高德's web page, which hands over to its app on a phone).
    pub fn map_url(&self) -> String {
        format!("https://uri.amap.com/marker?position={:.6},{:.6}&coordinate=wgs84&callnative=1", self.lng, self.lat)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TouchpointInput {
    pub kind: TouchpointKind,
    pub author: String,
    pub summary: String,
    pub next_step: String,
    /// `YYYY-MM-DD` or empty, as typed.
    pub next_step_on: String,
    /// A visit's check-in position, if the rep chose to share it.
    #[serde(default)]
    pub position: Option<GeoPoint>,
}

/// Everything the profile page shows, fetched in one round trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerProfile {
    pub customer: Customer,
    pub contacts: Vec<Contact>,
    pub timeline: Vec<Touchpoint>,
    /// Orders, newest first: shown in their panel and on the timeline.
    #[serde(default)]
    pub orders: Vec<crate::insight::types::Order>,
}

/// One line of the customer list: only what the list shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: String,
    pub kind: CustomerKind,
    pub name: String,
    pub industry: String,
    pub region: String,
    pub source: String,
    pub stage: LifecycleStage,
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    pub phone: String,
    pub tags: Vec<Tag>,
    pub updated_at: DateTime<Utc>,
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// The orders the list can be shown in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListSort {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Newest customers first.
    Created,
    /// By name.
    Name,
    /// Most recently contacted first.
    LastContact,
    /// Longest without contact first (never contacted at the top): who needs a call.
    Stale,
}

impl ListSort {
    pub const ALL: [ListSort; 5] =
        [ListSort::Updated, ListSort::Created, ListSort::Name, ListSort::LastContact, ListSort::Stale];

    pub fn as_str(self) -> &'static str {
        match self {
            ListSort::Updated => "updated",
            ListSort::Created => "created",
            ListSort::Name => "name",
            ListSort::LastContact => "last_contact",
            ListSort::Stale => "stale",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

pub const DEFAULT_PAGE_SIZE: u32 = 25;
pub const MAX_PAGE_SIZE: u32 = 100;

/// A request for one page of the customer list.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Free text: matches name, phone, email and contacts, Chinese or Latin, any case.
    pub q: String,
    pub stage: Option<LifecycleStage>,
    /// A tag key (`dimension:label`).
    pub tag: Option<String>,
    pub region: Option<String>,
    /// A username, or `pool::POOL` for customers nobody owns.
    pub owner: Option<String>,
    /// An RFM segment (`Segment::as_str`): only customers the insight batch put there.
    #[serde(default)]
    pub segment: Option<String>,
    pub sort: ListSort,
    /// 1-based.
    pub page: u32,
    pub per_page: u32,
}

impl ListQuery {
    /// The query as URL parameters (empty ones and defaults left out): the list's address
    /// and an export's filters are written this way and read back by `from_params`.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("stage", self.stage.map(|s| s.as_str().to_string()).unwrap_or_default()),
            ("tag", self.tag.clone().unwrap_or_default()),
            ("region", self.region.clone().unwrap_or_default()),
            ("owner", self.owner.clone().unwrap_or_default()),
            ("segment", self.segment.clone().unwrap_or_default()),
            ("sort", if self.sort == ListSort::default() { String::new() } else { self.sort.as_str().to_string() }),
            ("page", if self.page > 1 { self.page.to_string() } else { String::new() }),
        ]
    }

    /// A query from URL parameters, by name; unknown values fall back to the defaults.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |k: &str| get(k).filter(|v| !v.is_empty());
        ListQuery {
            q: get("q").unwrap_or_default(),
            stage: get("stage").and_then(|s| LifecycleStage::parse(&s)),
            tag: get("tag"),
            region: get("region"),
            owner: get("owner"),
            segment: get("segment"),
            sort: get("sort").and_then(|s| ListSort::parse(&s)).unwrap_or_default(),
            page: get("page").and_then(|p| p.parse().ok()).unwrap_or(1),
            per_page: DEFAULT_PAGE_SIZE,
        }
        .clamped()
    }

    /// Page and page size forced into range, so a hand-edited URL cannot ask for page 0 or a
    /// million rows.
    pub fn clamped(mut self) -> Self {
        self.page = self.page.max(1);
        self.per_page = match self.per_page {
            0 => DEFAULT_PAGE_SIZE,
            n => n.min(MAX_PAGE_SIZE),
        };
        self
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub rows: Vec<CustomerRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl CustomerPage {
    pub fn page_count(&self) -> u32 {
        let per = self.per_page.max(1) as u64;
        (self.total.div_ceil(per)).max(1) as u32
    }
}

/// The values the list filters offer, taken from the data itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListFacets {
    pub regions: Vec<String>,
    /// `(username, display name)`, filled in by the server.
    pub owners: Vec<(String, String)>,
    pub tags: Vec<Tag>,
}

/// Which field made two customers look like the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateField {
    Name,
    Phone,
    Email,
    CreditCode,
}

/// An existing customer that may be the one being entered again. Of a customer the asker
/// may not see, only the owner's name is told (id and name are `None`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DuplicateHit {
    pub id: Option<String>,
    pub name: Option<String>,
    /// The owner's username ("" for the pool) and display name; both empty when the owner is
    /// someone the asker may not know of (then `elsewhere`).
    pub owner: String,
    pub owner_name: String,
    pub matched_on: Vec<DuplicateField>,
    /// Owned by a colleague outside a rep's view: they learn only that it exists.
    #[serde(default)]
    pub elsewhere: bool,
}
