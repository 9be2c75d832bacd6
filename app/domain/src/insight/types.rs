//! Products, orders and the scores the insight batch stores per customer: shared by the
//! server and the browser.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A catalogue entry (产品).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub category: String,
    /// List price per unit.
    pub price_cents: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProductInput {
    pub name: String,
    pub category: String,
    /// As typed: `12,800`, `¥99.50`.
    pub price: String,
}

/// One line of an order. A negative quantity with a negative (or zero) amount is a return.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    pub product_id: String,
    pub product_name: String,
    pub quantity: i64,
    pub amount_cents: i64,
}

/// How an order came in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderSource {
    #[default]
    Manual,
    Import,
}

impl OrderSource {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderSource::Manual => "manual",
            OrderSource::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Self {
        if s == "import" { OrderSource::Import } else { OrderSource::Manual }
    }
}

/// An order (订单) of one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    pub customer_id: String,
    pub on: NaiveDate,
    /// The seller's own order number, if it has one.
    pub order_no: String,
    /// Who delivered it, if recorded.
    #[serde(default)]
    pub carrier: String,
    pub lines: Vec<OrderLine>,
    /// Sum of the lines; zero or below for a return.
    pub total_cents: i64,
    pub source: OrderSource,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderLineInput {
    pub product_id: String,
    pub quantity: String,
    pub amount: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrderInput {
    /// `YYYY-MM-DD`, as typed.
    pub on: String,
    pub order_no: String,
    #[serde(default)]
    pub carrier: String,
    pub lines: Vec<OrderLineInput>,
}

/// Named RFM segments, each with the rule that puts a customer in it (first match wins).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// 高价值: bought lately, often and much.
    HighValue,
    /// 重要保持: often and much, but not lately.
    Keep,
    /// 重要发展: lately and much, not yet often.
    Develop,
    /// 重要挽留: much, but neither lately nor often.
    WinBack,
    /// 沉睡: long ago and little.
    Dormant,
    /// 一般: the rest.
    General,
}

impl Segment {
    pub const ALL: [Segment; 6] =
        [Segment::HighValue, Segment::Keep, Segment::Develop, Segment::WinBack, Segment::Dormant, Segment::General];

    pub fn as_str(self) -> &'static str {
        match self {
            Segment::HighValue => "high_value",
            Segment::Keep => "keep",
            Segment::Develop => "develop",
            Segment::WinBack => "win_back",
            Segment::Dormant => "dormant",
            Segment::General => "general",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The rule, in the scores' own terms (shown next to the segment).
    pub fn rule(self) -> &'static str {
        match self {
            Segment::HighValue => "R≥4 · F≥4 · M≥4",
            Segment::Keep => "R≤3 · F≥4 · M≥4",
            Segment::Develop => "R≥4 · F≤3 · M≥4",
            Segment::WinBack => "R≤3 · F≤3 · M≥4",
            Segment::Dormant => "R≤2 · M≤3",
            Segment::General => "R≥3 · M≤3",
        }
    }
}

/// A customer's recency, frequency and monetary value, and their 1–5 quintile scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    /// Days since the last purchase.
    pub recency_days: i64,
    /// Purchases (days with a positive net order total) within the window.
    pub frequency: u32,
    /// Net amount within the window (returns subtracted; never below zero).
    pub monetary_cents: i64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: Segment,
}

/// BG/NBD parameters fitted over all customers (time in days).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// The fitted model and how it was fitted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelFit {
    pub params: BgNbdParams,
    pub log_likelihood: f64,
    pub customers: usize,
    pub iterations: usize,
}

/// Why a customer is flagged as slipping away.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChurnReason {
    /// The model says they are probably no longer buying.
    LowPAlive { p_alive_pct: u8, threshold_pct: u8 },
    /// A regular buyer silent for longer than a multiple of their usual interval.
    LongSilence { usual_days: u32, silent_days: u32, multiple: u32 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnWarning {
    /// The day the warning started.
    pub since: NaiveDate,
    /// The last purchase it is about (one warning per silence).
    pub last_purchase: NaiveDate,
    pub reason: ChurnReason,
}

/// When this customer is likely to buy again, from their own rhythm.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepurchaseWindow {
    /// The customer's usual days between purchases (median).
    pub usual_days: u32,
    pub last_purchase: NaiveDate,
    pub expected: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Months the customer buys in year after year, and when to prepare for the next one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeasonalHint {
    /// 1–12, in order.
    pub months: Vec<u32>,
    /// The next such month's first day, and the day to be reminded (the month before).
    pub next_month: NaiveDate,
    pub hint_on: NaiveDate,
}

/// Everything the batch stores about one customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    pub customer_id: String,
    /// Orders with a positive total, and the days they fell on.
    pub purchases: u32,
    pub first_purchase: Option<NaiveDate>,
    pub last_purchase: Option<NaiveDate>,
    pub avg_order_cents: i64,
    pub rfm: Option<Rfm>,
    /// P(alive) in percent, and expected purchases in the next 30 and 90 days.
    pub p_alive_pct: Option<u8>,
    pub expected_30: Option<f64>,
    pub expected_90: Option<f64>,
    pub churn: Option<ChurnWarning>,
    pub repurchase: Option<RepurchaseWindow>,
    pub season: Option<SeasonalHint>,
}

/// "Of the customers who bought A, this share also bought B."
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssociationRule {
    pub if_bought: u32,
    pub then_bought: u32,
    /// Customers who bought both.
    pub both: u32,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// A product this customer has not bought yet, and the rule that suggests it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CrossSell {
    pub product_id: String,
    pub product_name: String,
    pub because_of: String,
    pub confidence: f64,
    pub lift: f64,
}

/// The insight panel on the profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerInsight {
    pub score: Option<CustomerScore>,
    pub cross_sell: Vec<CrossSell>,
    /// When the batch last ran; `None` before its first run.
    pub computed_at: Option<DateTime<Utc>>,
    /// After-sales churn signals: open complaints, a recent low satisfaction score.
    #[serde(default)]
    pub service_signals: Vec<crate::service::signals::ServiceSignal>,
}

/// A segment's size in the viewer's scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentCount {
    pub segment: Segment,
    pub customers: u32,
    pub monetary_cents: i64,
}

/// An association rule with its products named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedRule {
    pub if_bought: String,
    pub then_bought: String,
    pub both: u32,
    pub support: f64,
    pub confidence: f64,
    pub lift: f64,
}

/// A customer at risk, for the overview's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AtRisk {
    pub customer_id: String,
    pub name: String,
    pub segment: Option<Segment>,
    pub warning: ChurnWarning,
}

/// The insight page: segments, the R×F grid, the model, churn and cross-sell, over the
/// customers the viewer may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InsightOverview {
    pub computed_at: Option<DateTime<Utc>>,
    pub window_days: i64,
    pub scored: u32,
    /// Customers in scope without any purchase (not scored).
    pub unscored: u32,
    pub segments: Vec<SegmentCount>,
    /// Counts by R (row, 1–5) and F (column, 1–5).
    pub grid: [[u32; 5]; 5],
    pub fit: Option<ModelFit>,
    pub churn_warnings: u32,
    pub at_risk: Vec<AtRisk>,
    pub rules: Vec<NamedRule>,
}

/// The reports, each a table with a chart of one column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Lead source → won (渠道转化).
    #[default]
    Channels,
    /// Products by revenue (产品排行).
    Products,
    /// Regions compared (区域对比).
    Regions,
    /// How much of the high-value customers is at risk (高价值客户流失风险).
    ChurnRisk,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [ReportKind::Channels, ReportKind::Products, ReportKind::Regions, ReportKind::ChurnRisk];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Channels => "channels",
            ReportKind::Products => "products",
            ReportKind::Regions => "regions",
            ReportKind::ChurnRisk => "churn_risk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a report column holds; its heading comes from the translation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportColumn {
    Channel,
    Product,
    Category,
    Region,
    Segment,
    Customers,
    Won,
    Conversion,
    Revenue,
    Quantity,
    Buyers,
    AtRisk,
    RiskShare,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Text(String),
    Count(i64),
    Money(i64),
    /// A share 0–1; `None` when its base is zero.
    Share(Option<f64>),
}

impl Cell {
    /// The number a chart draws.
    pub fn value(&self) -> f64 {
        match self {
            Cell::Text(_) => 0.0,
            Cell::Count(n) | Cell::Money(n) => *n as f64,
            Cell::Share(s) => s.unwrap_or(0.0),
        }
    }

    /// As a CSV or table cell shows it.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(c) => crate::money::amount_plain(*c),
            Cell::Share(Some(s)) => format!("{:.1}%", s * 100.0),
            Cell::Share(None) => "–".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub columns: Vec<ReportColumn>,
    pub rows: Vec<Vec<Cell>>,
    /// The column the chart draws (the first column labels the bars).
    pub chart: usize,
}
