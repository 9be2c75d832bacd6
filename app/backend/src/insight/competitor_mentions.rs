//! Keeps the mention book (`readmodel::mention_book`) in step with the store: built for the
//! competitors listed now on first need, matched again when that list changed, and told of
//! every change to a customer's notes and to a deal. Each holds the book's lock over its store
//! read, so a build and a change never interleave.

use std::collections::HashMap;

use tokio::sync::MutexGuard;

use kehu_domain::insight::competitor_report::{deal_mentions, note_mentions, period_start_at, DealText, Mention};
use kehu_domain::insight::competitors::{Competitor, Matcher};
use kehu_domain::pipeline::types::{Deal, DealStatus};

use crate::readmodel::mention_book::Mentions;
use crate::state::AppState;
use crate::store::competitors::{self as store, DealRow, NoteRow};
use crate::store::customer_rows::CUSTOMER;
use crate::store::error::StoreResult;
use crate::store::ids::{key_of, record_id};

/// The competitors listed now and the book built for them (built anew if the list changed
/// since: added or removed here or on another replica), held for the caller to read.
pub async fn current(state: &AppState) -> StoreResult<(Vec<Competitor>, MutexGuard<'_, Mentions>)> {
    let competitors = store::all(&state.db).await?;
    let mut book = state.mentions.lock().await;
    if !book.built_for(&competitors) {
        let started = std::time::Instant::now();
        build(state, &mut book, competitors.clone()).await?;
        tracing::info!("competitor mentions matched in {:.2} s ({} competitors)", started.elapsed().as_secs_f64(), competitors.len());
    }
    Ok((competitors, book))
}

/// Built in the background after start, so the first report need not wait for it.
pub async fn prepare(state: &AppState) {
    if let Err(e) = current(state).await {
        tracing::warn!("matching competitor mentions failed (the report tries again): {e}");
    }
}

async fn build(state: &AppState, book: &mut Mentions, competitors: Vec<Competitor>) -> StoreResult<()> {
    if competitors.is_empty() {
        // Nothing can be named: nothing to read.
        book.rebuild(competitors, Vec::new(), Vec::new());
        return Ok(());
    }
    let matcher = Matcher::new(&competitors);
    let (notes, deals) = store::mentions_since(&state.db, period_start_at(state.clock.now())).await?;
    let mut by_customer: HashMap<String, Vec<Mention>> = HashMap::new();
    for note in &notes {
        let found = of_note(&matcher, note);
        if !found.is_empty() {
            by_customer.entry(key_of(&note.customer)).or_default().extend(found);
        }
    }
    let deals = deals.iter().map(|d| (key_of(&d.id), key_of(&d.customer), deal_mentions(&matcher, &row_text(d)))).collect();
    book.rebuild(competitors, by_customer.into_iter().collect(), deals);
    Ok(())
}

/// A customer's notes changed (a follow-up logged, an erasure): read again.
pub async fn notes_changed(state: &AppState, customer: &str) {
    if let Err(e) = read_notes(state, &mut *state.mentions.lock().await, customer).await {
        // Matched again when the list of competitors changes or the process restarts.
        tracing::warn!("reading the notes of customer {customer} for the competitor mentions failed: {e}");
    }
}

/// A deal as saved.
pub async fn deal_saved(state: &AppState, deal: &Deal) {
    put_deal(&mut *state.mentions.lock().await, deal);
}

/// `from` was merged into `into`: its deals' mentions are `into`'s now (its notes follow with
/// `into`'s, read again when the merged customer is saved).
pub async fn merged(state: &AppState, from: &str, into: &str) {
    state.mentions.lock().await.recustomer(from, into);
}

async fn read_notes(state: &AppState, book: &mut Mentions, customer: &str) -> StoreResult<()> {
    // Not built yet (the build reads everything), or no competitor to find.
    if !book.is_built() || book.built_for(&[]) {
        return Ok(());
    }
    let Some(rid) = record_id(CUSTOMER, customer) else { return Ok(()) };
    let notes = store::notes_since(&state.db, period_start_at(state.clock.now()), &rid).await?;
    let Some(matcher) = book.matcher() else { return Ok(()) };
    let found: Vec<Mention> = notes.iter().flat_map(|n| of_note(matcher, n)).collect();
    book.put_notes(customer, found);
    Ok(())
}

fn put_deal(book: &mut Mentions, deal: &Deal) {
    let Some(matcher) = book.matcher() else { return };
    let text = DealText {
        title: &deal.title,
        competitor: &deal.competitor,
        lost_reason: &deal.lost_reason,
        status: deal.status,
        created_at: deal.created_at,
        closed_at: deal.closed_at,
    };
    let found = deal_mentions(matcher, &text);
    book.put_deal(&deal.id, &deal.customer_id, found);
}

fn of_note(matcher: &Matcher, note: &NoteRow) -> Vec<Mention> {
    note_mentions(matcher, &note.summary, &note.next_step, note.at)
}

fn row_text(d: &DealRow) -> DealText<'_> {
    let status = DealStatus::parse(&d.status).unwrap_or_default();
    DealText { title: &d.title, competitor: &d.competitor, lost_reason: &d.lost_reason, status, created_at: d.created_at, closed_at: d.closed_at }
}
