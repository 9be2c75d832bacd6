//! The reminder engine: runs the rules over every owned customer's facts and stores what
//! they make due, keyed by each rule's stable key.
//!
//! - Idempotent: a key already stored (open, done or dismissed) is never added again, so a
//!   rerun or a restart changes nothing.
//! - Catches up: a run covers the local days from the last run's day (at most
//!   `CATCH_UP_DAYS` back) to `HORIZON_DAYS` ahead, so what fell due while the server was
//!   down is stored on the next start, already due.
//! - Follows the facts: reminders the rules still own (open, not yet due by the rule, not
//!   snoozed) are replaced when the facts change — a birthday corrected, a VIP followed up, a
//!   do-not-disturb window added; what is due stays until a person handles it.
//! - Respects do-not-disturb: an outreach reminder inside a window moves to the first
//!   allowed time and keeps the window's reason.
//! - Time comes from the state's clock, so tests travel in it.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use surrealdb::types::{RecordId, RecordIdKey};

use kehu_domain::customers::types::{Tag, TagDimension};
use kehu_domain::error::{AppError, AppResult};
use kehu_domain::reminders::announce::announce_at;
use kehu_domain::reminders::dnd::{describe, first_allowed};
use kehu_domain::reminders::rules::{due_reminders, CustomerFacts, NextStep, Window};
use kehu_domain::reminders::settings::RuleSettings;
use kehu_domain::reminders::types::DndWindow;
use kehu_domain::service::care_plan::CarePlan;

use crate::customers::writers;
use crate::readmodel::directory::Rows;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, record_id};
use crate::store::reminders::{self as store, reminder_id, ReminderRecord, Sources};
use crate::store::service_settings;
use crate::store::won_deals::{won_deals, WonDealRow};

/// How far ahead reminders are stored (the calendar feed shows them).
pub const HORIZON_DAYS: i64 = 30;
/// How far back a run after downtime looks.
pub const CATCH_UP_DAYS: i64 = 30;

/// Above this many obsolete reminders (an undo removing a file's customers takes all of
/// theirs), they are deleted in pieces of this size, `writers::WRITERS` transactions at a
/// time, before the fresh ones are stored: deleting costs the store several times what
/// inserting does, and it works a transaction's records on one core.
const DELETED_AT_ONCE: usize = 500;

/// The local day at `now`.
fn local_day(state: &AppState, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&state.policy.offset.0).date_naive()
}

/// A run over every customer, catching up from the last run. Returns how many reminders the
/// rules made (stored before or now).
pub async fn run(state: &AppState) -> AppResult<usize> {
    // One run at a time: the periodic run and one after an import or a settings change would
    // otherwise write the same reminders at once (a write conflict in the store).
    let _only_me = state.reminder_runs.lock().await;
    let now = state.clock.now();
    let today = local_day(state, now);
    let earliest = today - Duration::days(CATCH_UP_DAYS);
    let from = store::covered_to(&state.db).await?.map(|d| d.clamp(earliest, today)).unwrap_or(today);
    let made = compute(state, Scope::Everyone, from, today + Duration::days(HORIZON_DAYS), now).await?;
    // The tickets' SLA warnings: a failure there must not stop the customers' reminders.
    if let Err(e) = crate::aftersales::sla_watch::refresh(state, None).await {
        tracing::warn!("working out the SLA reminders failed: {e}");
    }
    // The NPS surveys a lifecycle moment asks for: a failure must not stop the reminders.
    if let Err(e) = crate::aftersales::lifecycle_surveys::run(state, today).await {
        tracing::warn!("sending the lifecycle NPS surveys failed: {e:?}");
    }
    // Targets behind pace and milestones reached: a failure must not stop the reminders.
    if let Err(e) = crate::targets::watch::run(state).await {
        tracing::warn!("working out the target reminders failed: {e:?}");
    }
    store::set_covered_to(&state.db, today).await?;
    state.live.changed_for_everyone();
    Ok(made)
}

/// Works out one customer's reminders again after something about them changed (a
/// follow-up, a contact's birthday, a contract, a win, a do-not-disturb window). A failure
/// is logged, never passed to the person whose change succeeded: the next full run repairs it.
pub async fn refresh_customer(state: &AppState, customer: &str) {
    let Some(rid) = record_id(CUSTOMER, customer) else { return };
    let now = state.clock.now();
    let today = local_day(state, now);
    if let Err(e) = compute(state, Scope::One(&rid), today, today + Duration::days(HORIZON_DAYS), now).await {
        tracing::warn!("working out reminders of customer {customer} failed: {e}");
    }
    // Also after a failure: some of the customer's reminders may have been written.
    if let Some(row) = state.directory.row(customer) {
        state.live.changed_for(vec![row.owner]);
    }
}

/// Works out the reminders of the customers a bulk write touched (an import, or its undo):
/// theirs only, from today, so a small file into a large book costs what the file is, not
/// what the book is. Customers among them that are gone lose their pending reminders.
/// Tickets, surveys and targets are not what a bulk write of customers changes; the next
/// full run covers them as always.
pub async fn run_for(state: &AppState, customers: &[String]) -> AppResult<usize> {
    if customers.is_empty() {
        return Ok(0);
    }
    let _only_me = state.reminder_runs.lock().await;
    let now = state.clock.now();
    let today = local_day(state, now);
    let these: HashSet<String> = customers.iter().cloned().collect();
    let made = compute(state, Scope::These(&these), today, today + Duration::days(HORIZON_DAYS), now).await?;
    state.live.changed_for_everyone();
    Ok(made)
}

/// Whose reminders a computation works out.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Everyone,
    One(&'a RecordId),
    /// Many customers, by key. The store is read whole and narrowed here: `customer IN
    /// $list` would compare every row with every listed id.
    These(&'a HashSet<String>),
}

impl Scope<'_> {
    fn covers(&self, customer: &str) -> bool {
        match self {
            Scope::Everyone => true,
            // Compared without making the key a string: this runs for every customer.
            Scope::One(id) => match &id.key {
                RecordIdKey::String(key) => key == customer,
                _ => key_of(id) == customer,
            },
            Scope::These(keys) => keys.contains(customer),
        }
    }

    /// The one customer the store's queries narrow to, if it is one.
    fn one(&self) -> Option<&RecordId> {
        match self {
            Scope::One(id) => Some(id),
            _ => None,
        }
    }
}

fn is_vip(tags: &[Tag], settings: &RuleSettings) -> bool {
    tags.iter().any(|t| t.dimension == TagDimension::Value && t.label == settings.vip_tag)
}

/// The facts of every owned customer in `scope`, from the directory and the sources.
fn facts_of(state: &AppState, scope: Scope<'_>, sources: Sources, won: Vec<WonDealRow>, plans: &[CarePlan], settings: &RuleSettings) -> HashMap<String, CustomerFacts> {
    let rows = state.directory.rows();
    let mut facts: HashMap<String, CustomerFacts> = HashMap::new();
    for (row, created_at) in rows.live() {
        // Pool customers belong to nobody: their reminders start when someone claims them.
        if row.owner.is_empty() || !scope.covers(&row.id) {
            continue;
        }
        // Only customers some rule can speak about need an entry; VIPs always can.
        let vip = is_vip(&row.tags, settings);
        if vip || scope.one().is_some() {
            facts.insert(row.id.clone(), CustomerFacts {
                customer_id: row.id.clone(),
                is_vip: vip,
                last_contact_at: row.last_contact_at,
                created_at: Some(created_at),
                ..Default::default()
            });
        }
    }
    // The entry of a customer a source row names, made on first sight (not a VIP: those
    // are all in already); `None` for a pool customer, one merged away or one out of scope.
    fn entry<'a>(facts: &'a mut HashMap<String, CustomerFacts>, rows: &Rows<'_>, scope: Scope<'_>, customer: &str) -> Option<&'a mut CustomerFacts> {
        if !facts.contains_key(customer) {
            if !scope.covers(customer) {
                return None;
            }
            let row = rows.get(customer).filter(|r| !r.owner.is_empty())?;
            let fresh = CustomerFacts { customer_id: customer.to_string(), last_contact_at: row.last_contact_at, ..Default::default() };
            facts.insert(customer.to_string(), fresh);
        }
        facts.get_mut(customer)
    }
    for (contact, customer, name, birthday) in sources.birthdays {
        if let Some(f) = entry(&mut facts, &rows, scope, &customer) {
            f.birthdays.push((contact, name, birthday));
        }
    }
    // Only the latest follow-up that planned a next step counts: a later plan replaces it.
    let mut latest: HashMap<String, DateTime<Utc>> = HashMap::new();
    for (touchpoint, customer, what, on, at) in sources.next_steps {
        if latest.get(&customer).is_some_and(|seen| *seen >= at) {
            continue;
        }
        if let Some(f) = entry(&mut facts, &rows, scope, &customer) {
            latest.insert(customer, at);
            f.next_step = Some(NextStep { touchpoint, what, on, planned_at: at });
        }
    }
    for d in sources.care_dates {
        if let Some(f) = entry(&mut facts, &rows, scope, &d.customer_id) {
            f.care_dates.push((d.label, d.month, d.day));
        }
    }
    for (contract, customer, number, end) in sources.contract_ends {
        if let Some(f) = entry(&mut facts, &rows, scope, &customer) {
            f.contract_ends.push((contract, number, end));
        }
    }
    for row in won {
        if let Some(f) = entry(&mut facts, &rows, scope, &row.customer) {
            f.care_steps.extend(crate::aftersales::care_plans::steps_of(state, plans, &row).1);
            f.wins.push((row.deal, row.title, row.won_on));
        }
    }
    // What the insight batch found: slipping away, a purchase window, a buying season.
    if let Some(run) = state.insight.latest() {
        let one = scope.one().map(key_of);
        let scores: Box<dyn Iterator<Item = &kehu_domain::insight::types::CustomerScore>> = match &one {
            Some(id) => Box::new(run.scores.get(id).into_iter()),
            None => Box::new(run.scores.values()),
        };
        for score in scores.filter(|s| s.churn.is_some() || s.repurchase.is_some() || s.season.is_some()) {
            if let Some(f) = entry(&mut facts, &rows, scope, &score.customer_id) {
                f.churn = score.churn.clone();
                f.repurchase = score.repurchase.clone();
                f.season = score.season.clone();
            }
        }
    }
    facts
}

/// What the rules make for these customers, moved out of do-not-disturb, as rows to store.
fn records(
    state: &AppState,
    facts: &HashMap<String, CustomerFacts>,
    settings: &RuleSettings,
    window: &Window,
    windows: &HashMap<String, Vec<DndWindow>>,
    now: DateTime<Utc>,
) -> AppResult<Vec<ReminderRecord>> {
    let offset = window.offset;
    let mut fresh: Vec<ReminderRecord> = Vec::new();
    let rows = state.directory.rows();
    for f in facts.values() {
        let customer = record_id(CUSTOMER, &f.customer_id).ok_or(AppError::NotFound)?;
        let owner = rows.get(&f.customer_id).map(|r| r.owner.clone()).unwrap_or_default();
        let dnd = windows.get(&f.customer_id).map(Vec::as_slice).unwrap_or(&[]);
        for c in due_reminders(f, settings, window) {
            let (due, moved_by) = if c.kind.is_outreach() { first_allowed(c.due, dnd, offset) } else { (c.due, None) };
            fresh.push(ReminderRecord {
                id: reminder_id(&c.key),
                kind: c.kind.as_str().to_string(),
                customer: customer.clone(),
                owner: owner.clone(),
                subject: c.subject,
                rule_due: c.due,
                due,
                moved_by: moved_by.map(|w| format!("{} · {}", describe(&w.rule), w.reason)),
                snoozed: false,
                status: "open".into(),
                created_at: now,
                announce_at: announce_at(due, now),
            });
        }
    }
    Ok(fresh)
}

async fn compute(state: &AppState, scope: Scope<'_>, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> AppResult<usize> {
    let started = std::time::Instant::now();
    let settings = store::settings(&state.db).await?;
    let offset = state.policy.offset.0;
    let window = Window { from, to, at: settings.remind_at, offset };
    let mut sources = store::sources(&state.db, scope.one(), from).await?;
    let mut windows: HashMap<String, Vec<DndWindow>> = HashMap::new();
    for w in std::mem::take(&mut sources.dnd) {
        windows.entry(w.customer_id.clone()).or_default().push(w);
    }
    let won = won_deals(&state.db, scope.one()).await?;
    let plans = service_settings::current(&state.db).await?.care_plans;
    let facts = facts_of(state, scope, sources, won, &plans, &settings);

    let fresh = records(state, &facts, &settings, &window, &windows, now)?;
    let pending = store::pending(&state.db, scope.one(), now).await?;
    let pending = pending.into_iter().filter(|p| scope.covers(&p.customer)).map(store::Pending::key_and_due).collect();
    let obsolete = store::obsolete(pending, &fresh);
    let made = fresh.len();
    let worked_out = started.elapsed();
    sync(state, obsolete, fresh).await?;
    let synced = started.elapsed();
    // What is already due stays with the customer: it moves with them to a new owner.
    let whom = match scope {
        Scope::One(rid) => {
            let owner = state.directory.row(&key_of(rid)).map(|r| r.owner).unwrap_or_default();
            store::follow_owner(&state.db, rid, &owner).await?;
            return Ok(made);
        }
        Scope::Everyone => {
            follow_owners_of(state, scope).await?;
            "everyone".to_string()
        }
        Scope::These(keys) => {
            follow_owners_of(state, scope).await?;
            format!("{} customers", keys.len())
        }
    };
    // Where a run's time goes, for whoever tunes it (an import waits for one).
    tracing::info!(
        "reminder run over {whom}: {made} made; facts and rules {} ms, stored {} ms, owners {} ms",
        worked_out.as_millis(),
        (synced - worked_out).as_millis(),
        (started.elapsed() - synced).as_millis()
    );
    Ok(made)
}

/// Stores a run's outcome: obsolete pending reminders deleted, fresh ones added (see
/// `store::sync`); many obsolete ones are deleted in pieces first, two at a time.
async fn sync(state: &AppState, obsolete: Vec<RecordId>, fresh: Vec<ReminderRecord>) -> AppResult<()> {
    if obsolete.len() <= DELETED_AT_ONCE {
        return Ok(store::sync(&state.db, obsolete, fresh).await?);
    }
    let pieces: Vec<Vec<RecordId>> = obsolete.chunks(DELETED_AT_ONCE).map(<[RecordId]>::to_vec).collect();
    let db = state.db.clone();
    let delete = move |piece: Vec<RecordId>| {
        let db = db.clone();
        async move { Ok(store::delete_pending(&db, piece).await?) }
    };
    writers::in_parallel(pieces, delete, |()| {}).await?;
    Ok(store::sync(&state.db, Vec::new(), fresh).await?)
}

/// The open reminders of the customers in scope whose owner is not their customer's owner
/// now (the directory's, which a change's effect updates before its reminders are worked
/// out), moved to them. The store is read whole without following each reminder's customer
/// (following them all is what made the full run's repair take most of its time at 100k
/// customers); the update itself checks against the stored customer.
async fn follow_owners_of(state: &AppState, scope: Scope<'_>) -> AppResult<()> {
    let open = store::open_owners(&state.db).await?;
    // In a block: the directory's guard must not live across the write.
    let astray: Vec<RecordId> = {
        let rows = state.directory.rows();
        open.into_iter()
            .filter(|r| {
                let customer = key_of(&r.customer);
                scope.covers(&customer) && rows.get(&customer).is_some_and(|c| c.owner != r.owner)
            })
            .map(|r| r.id)
            .collect()
    };
    store::follow_owner_of(&state.db, astray).await?;
    Ok(())
}
