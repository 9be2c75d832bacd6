//! Deals (商机) for a signed-in caller: rights (through the deal's customer, see `access`),
//! validation and the stage rules, then the store — the change, its stage move and its event
//! in one transaction — then the board's book follows. A deal is seen and changed by whoever
//! may see and change its customer; anything else is "not found".

use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::LifecycleStage;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::money::money_text;
use kehu_domain::pipeline::rules::shown_win_percent;
use kehu_domain::pipeline::types::*;
use kehu_domain::pipeline::validate::*;

use crate::access::{self, Need};
use crate::customers::lifecycle;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::deal_rows::*;
use crate::store::deals as store;
use crate::store::ids::{key_of, new_id, record_id};

fn deal_rid(id: &str) -> AppResult<RecordId> {
    record_id(DEAL, id).ok_or(AppError::NotFound)
}

pub(crate) fn pipeline(state: &AppState) -> &Pipeline {
    &state.policy.pipeline
}

/// An event about a deal, by the caller, now.
pub(crate) fn deal_event(state: &AppState, caller: &Caller, kind: EventKind, deal: &Deal) -> Event {
    Event::by(caller, kind, state.clock.now()).about(&deal.customer_id, &deal.title)
}

/// The deal with its customer's name and owner filled in, if the caller may do `need` with
/// its customer.
pub(crate) async fn deal_for(state: &AppState, caller: &Caller, id: &str, need: Need) -> AppResult<(RecordId, Deal)> {
    let rid = deal_rid(id)?;
    let record = store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let (deal, _) = with_customer(state, caller, record.into_deal(), need)?;
    Ok((rid, deal))
}

/// Fills in customer name and owner from the directory if the caller may do `need` with the
/// customer, and says whether they may also change it.
fn with_customer(state: &AppState, caller: &Caller, mut deal: Deal, need: Need) -> AppResult<(Deal, bool)> {
    let row = access::customer(state, caller, &deal.customer_id, need)?;
    let editable = access::changes(caller, &row.owner, &row.region);
    deal.customer_name = row.name;
    deal.owner_name = state.users.display_name(&row.owner);
    deal.owner = row.owner;
    Ok((deal, editable))
}

/// Names what the store returned and hands it to the board's book.
pub(crate) async fn keep(state: &AppState, caller: &Caller, record: DealRecord) -> AppResult<Deal> {
    let (deal, _) = with_customer(state, caller, record.into_deal(), Need::See)?;
    follow(state, vec![Effect::Deal(deal.clone())]).await;
    Ok(deal)
}

pub async fn create(state: &AppState, caller: &Caller, input: &DealInput) -> AppResult<Deal> {
    let valid = validate_deal(input, state.clock.today()).map_err(AppError::Invalid)?;
    let customer = record_id(CUSTOMER, &valid.customer_id).ok_or(AppError::NotFound)?;
    access::customer(state, caller, &valid.customer_id, Need::Change)?;
    let now = state.clock.now();
    let patch = DealPatch::from_valid(&valid, now);
    let record = DealRecord {
        id: new_id(DEAL),
        customer: customer.clone(),
        title: patch.title,
        amount_cents: patch.amount_cents,
        currency: patch.currency,
        stage: pipeline(state).first_key().to_string(),
        status: DealStatus::Open.as_str().into(),
        lost_reason: String::new(),
        expected_close: patch.expected_close,
        probability: patch.probability,
        products: patch.products,
        competitor: patch.competitor,
        next_step: patch.next_step,
        needs_analysis: patch.needs_analysis,
        checklist: Vec::new(),
        quote_count: 0,
        contract_signed: false,
        furthest: 0,
        stage_entered_at: now,
        created_at: now,
        updated_at: now,
        closed_at: None,
        owner_at_close: None,
        version: 1,
    };
    let event = Event::by(caller, EventKind::DealCreated, state.clock.now())
        .about(&valid.customer_id, &record.title)
        .change("amount", "", kehu_domain::money::amount_plain(record.amount_cents));
    let saved = store::insert(&state.db, record, &caller.user.username, &[event]).await?;
    keep(state, caller, saved).await
}

pub async fn update(state: &AppState, caller: &Caller, id: &str, input: &DealInput, version: i64) -> AppResult<Deal> {
    let (rid, current) = deal_for(state, caller, id, Need::Change).await?;
    let input = DealInput { customer_id: current.customer_id.clone(), ..input.clone() };
    let valid = validate_deal(&input, state.clock.today()).map_err(AppError::Invalid)?;
    // An open deal keeps what its stage required to enter: the edit may not take it away.
    if current.status == DealStatus::Open {
        let after = DealFacts {
            amount_cents: valid.amount_cents,
            has_needs_analysis: !valid.needs_analysis.is_empty(),
            ..current.facts
        };
        let here = pipeline(state).index_of(&current.stage).unwrap_or(0);
        let taken: Vec<FieldError> = pipeline(state)
            .requirements_up_to(here)
            .into_iter()
            .filter(|r| current.facts.meets(*r) && !after.meets(*r))
            .filter_map(|r| match r {
                Requirement::Amount => Some(FieldError::new("amount", Problem::Required)),
                Requirement::NeedsAnalysis => Some(FieldError::new("needs_analysis", Problem::Required)),
                Requirement::Quote | Requirement::SignedContract => None,
            })
            .collect();
        if !taken.is_empty() {
            return Err(AppError::Invalid(taken));
        }
    }
    let event = deal_event(state, caller, EventKind::DealUpdated, &current)
        .subject(&valid.title)
        .changes(deal_changes(&current, &valid));
    let saved = store::update_fields(&state.db, &rid, DealPatch::from_valid(&valid, state.clock.now()), version, &[event]).await?;
    keep(state, caller, saved).await
}

/// What an edit changed, field by field, as the log shows it.
fn deal_changes(before: &Deal, after: &ValidDeal) -> Vec<kehu_domain::audit::types::FieldChange> {
    use kehu_domain::audit::types::FieldChange;
    [
        ("title", before.title.clone(), after.title.clone()),
        ("amount", kehu_domain::money::amount_plain(before.amount_cents), kehu_domain::money::amount_plain(after.amount_cents)),
        ("expected_close", before.expected_close.to_string(), after.expected_close.to_string()),
        ("competitor", before.competitor.clone(), after.competitor.clone()),
        ("next_step", before.next_step.clone(), after.next_step.clone()),
    ]
    .into_iter()
    .filter(|(_, b, a)| b != a)
    .map(|(f, b, a)| FieldChange::new(f, b, a))
    .collect()
}

/// A deal as its card on the board.
pub fn card_of(state: &AppState, deal: Deal) -> DealCard {
    let win_percent = shown_win_percent(deal.probability, pipeline(state), &state.deals.history(), &deal.stage);
    DealCard {
        id: deal.id,
        customer_id: deal.customer_id,
        customer_name: deal.customer_name,
        title: deal.title,
        amount_cents: deal.amount_cents,
        currency: deal.currency,
        stage: deal.stage,
        expected_close: deal.expected_close,
        owner: deal.owner,
        owner_name: deal.owner_name,
        competitor: deal.competitor,
        next_step: deal.next_step,
        win_percent,
        facts: deal.facts,
        version: deal.version,
    }
}

/// Moves an open deal to another stage if the stage rules allow it; returns its new card.
pub async fn move_to(state: &AppState, caller: &Caller, id: &str, to: &str, version: i64) -> AppResult<DealCard> {
    let (rid, current) = deal_for(state, caller, id, Need::Change).await?;
    if current.status != DealStatus::Open {
        return Err(AppError::DealChanged);
    }
    if current.version != version {
        return Err(AppError::DealChanged);
    }
    let p = pipeline(state);
    let missing = p
        .missing_for(&current.facts, &current.stage, to)
        .map_err(|_| AppError::Invalid(vec![FieldError::new("stage", Problem::UnknownChoice)]))?;
    if !missing.is_empty() {
        return Err(AppError::StageBlocked { missing });
    }
    if current.stage == to {
        return Ok(card_of(state, current));
    }
    let to_index = p.index_of(to).unwrap_or(0) as i64;
    let furthest = (current.furthest as i64).max(to_index);
    let now = state.clock.now();
    let change = store::Change { from: &current.stage, to, furthest, reason: "", expected: version, at: now, actor: &caller.user.username };
    let event = deal_event(state, caller, EventKind::DealMoved, &current).change("stage", current.stage.clone(), to);
    let saved = store::move_stage(&state.db, &rid, change, &[event]).await?;
    Ok(card_of(state, keep(state, caller, saved).await?))
}

/// Ends a deal. Won needs everything signing needs and moves the customer to 成交; lost
/// needs a reason. Both land on the customer's timeline.
pub async fn close(state: &AppState, caller: &Caller, id: &str, won: bool, reason: &str, version: i64) -> AppResult<Deal> {
    let (rid, current) = deal_for(state, caller, id, Need::Change).await?;
    if current.status != DealStatus::Open || current.version != version {
        return Err(AppError::DealChanged);
    }
    let mut check = kehu_domain::check::Check::default();
    let reason = check.line("lost_reason", reason, 500, !won);
    check.finish(()).map_err(AppError::Invalid)?;
    if won {
        let missing = pipeline(state).missing_to_win(&current.facts);
        if !missing.is_empty() {
            return Err(AppError::StageBlocked { missing });
        }
    }
    let now = state.clock.now();
    let change = store::Change {
        from: &current.stage,
        to: if won { "won" } else { "lost" },
        furthest: current.furthest as i64,
        reason: &reason,
        expected: version,
        at: now,
        actor: &caller.user.username,
    };
    let customer = record_id(CUSTOMER, &current.customer_id).ok_or(AppError::NotFound)?;
    let amount = money_text(current.amount_cents, &current.currency);
    let summary = if won {
        format!("赢单：{}（{amount}）", current.title)
    } else {
        format!("输单：{}（{amount}），原因：{reason}", current.title)
    };
    let note = lifecycle::note(&customer, &caller.user.display_name, summary, now);
    let kind = if won { EventKind::DealWon } else { EventKind::DealLost };
    let mut event = deal_event(state, caller, kind, &current).change("status", "open", if won { "won" } else { "lost" });
    if !won {
        event = event.change("lost_reason", "", reason.clone());
    }
    let saved = store::close(&state.db, &rid, change, note, &[event]).await?;
    let deal = keep(state, caller, saved).await?;
    follow(state, vec![Effect::DealResults(deal.id.clone())]).await;
    if won {
        // The after-sales visit and the first deal's anniversary count from the win; moving
        // the customer to 成交 works its reminders out already, otherwise do it here.
        if !lifecycle::set_stage(state, &caller.user.username, &customer, LifecycleStage::Customer).await? {
            follow(state, vec![Effect::RemindersOf(current.customer_id.clone())]).await;
        }
        crate::aftersales::installation::after_win(state, caller, &deal).await;
    }
    Ok(deal)
}

/// Ticks (or unticks) playbook item `index` of the deal's current stage.
pub async fn tick(state: &AppState, caller: &Caller, id: &str, stage: &str, index: usize, on: bool) -> AppResult<Deal> {
    let (rid, current) = deal_for(state, caller, id, Need::Change).await?;
    let known = pipeline(state).stage(stage).is_some_and(|s| index < s.playbook.len());
    if !known {
        return Err(AppError::Invalid(vec![FieldError::new("playbook", Problem::UnknownChoice)]));
    }
    let item = format!("{stage}:{index}");
    let (before, after) = if on { ("", "✓") } else { ("✓", "") };
    let event = deal_event(state, caller, EventKind::PlaybookTicked, &current).change(&format!("playbook.{item}"), before, after);
    let saved = store::set_check(&state.db, &rid, &item, on, state.clock.now(), &[event]).await?.ok_or(AppError::NotFound)?;
    keep(state, caller, saved).await
}

/// One deal with its customer's name and owner, for whoever may see its money.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> AppResult<Deal> {
    access::money(caller)?;
    deal_for(state, caller, id, Need::See).await.map(|(_, deal)| deal)
}

/// Everything on a deal's page.
pub async fn view(state: &AppState, caller: &Caller, id: &str) -> AppResult<DealView> {
    access::money(caller)?;
    let rid = deal_rid(id)?;
    let record = store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let (deal, can_edit) = with_customer(state, caller, record.into_deal(), Need::See)?;
    let quotes = store::quotes_of(&state.db, &rid).await?.into_iter().map(QuoteRecord::into_quote).collect();
    let contract = store::contract_of(&state.db, &RecordId::new(CONTRACT, key_of(&rid))).await?.map(ContractRecord::into_contract);
    let history = store::moves_of(&state.db, &rid).await?.into_iter().map(MoveRecord::into_move).collect();
    let p = pipeline(state).clone();
    let win_percent = match deal.status {
        DealStatus::Won => 100,
        DealStatus::Lost => 0,
        DealStatus::Open => shown_win_percent(deal.probability, &p, &state.deals.history(), &deal.stage),
    };
    Ok(DealView { can_edit, deal, pipeline: p, win_percent, quotes, contract, history })
}

pub async fn of_customer(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<Deal>> {
    access::money(caller)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    access::customer(state, caller, customer, Need::See)?;
    store::of_customer(&state.db, &rid)
        .await?
        .into_iter()
        .map(|r| with_customer(state, caller, r.into_deal(), Need::See).map(|(deal, _)| deal))
        .collect()
}

