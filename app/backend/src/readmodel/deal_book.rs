//! The open deals and the closed deals' record, held in memory so the board is built without
//! a query: the store stays the truth, every write there updates this copy, and start-up
//! rebuilds it. A deal belongs to whoever owns its customer, so the board asks the directory
//! for owner and region and a customer's new owner sees its deals at once.

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::Datelike;

use kehu_domain::accounts::rules::Scope;
use kehu_domain::customers::types::CustomerRow;
use kehu_domain::insight::forecast::OpenDeal;
use kehu_domain::pipeline::rules::{shown_win_percent, totals_by_currency, StageHistory};
use kehu_domain::pipeline::types::*;

use super::directory::Directory;

/// How many cards a column sends; its count and totals cover every deal in it.
pub const CARDS_PER_COLUMN: usize = 100;

#[derive(Default)]
struct Inner {
    open: HashMap<String, Deal>,
    history: StageHistory,
}

#[derive(Default)]
pub struct DealBook {
    inner: RwLock<Inner>,
}

/// Who a board is for and what it filters by, resolved to usernames.
pub struct BoardFilter<'a> {
    pub scope: &'a Scope,
    /// Only these owners (a chosen owner, or a chosen team's members), if set.
    pub owners: Option<Vec<String>>,
    /// `(year, month)` of the expected close, if set.
    pub close_month: Option<(i32, u32)>,
}

impl DealBook {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces everything: the open deals and the closed outcomes `(furthest, won)`.
    pub fn load(&self, open: Vec<Deal>, closed: &[(i64, bool)], stages: usize) {
        let mut history = StageHistory::new(stages);
        for (furthest, won) in closed {
            history.record((*furthest).max(0) as usize, *won);
        }
        *self.write() = Inner { open: open.into_iter().map(|d| (d.id.clone(), d)).collect(), history };
    }

    /// Keeps an open deal's latest state, or forgets a closed one and counts its outcome.
    pub fn put(&self, deal: Deal) {
        let mut inner = self.write();
        match deal.status {
            DealStatus::Open => {
                inner.open.insert(deal.id.clone(), deal);
            }
            status => {
                if inner.open.remove(&deal.id).is_some() {
                    inner.history.record(deal.furthest as usize, status == DealStatus::Won);
                }
            }
        }
    }

    pub fn history(&self) -> StageHistory {
        self.read().history.clone()
    }

    /// The open deals `keep` accepts, as the forecast and a target's chance read them (amount,
    /// the win chance shown, expected close) — read in place, as copying 5,000 whole deals
    /// per target made a manager's performance page slow.
    pub fn weighted_open(&self, pipeline: &Pipeline, keep: impl Fn(&Deal) -> bool) -> Vec<OpenDeal> {
        let inner = self.read();
        inner.open.values().filter(|d| keep(d)).map(|d| weighted(d, pipeline, &inner.history)).collect()
    }

    /// The open deals of the customers `scope` sees, weighted (the board's rule: the
    /// customer's owner and region, read from the directory in place).
    pub fn weighted_open_seen(&self, pipeline: &Pipeline, directory: &Directory, scope: &Scope) -> Vec<OpenDeal> {
        let inner = self.read();
        let rows = directory.rows();
        inner
            .open
            .values()
            .filter(|d| rows.get_live(&d.customer_id).is_some_and(|row| scope.sees(&row.owner, &row.region)))
            .map(|d| weighted(d, pipeline, &inner.history))
            .collect()
    }

    /// Copies of the open deals `keep` accepts (for short lists: a day's closing deals).
    pub fn open_where(&self, keep: impl Fn(&Deal) -> bool) -> Vec<Deal> {
        self.read().open.values().filter(|d| keep(d)).cloned().collect()
    }

    pub fn open_count(&self) -> usize {
        self.read().open.len()
    }

    /// Re-points deals of a customer merged into another.
    pub fn recustomer(&self, from: &str, into: &str) {
        for deal in self.write().open.values_mut().filter(|d| d.customer_id == from) {
            deal.customer_id = into.to_string();
        }
    }

    /// The board: one column per configured stage (deals in a stage that is no longer
    /// configured show in the first), each with its count, totals and first cards by
    /// expected close. Deals are picked by reference and only the cards sent are made:
    /// with 5,000 open deals, copying every deal's strings into a card that was then cut
    /// was most of the board's time.
    pub fn board(&self, pipeline: &Pipeline, directory: &Directory, filter: &BoardFilter) -> Vec<BoardColumn> {
        let inner = self.read();
        let rows = directory.rows();
        let mut columns: Vec<Vec<(&Deal, &CustomerRow)>> = vec![Vec::new(); pipeline.stages.len()];
        for deal in inner.open.values() {
            let Some(row) = rows.get(&deal.customer_id) else { continue };
            if !filter.scope.sees(&row.owner, &row.region) {
                continue;
            }
            if filter.owners.as_ref().is_some_and(|owners| !owners.contains(&row.owner)) {
                continue;
            }
            if filter.close_month.is_some_and(|(y, m)| deal.expected_close.year() != y || deal.expected_close.month() != m) {
                continue;
            }
            columns[pipeline.index_of(&deal.stage).unwrap_or(0)].push((deal, row));
        }
        pipeline
            .stages
            .iter()
            .zip(columns)
            .map(|(stage, mut picked)| {
                let totals = totals_by_currency(picked.iter().map(|(d, _)| (d.currency.as_str(), d.amount_cents)));
                let count = picked.len() as u32;
                // Soonest close first; ties by id so the order is stable between loads.
                picked.sort_unstable_by(|(a, _), (b, _)| a.expected_close.cmp(&b.expected_close).then_with(|| a.id.cmp(&b.id)));
                picked.truncate(CARDS_PER_COLUMN);
                let cards = picked
                    .into_iter()
                    .map(|(deal, row)| DealCard {
                        id: deal.id.clone(),
                        customer_id: deal.customer_id.clone(),
                        customer_name: row.name.clone(),
                        title: deal.title.clone(),
                        amount_cents: deal.amount_cents,
                        currency: deal.currency.clone(),
                        stage: stage.key.clone(),
                        expected_close: deal.expected_close,
                        owner: row.owner.clone(),
                        owner_name: String::new(),
                        competitor: deal.competitor.clone(),
                        next_step: deal.next_step.clone(),
                        win_percent: shown_win_percent(deal.probability, pipeline, &inner.history, &deal.stage),
                        facts: deal.facts,
                        version: deal.version,
                    })
                    .collect();
                BoardColumn { stage: stage.key.clone(), count, totals, cards }
            })
            .collect()
    }
}

/// A deal as the forecast weighs it: its amount, its shown chance, when it should close.
fn weighted(d: &Deal, pipeline: &Pipeline, history: &StageHistory) -> OpenDeal {
    OpenDeal { amount_cents: d.amount_cents, probability_pct: shown_win_percent(d.probability, pipeline, history, &d.stage), expected_close: d.expected_close }
}
