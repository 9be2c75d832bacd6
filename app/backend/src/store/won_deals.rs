//! Won deals as the after-sales plans read them: when each was won, the products on its
//! latest quote (their categories choose the plan) and its contract's end (steps counting
//! back from it). One round trip for every customer, or for one.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use surrealdb::types::{RecordId, SurrealValue};

use super::db::Db;
use super::error::StoreResult;
use super::ids::key_of;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WonDealRow {
    pub deal: String,
    pub customer: String,
    pub title: String,
    pub won_on: NaiveDate,
    pub products: Vec<String>,
    pub contract_end: Option<NaiveDate>,
}

#[derive(Debug, SurrealValue)]
struct WinRow {
    id: RecordId,
    customer: RecordId,
    title: String,
    closed_at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct QuoteProductsRow {
    deal: RecordId,
    products: Vec<String>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, SurrealValue)]
struct ContractEndRow {
    deal: RecordId,
    end_on: DateTime<Utc>,
}

pub async fn won_deals(db: &Db, only: Option<&RecordId>) -> StoreResult<Vec<WonDealRow>> {
    let (mine, deal_mine) = if only.is_some() { (" AND customer = $only", " AND deal.customer = $only") } else { ("", "") };
    let sql = format!(
        "SELECT id, customer, title, closed_at FROM deal WHERE status = 'won' AND closed_at != NONE{mine};
         SELECT deal, lines.product AS products, created_at FROM quote WHERE deal.status = 'won'{deal_mine};
         SELECT deal, end_on FROM contract WHERE deal.status = 'won'{deal_mine};"
    );
    let mut response = db.query(sql).bind(("only", only.cloned())).await?;
    let wins: Vec<WinRow> = response.take(0)?;
    let quotes: Vec<QuoteProductsRow> = response.take(1)?;
    let contracts: Vec<ContractEndRow> = response.take(2)?;
    // The latest quote is what was sold.
    let mut latest: HashMap<String, (DateTime<Utc>, Vec<String>)> = HashMap::new();
    for q in quotes {
        let entry = latest.entry(key_of(&q.deal)).or_insert((q.created_at, Vec::new()));
        if q.created_at >= entry.0 {
            *entry = (q.created_at, q.products);
        }
    }
    let ends: HashMap<String, NaiveDate> = contracts.into_iter().map(|c| (key_of(&c.deal), c.end_on.date_naive())).collect();
    Ok(wins
        .into_iter()
        .map(|w| {
            let deal = key_of(&w.id);
            WonDealRow {
                products: latest.remove(&deal).map(|(_, p)| p).unwrap_or_default(),
                contract_end: ends.get(&deal).copied(),
                customer: key_of(&w.customer),
                title: w.title,
                won_on: w.closed_at.date_naive(),
                deal,
            }
        })
        .collect())
}
