//! Funnel operations for a signed-in caller: rights, validation and the stage rules, then
//! the store, then the in-memory book. A deal is seen and changed by whoever may see and
//! change its customer; anything else is "not found".

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use surrealdb::types::RecordId;

use super::customer_service::{set_lifecycle, system_note};
use super::deal_records::*;
use super::deal_store as store;
use super::deal_book::BoardFilter;
use super::records::{date_to_datetime, key_of, new_id, record_id, CUSTOMER};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::customers::types::LifecycleStage;
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::pipeline::rules::{alerts, conversion, quote_total, shown_win_percent};
use crate::pipeline::types::*;
use crate::pipeline::validate::*;

fn deal_rid(id: &str) -> AppResult<RecordId> {
    record_id(DEAL, id).ok_or(AppError::NotFound)
}

fn pipeline(state: &AppState) -> &Pipeline {
    &state.policy.pipeline
}

/// The deal with its customer's name and owner filled in, if the caller may see it; with
/// `edit`, `Forbidden` unless they may also change it.
async fn deal_for(state: &AppState, caller: &Caller, id: &str, edit: bool) -> AppResult<(RecordId, Deal)> {
    let rid = deal_rid(id)?;
    let record = store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let (deal, editable) = with_customer(state, caller, record.into_deal())?;
    if edit && !editable {
        return Err(AppError::Forbidden);
    }
    Ok((rid, deal))
}

/// Fills in customer name and owner from the directory, and says whether the caller may
/// change the deal; `NotFound` outside the caller's scope.
fn with_customer(state: &AppState, caller: &Caller, mut deal: Deal) -> AppResult<(Deal, bool)> {
    let row = state.directory.row(&deal.customer_id).ok_or(AppError::NotFound)?;
    if !caller.can_view(&row.owner, &row.region) {
        return Err(AppError::NotFound);
    }
    let editable = caller.can_edit(&row.owner, &row.region);
    deal.customer_name = row.name;
    deal.owner_name = state.users.display_name(&row.owner);
    deal.owner = row.owner;
    Ok((deal, editable))
}

/// Saves what the store returned into the book and hands it back named.
fn keep(state: &AppState, caller: &Caller, record: DealRecord) -> AppResult<Deal> {
    let (deal, _) = with_customer(state, caller, record.into_deal())?;
    state.deals.put(deal.clone());
    Ok(deal)
}

pub async fn create(state: &AppState, caller: &Caller, input: &DealInput) -> AppResult<Deal> {
    let valid = validate_deal(input, state.clock.today()).map_err(AppError::Invalid)?;
    let customer = record_id(CUSTOMER, &valid.customer_id).ok_or(AppError::NotFound)?;
    let row = state.directory.row(&valid.customer_id).ok_or(AppError::NotFound)?;
    if !caller.can_view(&row.owner, &row.region) {
        return Err(AppError::NotFound);
    }
    if !caller.can_edit(&row.owner, &row.region) {
        return Err(AppError::Forbidden);
    }
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
        version: 1,
    };
    let saved = store::insert(&state.db, record, &caller.user.username).await?;
    keep(state, caller, saved)
}

pub async fn update(state: &AppState, caller: &Caller, id: &str, input: &DealInput, version: i64) -> AppResult<Deal> {
    let (rid, current) = deal_for(state, caller, id, true).await?;
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
    let saved = store::update_fields(&state.db, &rid, DealPatch::from_valid(&valid, state.clock.now()), version).await?;
    keep(state, caller, saved)
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
    let (rid, current) = deal_for(state, caller, id, true).await?;
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
    let saved = store::move_stage(&state.db, &rid, change).await?;
    Ok(card_of(state, keep(state, caller, saved)?))
}

/// Ends a deal. Won needs everything signing needs and moves the customer to 成交; lost
/// needs a reason. Both land on the customer's timeline.
pub async fn close(state: &AppState, caller: &Caller, id: &str, won: bool, reason: &str, version: i64) -> AppResult<Deal> {
    let (rid, current) = deal_for(state, caller, id, true).await?;
    if current.status != DealStatus::Open || current.version != version {
        return Err(AppError::DealChanged);
    }
    let reason = crate::customers::normalize::clean_line(reason);
    if !won && reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("lost_reason", Problem::Required)]));
    }
    if reason.chars().count() > 500 {
        return Err(AppError::Invalid(vec![FieldError::new("lost_reason", Problem::TooLong { max: 500 })]));
    }
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
    let saved = store::close(&state.db, &rid, change).await?;
    let customer = record_id(CUSTOMER, &current.customer_id).ok_or(AppError::NotFound)?;
    let amount = money_text(current.amount_cents, &current.currency);
    let note = if won {
        format!("赢单：{}（{amount}）", current.title)
    } else {
        format!("输单：{}（{amount}），原因：{reason}", current.title)
    };
    system_note(state, &customer, &caller.user.display_name, note).await?;
    if won {
        // The after-sales visit and the first deal's anniversary count from the win; moving
        // the customer to 成交 works its reminders out already, otherwise do it here.
        if !set_lifecycle(state, &caller.user.username, &customer, LifecycleStage::Customer).await? {
            super::reminder_engine::refresh_customer(state, &current.customer_id).await;
        }
    }
    keep(state, caller, saved)
}

/// Ticks (or unticks) playbook item `index` of the deal's current stage.
pub async fn tick(state: &AppState, caller: &Caller, id: &str, stage: &str, index: usize, on: bool) -> AppResult<Deal> {
    let (rid, _) = deal_for(state, caller, id, true).await?;
    let known = pipeline(state).stage(stage).is_some_and(|s| index < s.playbook.len());
    if !known {
        return Err(AppError::Invalid(vec![FieldError::new("playbook", Problem::UnknownChoice)]));
    }
    let saved = store::set_check(&state.db, &rid, &format!("{stage}:{index}"), on, state.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    keep(state, caller, saved)
}

pub async fn add_quote(state: &AppState, caller: &Caller, deal: &str, input: &QuoteInput) -> AppResult<Quote> {
    let (rid, current) = deal_for(state, caller, deal, true).await?;
    let (lines, valid_until) = validate_quote(input, state.clock.today()).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let id = new_id(QUOTE);
    let number = format!("BJ-{}-{}", now.format("%Y%m%d"), key_of(&id).chars().take(6).collect::<String>().to_uppercase());
    let record = QuoteRecord {
        id,
        deal: rid,
        number,
        total_cents: quote_total(&lines),
        lines: lines.iter().map(line_record).collect(),
        currency: current.currency.clone(),
        valid_until: date_to_datetime(valid_until),
        created_at: now,
    };
    let saved = store::add_quote(&state.db, record.clone()).await?;
    keep(state, caller, saved)?;
    Ok(record.into_quote())
}

/// A quote with its deal, for the printable page.
pub async fn quote(state: &AppState, caller: &Caller, id: &str) -> AppResult<(Quote, Deal)> {
    let qid = record_id(QUOTE, id).ok_or(AppError::NotFound)?;
    let quote = store::get_quote(&state.db, &qid).await?.ok_or(AppError::NotFound)?.into_quote();
    let (_, deal) = deal_for(state, caller, &quote.deal_id, false).await?;
    Ok((quote, deal))
}

pub async fn save_contract(state: &AppState, caller: &Caller, deal: &str, input: &ContractInput) -> AppResult<Contract> {
    let (rid, current) = deal_for(state, caller, deal, true).await?;
    let valid = validate_contract(input, state.clock.today()).map_err(AppError::Invalid)?;
    let cid = RecordId::new(CONTRACT, key_of(&rid));
    let fields = ContractFields {
        deal: rid,
        number: valid.number,
        amount_cents: valid.amount_cents,
        currency: current.currency.clone(),
        start_on: date_to_datetime(valid.start),
        end_on: date_to_datetime(valid.end),
        signed_on: valid.signed_on.map(date_to_datetime),
    };
    let saved = store::save_contract(&state.db, &cid, fields, state.clock.now()).await?;
    // The renewal reminder counts back from the contract's end.
    super::reminder_engine::refresh_customer(state, &current.customer_id).await;
    keep(state, caller, saved)?;
    store::contract_of(&state.db, &cid).await?.map(ContractRecord::into_contract).ok_or(AppError::NotFound)
}

/// Adds a planned instalment (`received` false) or a received payment to the deal's contract.
pub async fn add_money(state: &AppState, caller: &Caller, deal: &str, input: &MoneyOnDateInput, received: bool) -> AppResult<Contract> {
    let (rid, _) = deal_for(state, caller, deal, true).await?;
    let (date, amount) = validate_money_on_date(input, state.clock.today(), received).map_err(AppError::Invalid)?;
    let cid = RecordId::new(CONTRACT, key_of(&rid));
    let contract = store::contract_of(&state.db, &cid).await?.ok_or(AppError::NotFound)?.into_contract();
    let count = if received { contract.payments.len() } else { contract.instalments.len() };
    if count >= INSTALMENTS_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("amount", Problem::TooMany { max: INSTALMENTS_MAX })]));
    }
    store::add_to_contract(&state.db, &cid, received, date_to_datetime(date), amount)
        .await?
        .map(ContractRecord::into_contract)
        .ok_or(AppError::NotFound)
}

/// Everything on a deal's page.
pub async fn view(state: &AppState, caller: &Caller, id: &str) -> AppResult<DealView> {
    let rid = deal_rid(id)?;
    let record = store::get(&state.db, &rid).await?.ok_or(AppError::NotFound)?;
    let (deal, can_edit) = with_customer(state, caller, record.into_deal())?;
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
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let row = state.directory.row(customer).ok_or(AppError::NotFound)?;
    if !caller.can_view(&row.owner, &row.region) {
        return Err(AppError::NotFound);
    }
    store::of_customer(&state.db, &rid).await?.into_iter().map(|r| with_customer(state, caller, r.into_deal()).map(|(deal, _)| deal)).collect()
}

/// The board for the caller, filtered.
pub async fn board(state: &AppState, caller: &Caller, query: &BoardQuery) -> AppResult<Board> {
    let everyone = state.users.all();
    let mut owners_filter: Option<Vec<String>> = None;
    if !query.owner.is_empty() {
        owners_filter = Some(vec![query.owner.clone()]);
    }
    if !query.team.is_empty() {
        let members: Vec<String> =
            everyone.iter().filter(|u| u.team.as_deref() == Some(query.team.as_str())).map(|u| u.username.clone()).collect();
        owners_filter = Some(match owners_filter {
            Some(one) => one.into_iter().filter(|o| members.contains(o)).collect(),
            None => members,
        });
    }
    let close_month = if query.close_month.is_empty() {
        None
    } else {
        let parsed = NaiveDate::parse_from_str(&format!("{}-01", query.close_month), "%Y-%m-%d")
            .map_err(|_| AppError::Invalid(vec![FieldError::new("close_month", Problem::InvalidDate)]))?;
        Some((parsed.year(), parsed.month()))
    };
    let filter = BoardFilter { scope: &caller.scope, owners: owners_filter, close_month };
    let p = pipeline(state).clone();
    let mut columns = state.deals.board(&p, &state.directory, &filter);
    for card in columns.iter_mut().flat_map(|c| c.cards.iter_mut()) {
        card.owner_name = state.users.display_name(&card.owner);
    }
    let visible_users: Vec<_> = everyone.into_iter().filter(|u| caller.scope.covers_user(&u.username)).collect();
    let owners = visible_users.iter().map(|u| (u.username.clone(), u.display_name.clone())).collect();
    let teams = super::account_service::teams(state)
        .await?
        .into_iter()
        .filter(|t| visible_users.iter().any(|u| u.team.as_deref() == Some(t.id.as_str())))
        .map(|t| (t.id, t.name))
        .collect();
    Ok(Board { pipeline: p, columns, owners, teams })
}

/// Conversion over `[from, to]` (whole days) for the deals the caller may see, with alerts
/// for everyone in view and, for a manager or admin, for each rep.
pub async fn funnel(state: &AppState, caller: &Caller, from: NaiveDate, to: NaiveDate) -> AppResult<FunnelReport> {
    if to < from {
        return Err(AppError::Invalid(vec![FieldError::new("to", Problem::EndBeforeStart)]));
    }
    if to - from > Duration::days(366 * 5) {
        return Err(AppError::Invalid(vec![FieldError::new("from", Problem::DateTooOld)]));
    }
    let start: DateTime<Utc> = date_to_datetime(from);
    let end: DateTime<Utc> = date_to_datetime(to) + Duration::days(1);
    let p = pipeline(state).clone();
    let owner_of_deal: std::collections::HashMap<String, String> = {
        let pairs = store::customers_of_deals(&state.db).await?;
        let rows = state.directory.rows();
        pairs
            .into_iter()
            .filter_map(|(deal, customer)| {
                let row = rows.get(&key_of(&customer))?;
                caller.can_view(&row.owner, &row.region).then(|| (key_of(&deal), row.owner.clone()))
            })
            .collect()
    };
    let moves: Vec<StageMove> = store::moves_since(&state.db, start)
        .await?
        .into_iter()
        .map(MoveRecord::into_move)
        .filter(|m| owner_of_deal.contains_key(&m.deal))
        .collect();
    let (stages, started, won) = conversion(&p, &moves, start, end);
    let mut found = alerts(&p, "", &stages, started, won);
    if caller.can_assign() {
        let mut owners: Vec<&String> = owner_of_deal.values().filter(|o| !o.is_empty()).collect();
        owners.sort();
        owners.dedup();
        for owner in owners {
            let theirs: Vec<StageMove> = moves.iter().filter(|m| owner_of_deal.get(&m.deal) == Some(owner)).cloned().collect();
            let (s, st, w) = conversion(&p, &theirs, start, end);
            found.extend(alerts(&p, owner, &s, st, w));
        }
    }
    for alert in &mut found {
        alert.owner_name = if alert.owner.is_empty() { String::new() } else { state.users.display_name(&alert.owner) };
    }
    let mut collection: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    {
        let rows = store::collection(&state.db).await?;
        let dir = state.directory.rows();
        for (customer, contracted, received) in rows {
            let Some(row) = dir.get(&key_of(&customer)) else { continue };
            if !caller.can_view(&row.owner, &row.region) {
                continue;
            }
            let e = collection.entry(row.owner.clone()).or_default();
            e.0 += received;
            e.1 += contracted;
        }
    }
    let collection = collection
        .into_iter()
        .map(|(owner, (received, contracted))| (state.users.display_name(&owner), received, contracted))
        .collect();
    Ok(FunnelReport { pipeline: p, from, to, stages, started, won, alerts: found, collection })
}
