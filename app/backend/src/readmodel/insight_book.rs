//! The insight batch's latest results, in memory: for the pages, the customer list's segment
//! filter and the reminder rules. Written by `insight::batch` only.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

use kehu_domain::insight::bgnbd::Rfx;
use kehu_domain::insight::lead_score::LeadModel;
use kehu_domain::insight::types::{AssociationRule, CustomerScore, ModelFit, Segment};

/// One batch's results.
#[derive(Clone, Debug)]
pub struct InsightRun {
    pub computed_at: DateTime<Utc>,
    pub as_of: NaiveDate,
    pub scores: HashMap<String, CustomerScore>,
    pub fit: Option<ModelFit>,
    pub rules: Vec<AssociationRule>,
    /// Products each scored customer bought, for cross-sell.
    pub baskets: HashMap<String, Vec<u32>>,
}

impl InsightRun {
    /// A buyer's history in the model's terms, from their stored score.
    pub fn rfx(&self, score: &CustomerScore) -> Option<Rfx> {
        let (first, last) = (score.first_purchase?, score.last_purchase?);
        Some(Rfx { x: score.purchases.saturating_sub(1), t_x: (last - first).num_days() as f64, t: (self.as_of - first).num_days() as f64 })
    }
}

/// The latest run, shared, and the runs asked for after orders changed.
#[derive(Default)]
pub struct InsightBook {
    latest: RwLock<Option<Arc<InsightRun>>>,
    /// The lead score's model, refitted every ten minutes (`insight::leads::refit`); none while the history is too short.
    leads: RwLock<Option<Arc<LeadModel>>>,
    /// Runs asked for while one runs (see `insight::batch::request_run`).
    pub(crate) pending: std::sync::Mutex<Pending>,
    /// One run at a time: the periodic run and one asked for after an import would otherwise
    /// write the same score rows at once (a write conflict in the store).
    pub(crate) one_at_a_time: tokio::sync::Mutex<()>,
}

#[derive(Default)]
pub(crate) struct Pending {
    pub(crate) running: bool,
    pub(crate) everyone: bool,
    pub(crate) customers: Vec<String>,
}

impl InsightBook {
    pub fn latest(&self) -> Option<Arc<InsightRun>> {
        self.latest.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn lead_model(&self) -> Option<Arc<LeadModel>> {
        self.leads.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn set_lead_model(&self, model: Option<LeadModel>) {
        *self.leads.write().unwrap_or_else(|p| p.into_inner()) = model.map(Arc::new);
    }

    pub(crate) fn set(&self, run: InsightRun) {
        *self.latest.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(run));
    }

    /// The customers the latest run put in `segment`.
    pub fn segment_members(&self, segment: Segment) -> HashSet<String> {
        let Some(run) = self.latest() else { return HashSet::new() };
        run.scores.iter().filter(|(_, s)| s.rfm.as_ref().is_some_and(|r| r.segment == segment)).map(|(k, _)| k.clone()).collect()
    }
}
