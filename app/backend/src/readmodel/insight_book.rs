//! The insight batch's latest results, in memory: for the pages, the customer list's segment
//! filter and the reminder rules. Written by `insight::batch` only.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

use kehu_domain::insight::bgnbd::Rfx;
use kehu_domain::insight::forecast::{repeat_by_month, Buyer, Repeat};
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

    /// A customer who has bought, as the forecast reads them (none before a first purchase).
    pub fn buyer(&self, score: &CustomerScore) -> Option<Buyer> {
        Some(Buyer { history: self.rfx(score)?, avg_order_cents: score.avg_order_cents })
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
    /// Every buyer's expected repeat purchases for the forecast, of the latest run and today.
    repeats: RwLock<Option<Arc<Repeats>>>,
    /// Whether `repeats` is being worked out (one at a time).
    repeats_building: std::sync::atomic::AtomicBool,
}

/// Each buyer's part of the forecast's repeat purchases (`forecast::repeat_by_month`, a
/// hypergeometric series per month: most of a forecast's cost), for one run and one day. The
/// same for every viewer, so it is worked out once for everyone after a run (or the first
/// forecast of a day) instead of for the viewer's customers on every request.
pub struct Repeats {
    pub run_at: DateTime<Utc>,
    pub today: NaiveDate,
    pub by_customer: HashMap<String, Repeat>,
}

impl Repeats {
    /// Every scored buyer of `run` (none without a fitted model).
    pub fn of(run: &InsightRun, today: NaiveDate) -> Repeats {
        let by_customer = match run.fit.as_ref().map(|f| f.params) {
            Some(params) => run
                .scores
                .iter()
                .filter_map(|(id, score)| {
                    let buyer = run.buyer(score)?;
                    Some((id.clone(), Repeat { by_month: repeat_by_month(today, &buyer.history, &params), avg_order_cents: buyer.avg_order_cents }))
                })
                .collect(),
            None => HashMap::new(),
        };
        Repeats { run_at: run.computed_at, today, by_customer }
    }
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

    /// The repeats of `run` for `today`, if worked out already.
    pub fn repeats(&self, run: &InsightRun, today: NaiveDate) -> Option<Arc<Repeats>> {
        let repeats = self.repeats.read().unwrap_or_else(|p| p.into_inner()).clone()?;
        (repeats.run_at == run.computed_at && repeats.today == today).then_some(repeats)
    }

    /// Works the repeats of the latest run out for `today` in the background, unless they are
    /// there or being worked out.
    pub fn prepare_repeats(self: &Arc<Self>, today: NaiveDate) {
        use std::sync::atomic::Ordering;
        let Some(run) = self.latest() else { return };
        if self.repeats(&run, today).is_some() || self.repeats_building.swap(true, Ordering::AcqRel) {
            return;
        }
        let book = Arc::clone(self);
        // Off the request threads: at 100k customers it is a few hundred thousand series.
        tokio::task::spawn_blocking(move || {
            let repeats = Repeats::of(&run, today);
            *book.repeats.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(repeats));
            book.repeats_building.store(false, Ordering::Release);
        });
    }

    /// The customers the latest run put in `segment`.
    pub fn segment_members(&self, segment: Segment) -> HashSet<String> {
        let Some(run) = self.latest() else { return HashSet::new() };
        run.scores.iter().filter(|(_, s)| s.rfm.as_ref().is_some_and(|r| r.segment == segment)).map(|(k, _)| k.clone()).collect()
    }
}
