//! The funnel vocabulary shared by server and browser: opportunities (商机), the stages they
//! move through, what a stage requires, and quotes, contracts and payments. Money is kept in
//! cents (分) as integers, so sums are exact.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Something a deal must have before it may enter a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// An amount above zero.
    Amount,
    /// Needs-analysis notes (需求分析记录) written on the deal.
    NeedsAnalysis,
    /// At least one quote (报价).
    Quote,
    /// A contract with a signing date (已签合同).
    SignedContract,
}

impl Requirement {
    pub const ALL: [Requirement; 4] =
        [Requirement::Amount, Requirement::NeedsAnalysis, Requirement::Quote, Requirement::SignedContract];

    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Amount => "amount",
            Requirement::NeedsAnalysis => "needs_analysis",
            Requirement::Quote => "quote",
            Requirement::SignedContract => "signed_contract",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// One column of the funnel, as configured.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageDef {
    /// Stable key, stored on deals: lower-case letters, digits and `_`.
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
    /// What a deal needs before it may enter this stage.
    pub requires: Vec<Requirement>,
    /// The playbook (打法): what to do while a deal sits here, ticked per deal.
    pub playbook: Vec<String>,
    /// The win chance of a deal here before any history exists, in percent.
    pub probability: u8,
}

/// The configured funnel and its alert threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    pub stages: Vec<StageDef>,
    /// Alert when the share of deals that entered the funnel and were won falls below this
    /// (percent), e.g. 商机 → 成交 under 15%.
    pub win_rate_alert: u8,
    /// Alert when a stage-to-next conversion falls below this (percent); 0 switches it off.
    pub stage_rate_alert: u8,
    /// Rates drawn from fewer deals than this raise no alert: a sample too small says little.
    pub alert_min_deals: u32,
}

/// Open, or ended won or lost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DealStatus {
    #[default]
    Open,
    Won,
    Lost,
}

impl DealStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [DealStatus::Open, DealStatus::Won, DealStatus::Lost].into_iter().find(|k| k.as_str() == s)
    }
}

/// What the stage rules look at, kept on every card so the page can say what is missing
/// before anyone tries a move.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealFacts {
    pub amount_cents: i64,
    pub has_needs_analysis: bool,
    pub quotes: u32,
    pub contract_signed: bool,
}

/// An opportunity (商机) as stored and shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deal {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    pub amount_cents: i64,
    /// ISO 4217 code, CNY by default.
    pub currency: String,
    pub stage: String,
    pub status: DealStatus,
    pub lost_reason: String,
    pub expected_close: NaiveDate,
    /// The rep's own estimate in percent, if they gave one.
    pub probability: Option<u8>,
    pub products: Vec<String>,
    pub competitor: String,
    /// The customer's owner: a deal always belongs to whoever owns its customer.
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    pub next_step: String,
    pub needs_analysis: String,
    /// Ticked playbook items as `stage_key:index`.
    pub checklist: Vec<String>,
    pub facts: DealFacts,
    /// The furthest stage (index) this deal ever reached.
    pub furthest: u32,
    pub stage_entered_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// What a person types into the deal form.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DealInput {
    pub customer_id: String,
    pub title: String,
    /// As typed, e.g. `120000` or `12,500.50`.
    pub amount: String,
    pub currency: String,
    pub expected_close: String,
    /// Empty for none, else 0–100.
    pub probability: String,
    /// Comma- or 、-separated.
    pub products: String,
    pub competitor: String,
    pub next_step: String,
    pub needs_analysis: String,
}

/// A card on the board: the little a column needs, plus the facts for the stage rules.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealCard {
    pub id: String,
    pub customer_id: String,
    pub customer_name: String,
    pub title: String,
    pub amount_cents: i64,
    pub currency: String,
    pub stage: String,
    pub expected_close: NaiveDate,
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    pub competitor: String,
    pub next_step: String,
    /// Win chance in percent: the rep's estimate if given, else from stage and history.
    pub win_percent: u8,
    pub facts: DealFacts,
    pub version: i64,
}

/// Which deals the board shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardQuery {
    /// A username, or empty for everyone the caller may see.
    pub owner: String,
    /// A team id, or empty.
    pub team: String,
    /// `YYYY-MM` of the expected close, or empty.
    pub close_month: String,
}

/// One column: its totals over every matching deal, and the first cards.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: String,
    pub count: u32,
    /// Sum per currency, largest first.
    pub totals: Vec<(String, i64)>,
    pub cards: Vec<DealCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub pipeline: Pipeline,
    pub columns: Vec<BoardColumn>,
    /// Owners the filter offers: (username, display name).
    pub owners: Vec<(String, String)>,
    /// Teams the filter offers: (id, name).
    pub teams: Vec<(String, String)>,
}

/// A stage change (or the deal's start, or its end) as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageMove {
    pub deal: String,
    /// Empty when the deal was created.
    pub from: String,
    /// A stage key, or `won` / `lost`.
    pub to: String,
    pub at: DateTime<Utc>,
}

/// One line of a quote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub product: String,
    pub quantity: u32,
    pub unit_price_cents: i64,
    /// Discount in tenths of a percent (125 = 12.5%), so sums stay exact.
    pub discount_permille: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: String,
    pub deal_id: String,
    pub number: String,
    pub lines: Vec<QuoteLine>,
    pub total_cents: i64,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl QuoteLine {
    /// The discount in percent as people type it: 125 ‰ → `12.5`, 100 ‰ → `10`.
    pub fn discount_percent(&self) -> String {
        match self.discount_permille % 10 {
            0 => (self.discount_permille / 10).to_string(),
            tenth => format!("{}.{tenth}", self.discount_permille / 10),
        }
    }
}

/// A quote line as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteLineInput {
    pub product: String,
    pub quantity: String,
    pub unit_price: String,
    /// Percent, e.g. `10` or `12.5`.
    pub discount: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QuoteInput {
    pub lines: Vec<QuoteLineInput>,
    pub valid_until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub id: String,
    pub deal_id: String,
    pub number: String,
    pub amount_cents: i64,
    pub currency: String,
    pub start: NaiveDate,
    /// Feeds renewal reminders.
    pub end: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub instalments: Vec<Instalment>,
    pub payments: Vec<Payment>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContractInput {
    pub number: String,
    pub amount: String,
    pub start: String,
    pub end: String,
    /// Empty while unsigned.
    pub signed_on: String,
}

impl Contract {
    /// What has been received against it so far (回款).
    pub fn received_cents(&self) -> i64 {
        self.payments.iter().map(|p| p.amount_cents).sum()
    }
}

/// A planned part of a contract's payment (回款计划).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instalment {
    pub due: NaiveDate,
    pub amount_cents: i64,
}

/// Money received against a contract (回款).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub received_on: NaiveDate,
    pub amount_cents: i64,
}

/// A planned instalment or a received payment, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MoneyOnDateInput {
    pub date: String,
    pub amount: String,
}

/// Everything on a deal's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealView {
    pub deal: Deal,
    pub pipeline: Pipeline,
    pub win_percent: u8,
    pub quotes: Vec<Quote>,
    pub contract: Option<Contract>,
    pub history: Vec<StageMove>,
    pub can_edit: bool,
}

/// Conversion out of one stage over a period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageConversion {
    pub stage: String,
    /// Deals that entered the stage in the period.
    pub entered: u32,
    /// Of those, how many went on to a later stage (or were won, for the last stage).
    pub advanced: u32,
    /// Average days spent in the stage by deals that left it in the period.
    pub avg_days: Option<f64>,
}

/// A conversion rate under its threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConversionAlert {
    /// The stage the rate starts from, or empty for the whole funnel (商机 → 成交).
    pub stage: String,
    /// Whose deals, or empty for everyone in view.
    pub owner: String,
    #[serde(default)]
    pub owner_name: String,
    pub rate_percent: f64,
    pub threshold: u8,
    pub deals: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelReport {
    pub pipeline: Pipeline,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub stages: Vec<StageConversion>,
    /// Deals that entered the funnel in the period, and how many of them were won.
    pub started: u32,
    pub won: u32,
    pub alerts: Vec<ConversionAlert>,
    /// Collection rate per rep: (display name, received cents, contracted cents).
    pub collection: Vec<(String, i64, i64)>,
}
