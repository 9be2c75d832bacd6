//! A whole sample company at once — customers with contacts and follow-ups, deals at every
//! stage, orders — for a first look (the "load demo data" button, `kehu demo`) and the
//! benchmarks. Composes each feature's own sample data, then scores and works reminders out
//! once, so a new store shows everything at once.

use kehu_domain::accounts::rules::{Caller, Scope};
use kehu_domain::accounts::types::{Role, User};
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::insight::orders::ImportReport;

use crate::state::AppState;
use crate::{customers, insight, pipeline, reminders};

/// What was added.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub customers: usize,
    pub deals: usize,
    pub orders: ImportReport,
}

/// The whole-company actor sample data is made as, so every stage rule holds for it.
pub fn actor() -> Caller {
    Caller {
        user: User {
            username: customers::demo::DEMO_ACTOR.into(),
            display_name: "演示数据".into(),
            role: Role::Admin,
            team: None,
            region: String::new(),
            active: true,
            max_customers: 0,
            must_change_password: false,
        },
        scope: Scope::All,
        via_api: false,
    }
}

/// Adds `customers` sample customers (and the demo reps who own them), deals for
/// `deals` of them, their orders; then scores everyone and works reminders out.
pub async fn load(state: &AppState, customers: usize, deals: usize, seed: u64) -> AppResult<Loaded> {
    let actor = actor();
    let added = customers::demo::load(state, customers, seed).await?;
    let deals = pipeline::demo::load(state, &actor, deals, seed).await?;
    let orders = insight::demo::load(state, &actor, seed).await?;
    insight::batch::run(state).await?;
    insight::leads::refit(state).await?;
    // The sample deals, payments and follow-ups count for their people.
    state.reload_performance().await.map_err(crate::internal::internal)?;
    // The sample birthdays, VIPs and contracts make reminders now, not at the next run.
    reminders::engine::run(state).await?;
    Ok(Loaded { customers: added, deals, orders })
}

/// The demo button: only for an admin and only into an empty store, so a real company's
/// data is never mixed with invented customers. Returns how many customers were added.
pub async fn load_sample_company(state: &AppState, caller: &Caller, customers: usize, deals: usize) -> AppResult<usize> {
    if !caller.is_admin() {
        return Err(AppError::Forbidden);
    }
    if !state.directory.is_empty() {
        return Ok(0);
    }
    Ok(load(state, customers, deals, 2026).await?.customers)
}
