//! A deal's money: quotes (报价), its one contract (合同) with the payment plan and the
//! payments received (回款). Each change is written with its event; a quote or a signed
//! contract also counts on the deal, which the board's book follows.

use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::money::amount_plain;
use kehu_domain::pipeline::rules::quote_total;
use kehu_domain::pipeline::types::*;
use kehu_domain::pipeline::validate::*;

use super::deals::{deal_event, deal_for, keep};
use crate::access::Need;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::deal_rows::*;
use crate::store::deals as store;
use crate::store::ids::{date_to_datetime, key_of, new_id, record_id};

pub async fn add_quote(state: &AppState, caller: &Caller, deal: &str, input: &QuoteInput) -> AppResult<Quote> {
    let (rid, current) = deal_for(state, caller, deal, Need::Change).await?;
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
    let event = deal_event(state, caller, EventKind::QuoteAdded, &current).change(&record.number, "", amount_plain(record.total_cents));
    let saved = store::add_quote(&state.db, record.clone(), &[event]).await?;
    keep(state, caller, saved).await?;
    Ok(record.into_quote())
}

/// A deal's quotes, newest first, for whoever may see the deal and its money.
pub async fn quotes_of(state: &AppState, caller: &Caller, deal: &str) -> AppResult<Vec<Quote>> {
    crate::access::money(caller)?;
    let (rid, _) = deal_for(state, caller, deal, Need::See).await?;
    Ok(store::quotes_of(&state.db, &rid).await?.into_iter().map(QuoteRecord::into_quote).collect())
}

/// A deal's contract with its payment plan and payments, if it has one.
pub async fn contract_of(state: &AppState, caller: &Caller, deal: &str) -> AppResult<Option<Contract>> {
    crate::access::money(caller)?;
    let (rid, _) = deal_for(state, caller, deal, Need::See).await?;
    Ok(store::contract_of(&state.db, &RecordId::new(CONTRACT, key_of(&rid))).await?.map(ContractRecord::into_contract))
}

/// A quote with its deal, for the printable page.
pub async fn quote(state: &AppState, caller: &Caller, id: &str) -> AppResult<(Quote, Deal)> {
    crate::access::money(caller)?;
    let qid = record_id(QUOTE, id).ok_or(AppError::NotFound)?;
    let quote = store::get_quote(&state.db, &qid).await?.ok_or(AppError::NotFound)?.into_quote();
    let (_, deal) = deal_for(state, caller, &quote.deal_id, Need::See).await?;
    Ok((quote, deal))
}

pub async fn save_contract(state: &AppState, caller: &Caller, deal: &str, input: &ContractInput) -> AppResult<Contract> {
    let (rid, current) = deal_for(state, caller, deal, Need::Change).await?;
    let valid = validate_contract(input, state.clock.today()).map_err(AppError::Invalid)?;
    let cid = RecordId::new(CONTRACT, key_of(&rid));
    let event = deal_event(state, caller, EventKind::ContractSaved, &current)
        .change("number", "", valid.number.clone())
        .change("amount", "", amount_plain(valid.amount_cents))
        .change("signed_on", "", valid.signed_on.map(|d| d.to_string()).unwrap_or_default());
    let fields = ContractFields {
        deal: rid,
        number: valid.number,
        amount_cents: valid.amount_cents,
        currency: current.currency.clone(),
        start_on: date_to_datetime(valid.start),
        end_on: date_to_datetime(valid.end),
        signed_on: valid.signed_on.map(date_to_datetime),
    };
    let saved = store::save_contract(&state.db, &cid, fields, state.clock.now(), &[event]).await?;
    keep(state, caller, saved).await?;
    // The renewal reminder counts back from the contract's end.
    follow(state, vec![Effect::RemindersOf(current.customer_id.clone()), Effect::DealResults(current.id.clone())]).await;
    store::contract_of(&state.db, &cid).await?.map(ContractRecord::into_contract).ok_or(AppError::NotFound)
}

/// Adds a planned instalment (`received` false) or a received payment to the deal's contract.
pub async fn add_money(state: &AppState, caller: &Caller, deal: &str, input: &MoneyOnDateInput, received: bool) -> AppResult<Contract> {
    let (rid, current) = deal_for(state, caller, deal, Need::Change).await?;
    let (date, amount) = validate_money_on_date(input, state.clock.today(), received).map_err(AppError::Invalid)?;
    let cid = RecordId::new(CONTRACT, key_of(&rid));
    let contract = store::contract_of(&state.db, &cid).await?.ok_or(AppError::NotFound)?.into_contract();
    let count = if received { contract.payments.len() } else { contract.instalments.len() };
    if count >= INSTALMENTS_MAX {
        return Err(AppError::Invalid(vec![FieldError::new("amount", Problem::TooMany { max: INSTALMENTS_MAX })]));
    }
    let kind = if received { EventKind::PaymentAdded } else { EventKind::InstalmentAdded };
    let event = deal_event(state, caller, kind, &current).change(&date.to_string(), "", amount_plain(amount));
    let contract = store::add_to_contract(&state.db, &cid, received, date_to_datetime(date), amount, &[event])
        .await?
        .map(ContractRecord::into_contract)
        .ok_or(AppError::NotFound)?;
    if received {
        follow(state, vec![Effect::DealResults(current.id.clone())]).await;
    }
    Ok(contract)
}

