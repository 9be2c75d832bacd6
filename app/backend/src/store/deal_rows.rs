//! How deals, their moves, quotes and contracts look in the store, and the conversions to
//! the shared types. Only this file (and the migration) knows these column names.

use chrono::{DateTime, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::ids::{date_to_datetime, key_of};
use kehu_domain::pipeline::types::*;

pub const DEAL: &str = "deal";
pub const QUOTE: &str = "quote";
pub const CONTRACT: &str = "contract";

#[derive(Debug, Clone, SurrealValue)]
pub struct DealRecord {
    pub id: RecordId,
    pub customer: RecordId,
    pub title: String,
    pub amount_cents: i64,
    pub currency: String,
    pub stage: String,
    pub status: String,
    pub lost_reason: String,
    pub expected_close: DateTime<Utc>,
    pub probability: Option<i64>,
    pub products: Vec<String>,
    pub competitor: String,
    pub next_step: String,
    pub needs_analysis: String,
    pub checklist: Vec<String>,
    pub quote_count: i64,
    pub contract_signed: bool,
    pub furthest: i64,
    pub stage_entered_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Who owned the customer when the deal closed: its performance is theirs.
    pub owner_at_close: Option<String>,
    pub version: i64,
}

impl DealRecord {
    /// The deal without the customer's name and owner, which the directory fills in.
    pub fn into_deal(self) -> Deal {
        let facts = DealFacts {
            amount_cents: self.amount_cents,
            has_needs_analysis: !self.needs_analysis.trim().is_empty(),
            quotes: self.quote_count.clamp(0, u32::MAX as i64) as u32,
            contract_signed: self.contract_signed,
        };
        Deal {
            id: key_of(&self.id),
            customer_id: key_of(&self.customer),
            customer_name: String::new(),
            title: self.title,
            amount_cents: self.amount_cents,
            currency: self.currency,
            stage: self.stage,
            // The schema asserts the status, so the fallback only covers a hand-edited store.
            status: DealStatus::parse(&self.status).unwrap_or_default(),
            lost_reason: self.lost_reason,
            expected_close: self.expected_close.date_naive(),
            probability: self.probability.map(|p| p.clamp(0, 100) as u8),
            products: self.products,
            competitor: self.competitor,
            owner: String::new(),
            owner_name: String::new(),
            next_step: self.next_step,
            needs_analysis: self.needs_analysis,
            checklist: self.checklist,
            facts,
            furthest: self.furthest.max(0) as u32,
            stage_entered_at: self.stage_entered_at,
            created_at: self.created_at,
            updated_at: self.updated_at,
            closed_at: self.closed_at,
            version: self.version,
        }
    }
}

/// The fields a deal form edits; stage, status and facts have their own operations.
#[derive(Debug, SurrealValue)]
pub struct DealPatch {
    pub title: String,
    pub amount_cents: i64,
    pub currency: String,
    pub expected_close: DateTime<Utc>,
    pub probability: Option<i64>,
    pub products: Vec<String>,
    pub competitor: String,
    pub next_step: String,
    pub needs_analysis: String,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl DealPatch {
    pub fn from_valid(d: &kehu_domain::pipeline::validate::ValidDeal, now: DateTime<Utc>) -> Self {
        DealPatch {
            title: d.title.clone(),
            amount_cents: d.amount_cents,
            currency: d.currency.clone(),
            expected_close: date_to_datetime(d.expected_close),
            probability: d.probability.map(i64::from),
            products: d.products.clone(),
            competitor: d.competitor.clone(),
            next_step: d.next_step.clone(),
            needs_analysis: d.needs_analysis.clone(),
            updated_at: now,
            version: 0,
        }
    }
}

#[derive(Debug, SurrealValue)]
pub struct MoveRecord {
    pub deal: RecordId,
    pub from_stage: String,
    pub to_stage: String,
    pub at: DateTime<Utc>,
    pub actor: String,
}

impl MoveRecord {
    pub fn into_move(self) -> StageMove {
        StageMove { deal: key_of(&self.deal), from: self.from_stage, to: self.to_stage, at: self.at }
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct LineRecord {
    pub product: String,
    pub quantity: i64,
    pub unit_price_cents: i64,
    pub discount_permille: i64,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct QuoteRecord {
    pub id: RecordId,
    pub deal: RecordId,
    pub number: String,
    pub lines: Vec<LineRecord>,
    pub total_cents: i64,
    pub currency: String,
    pub valid_until: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl QuoteRecord {
    pub fn into_quote(self) -> Quote {
        Quote {
            id: key_of(&self.id),
            deal_id: key_of(&self.deal),
            number: self.number,
            lines: self
                .lines
                .into_iter()
                .map(|l| QuoteLine {
                    product: l.product,
                    quantity: l.quantity.clamp(0, u32::MAX as i64) as u32,
                    unit_price_cents: l.unit_price_cents,
                    discount_permille: l.discount_permille.clamp(0, 1000) as u32,
                })
                .collect(),
            total_cents: self.total_cents,
            currency: self.currency,
            valid_until: self.valid_until.date_naive(),
            created_at: self.created_at,
        }
    }
}

pub fn line_record(l: &QuoteLine) -> LineRecord {
    LineRecord {
        product: l.product.clone(),
        quantity: l.quantity as i64,
        unit_price_cents: l.unit_price_cents,
        discount_permille: l.discount_permille as i64,
    }
}

#[derive(Debug, Clone, SurrealValue)]
pub struct InstalmentRecord {
    pub due: DateTime<Utc>,
    pub amount_cents: i64,
}

#[derive(Debug, Clone, SurrealValue)]
pub struct PaymentRecord {
    pub received_on: DateTime<Utc>,
    pub amount_cents: i64,
}

/// The contract's fields a form sets (payments and plan are added one by one).
#[derive(Debug, SurrealValue)]
pub struct ContractFields {
    pub deal: RecordId,
    pub number: String,
    pub amount_cents: i64,
    pub currency: String,
    pub start_on: DateTime<Utc>,
    pub end_on: DateTime<Utc>,
    pub signed_on: Option<DateTime<Utc>>,
}

#[derive(Debug, SurrealValue)]
pub struct ContractRecord {
    pub id: RecordId,
    pub deal: RecordId,
    pub number: String,
    pub amount_cents: i64,
    pub currency: String,
    pub start_on: DateTime<Utc>,
    pub end_on: DateTime<Utc>,
    pub signed_on: Option<DateTime<Utc>>,
    pub instalments: Vec<InstalmentRecord>,
    pub payments: Vec<PaymentRecord>,
    pub created_at: DateTime<Utc>,
}

impl ContractRecord {
    pub fn into_contract(self) -> Contract {
        Contract {
            id: key_of(&self.id),
            deal_id: key_of(&self.deal),
            number: self.number,
            amount_cents: self.amount_cents,
            currency: self.currency,
            start: self.start_on.date_naive(),
            end: self.end_on.date_naive(),
            signed_on: self.signed_on.map(|d| d.date_naive()),
            instalments: self
                .instalments
                .into_iter()
                .map(|i| Instalment { due: i.due.date_naive(), amount_cents: i.amount_cents })
                .collect(),
            payments: self
                .payments
                .into_iter()
                .map(|p| Payment { received_on: p.received_on.date_naive(), amount_cents: p.amount_cents })
                .collect(),
            created_at: self.created_at,
        }
    }
}
