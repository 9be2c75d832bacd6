//! Importing customers from a CSV or XLSX file, for a signed-in caller: the file read, its
//! rows checked like the forms, owners resolved within the caller's rights, duplicates found
//! against the store and within the file (the plan: `kehu_domain::customers::import`), then
//! — for a real run — written in batches, each batch with its events and its undo record in
//! one transaction. The dry run is the same plan without the writing.
//!
//! Undo removes the customers an import created and puts the ones it updated back, except
//! those changed since, which are listed and left alone.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::diff::customer_changes;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::import::*;
use kehu_domain::customers::normalize::{email_key, phone_key};
use kehu_domain::customers::types::{Customer, CustomerInput, Tag};
use kehu_domain::customers::validate::validate_contact;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::i18n::{import_problems_text, Lang};
use kehu_domain::insight::orders::ImportProgress;

use super::service::customer_id;
use super::phases::Phases;
use super::writers::in_parallel;
use crate::access;
use crate::events::Event;
use crate::files::table::{read_table, Table};
use crate::followers::{follow, Effect};
use crate::insight::import::Progress;
use crate::readmodel::directory::SearchContact;
use crate::state::AppState;
use crate::store::customer_import::{self as store, Batch, Before, ImportRecord, Update};
use crate::store::customer_rows::{CustomerPatch, NewContact, NewCustomer, CONTACT, CUSTOMER};
use crate::store::ids::{key_of, new_id, record_id};

/// Rows written per transaction.
const BATCH: usize = 500;
/// Imports listed on the page.
const LISTED_IMPORTS: usize = 20;
pub const IMPORT_TABLE: &str = "customer_import";

fn file_problem(problem: Problem) -> AppError {
    AppError::Invalid(vec![FieldError::new("file", problem)])
}

/// Reads the file; an empty one, or one with a header and no rows, is refused.
fn table(bytes: &[u8], sheet: &str) -> AppResult<(Table, Vec<String>)> {
    let table = read_table(bytes, Some(sheet)).map_err(file_problem)?;
    let headings = match table.rows.first() {
        Some((_, Ok(cells))) if cells.iter().any(|c| !c.trim().is_empty()) => cells.iter().map(|c| c.trim().to_string()).collect(),
        Some((_, Err(()))) => return Err(file_problem(Problem::NotText)),
        _ => return Err(file_problem(Problem::Required)),
    };
    if !table.rows.iter().skip(1).any(|(_, r)| r.as_ref().map_or(true, |cells| !blank(cells))) {
        return Err(AppError::Invalid(vec![FieldError::new("rows", Problem::Required)]));
    }
    Ok((table, headings))
}

fn blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// What the page shows once a file is chosen: sheets, headings, the mapping proposed (the
/// one saved for these headings, else guessed) and the first rows.
pub async fn preview(state: &AppState, bytes: &[u8], sheet: &str) -> AppResult<ImportPreview> {
    let (table, headings) = table(bytes, sheet)?;
    let saved = store::mapping_for(&state.db, &header_signature(&headings)).await?.filter(|m| m.len() == headings.len());
    let remembered = saved.is_some();
    let mapping = saved.unwrap_or_else(|| guess_mapping(&headings));
    let data: Vec<Vec<String>> = table.rows.iter().skip(1).filter_map(|(_, r)| r.as_ref().ok()).filter(|c| !blank(c)).take(5).cloned().collect();
    Ok(ImportPreview {
        sheets: table.sheets.clone(),
        sheet: table.sheet.clone(),
        encoding: table.encoding.to_string(),
        rows: table.rows.len().saturating_sub(1) as u64,
        headings,
        mapping,
        remembered,
        sample: data,
    })
}

/// The mapping must name each field once and say where the customer's (or the person's)
/// name is.
fn check_mapping(settings: &ImportSettings, headings: &[String]) -> AppResult<()> {
    let problem = |p| Err(AppError::Invalid(vec![FieldError::new("mapping", p)]));
    if settings.mapping.len() > headings.len() {
        return problem(Problem::TooMany { max: headings.len() });
    }
    let fields: Vec<ImportField> = settings.mapping.iter().flatten().copied().collect();
    if fields.iter().enumerate().any(|(i, f)| fields[..i].contains(f)) {
        return problem(Problem::Duplicate);
    }
    if !fields.contains(&ImportField::Name) && !fields.contains(&ImportField::ContactName) {
        return problem(Problem::Required);
    }
    if settings.keys.is_empty() && settings.mode == ImportMode::UpdateOnly {
        return Err(AppError::Invalid(vec![FieldError::new("keys", Problem::Required)]));
    }
    Ok(())
}

/// The store's customers by their keys, and who each belongs to.
struct Existing {
    by_key: HashMap<(DedupeKey, String), String>,
    owner_region: HashMap<String, (String, String)>,
    /// (customer, phone or e-mail key) of every contact.
    contact_keys: HashSet<(String, String)>,
}

async fn existing(state: &AppState) -> AppResult<Existing> {
    let (customers, contacts) = store::keys(&state.db).await?;
    let mut by_key = HashMap::with_capacity(customers.len() * 3);
    let mut owner_region = HashMap::with_capacity(customers.len());
    for c in customers {
        let id = key_of(&c.id);
        for (key, value) in [(DedupeKey::Name, c.name_key), (DedupeKey::Mobile, c.phone_key), (DedupeKey::Email, c.email_key), (DedupeKey::CreditCode, c.credit_code_key)] {
            if usable_key(key, &value) {
                by_key.entry((key, value)).or_insert_with(|| id.clone());
            }
        }
        owner_region.insert(id, (c.owner, c.region));
    }
    let mut contact_keys = HashSet::with_capacity(contacts.len() * 2);
    for c in contacts {
        let id = key_of(&c.customer);
        for (key, value) in [(DedupeKey::Mobile, c.phone_key), (DedupeKey::Email, c.email_key)] {
            if usable_key(key, &value) {
                by_key.entry((key, value.clone())).or_insert_with(|| id.clone());
                contact_keys.insert((id.clone(), value));
            }
        }
    }
    Ok(Existing { by_key, owner_region, contact_keys })
}

/// A file read and planned: each row's action, by index with its row.
pub struct Prepared {
    headings: Vec<String>,
    /// (line, the cells as in the file), for the error sheet.
    data: Vec<(u64, Vec<String>)>,
    rows: Vec<Result<ImportRow, (u64, Vec<FieldError>)>>,
    actions: Vec<(u64, RowAction)>,
    existing: Existing,
}

/// Who a row's owner cell names (a username or a display name), as the caller may give
/// customers: a rep only to themselves; a manager or admin to someone in their scope.
fn owner_of(state: &AppState, caller: &Caller, people: &HashMap<String, String>, cell: &str, default: &str) -> Result<String, Problem> {
    let named = if cell.trim().is_empty() { default.trim() } else { cell.trim() };
    if named.is_empty() {
        return Ok(caller.user.username.clone());
    }
    let username = people.get(named).or_else(|| people.get(&named.to_lowercase())).ok_or(Problem::UnknownChoice)?;
    if *username == caller.user.username {
        return Ok(username.clone());
    }
    match state.users.get(username) {
        Some(u) if u.user.active && access::may_assign_to(caller, username) => Ok(username.clone()),
        _ => Err(Problem::UnknownChoice),
    }
}

/// Reads, checks and plans the file; nothing is written.
pub async fn prepare(state: &AppState, caller: &Caller, bytes: &[u8], settings: &ImportSettings) -> AppResult<Prepared> {
    // Service agents own no customers, so they bring none in.
    if caller.is_service() {
        return Err(AppError::Forbidden);
    }
    let (table, headings) = table(bytes, &settings.sheet)?;
    check_mapping(settings, &headings)?;
    let people = people(state);
    if let Err(p) = owner_of(state, caller, &people, "", &settings.default_owner) {
        return Err(AppError::Invalid(vec![FieldError::new("default_owner", p)]));
    }
    let today = state.clock.today();
    let mut data = Vec::with_capacity(table.rows.len());
    let mut rows = Vec::with_capacity(table.rows.len());
    for (line, cells) in table.rows.into_iter().skip(1) {
        let row = match &cells {
            Ok(cells) if blank(cells) => continue,
            Ok(cells) => read_row(cells, settings, line, today).map_err(|e| (line, e)),
            Err(()) => Err((line, vec![FieldError::new("file", Problem::NotText)])),
        };
        let row = row.and_then(|mut row| match owner_of(state, caller, &people, &row.customer.owner, &settings.default_owner) {
            Ok(owner) => {
                row.customer.owner = owner;
                Ok(row)
            }
            Err(p) => Err((line, vec![FieldError::new("owner", p)])),
        });
        data.push((line, cells.unwrap_or_default()));
        rows.push(row);
    }
    let existing = existing(state).await?;
    let mut actions = plan(&rows, settings, |key, value| existing.by_key.get(&(key, value.to_string())).cloned());
    for (_, action) in &mut actions {
        match action {
            RowAction::Update { customer_id } => {
                let (owner, region) = existing.owner_region.get(customer_id).cloned().unwrap_or_default();
                if !access::changes(caller, &owner, &region) {
                    *action = RowAction::Refuse { problems: vec![FieldError::new("name", Problem::OwnedByColleague)] };
                }
            }
            // Which customer a colleague has is not the caller's to learn.
            RowAction::SkipDuplicate { customer_id } => {
                let (owner, region) = existing.owner_region.get(customer_id).cloned().unwrap_or_default();
                if !access::sees(caller, &owner, &region) {
                    customer_id.clear();
                }
            }
            _ => {}
        }
    }
    Ok(Prepared { headings, data, rows, actions, existing })
}

/// Everyone a row may name as owner, by username and by display name.
fn people(state: &AppState) -> HashMap<String, String> {
    let mut people = HashMap::new();
    for u in state.users.all() {
        people.insert(u.display_name.clone(), u.username.clone());
        people.insert(u.username.to_lowercase(), u.username.clone());
    }
    people
}

/// What the import would do.
pub async fn dry_run(state: &AppState, caller: &Caller, bytes: &[u8], settings: &ImportSettings) -> AppResult<DryRun> {
    let prepared = prepare(state, caller, bytes, settings).await?;
    let mut refused = Vec::new();
    let mut repeated = Vec::new();
    for (line, action) in &prepared.actions {
        match action {
            RowAction::Refuse { problems } if refused.len() < LISTED_AT_MOST => refused.push((*line, problems.clone())),
            RowAction::DuplicateInFile { first_line } if repeated.len() < LISTED_AT_MOST => repeated.push((*line, *first_line)),
            _ => {}
        }
    }
    Ok(DryRun { counts: count(&prepared.actions), refused, repeated })
}

/// The refused rows as they were in the file, with a last column saying why, to fix and
/// import again: (headings, rows).
pub async fn error_rows(state: &AppState, caller: &Caller, bytes: &[u8], settings: &ImportSettings, lang: Lang) -> AppResult<Vec<Vec<String>>> {
    let prepared = prepare(state, caller, bytes, settings).await?;
    let reason = match lang {
        Lang::Zh => "错误原因",
        Lang::En => "Problem",
    };
    let mut out = vec![prepared.headings.iter().cloned().chain([reason.to_string()]).collect::<Vec<_>>()];
    for ((_, cells), (_, action)) in prepared.data.iter().zip(&prepared.actions) {
        if let RowAction::Refuse { problems } = action {
            let mut row = cells.clone();
            row.resize(prepared.headings.len(), String::new());
            row.push(import_problems_text(problems, &prepared.headings, &settings.mapping, lang));
            out.push(row);
        }
    }
    Ok(out)
}

/// Imports the file: the plan, then the rows that create or update, batch by batch. A rep
/// may not go beyond their customer limit. Returns what was done; its id undoes it.
pub async fn run(state: &AppState, caller: &Caller, bytes: &[u8], settings: &ImportSettings, file: &str, progress: &Progress) -> AppResult<ImportSummary> {
    let mut phases = Phases::start();
    let prepared = prepare(state, caller, bytes, settings).await?;
    phases.end("plan");
    let mut counts = count(&prepared.actions);
    if !caller.can_assign() {
        let max = caller.user.max_customers;
        if state.directory.owned_by(&caller.user.username) + counts.create as usize > max as usize {
            return Err(AppError::LimitReached { max });
        }
    }
    let now = state.clock.now();
    let id = new_id(IMPORT_TABLE);
    let name: String = file.chars().take(200).collect();
    store::save(
        &state.db,
        ImportRecord {
            id: id.clone(),
            by: caller.user.username.clone(),
            at: now,
            file: name.clone(),
            create: 0,
            update: 0,
            skip_duplicate: 0,
            skip_not_found: 0,
            duplicate_in_file: 0,
            refuse: 0,
            created: Vec::new(),
            updated: Vec::new(),
            undone_at: None,
        },
    )
    .await?;
    let overwrite = settings.mode == ImportMode::CreateAndOverwrite;
    let work: Vec<usize> = (0..prepared.actions.len()).filter(|&i| matches!(prepared.actions[i].1, RowAction::Create | RowAction::Update { .. })).collect();
    let mut report = ImportProgress { lines_read: prepared.actions.len() as u64, orders: work.len() as u64, orders_written: 0 };
    progress(report);
    let mut created: Vec<(Customer, Vec<SearchContact>)> = Vec::new();
    let mut updated = Vec::new();
    // The batches never touch the same customer (a customer a file names twice is a
    // duplicate in the file), so they are written in parallel.
    let prepared = Arc::new(prepared);
    let chunks: Vec<Vec<usize>> = work.chunks(BATCH).map(<[usize]>::to_vec).collect();
    let job = |chunk: Vec<usize>| {
        let (state, caller, prepared, id) = (state.clone(), caller.clone(), Arc::clone(&prepared), id.clone());
        async move { write_chunk(&state, &caller, &prepared, &chunk, &id, overwrite).await }
    };
    // What they wrote stays undoable if a later batch fails.
    in_parallel(chunks, job, |written: Written| {
        counts.update -= written.unchanged;
        counts.skip_duplicate += written.unchanged;
        report.orders_written += written.rows as u64;
        created.extend(written.created);
        updated.extend(written.updated);
        progress(report);
    })
    .await?;
    store::finish(&state.db, &id, counts).await?;
    phases.end("writes");
    if let Err(e) = store::remember_mapping(&state.db, &header_signature(&prepared.headings), &settings.mapping).await {
        tracing::warn!("the import's column mapping was not saved for next time: {e}");
    }
    created.extend(with_contacts(state, updated).await?);
    phases.end("reading updated back");
    let touched = created.iter().map(|(c, _)| c.id.clone()).collect();
    follow_bulk(state, created, Vec::new(), touched, &mut phases).await;
    phases.log(&format!("import of {} rows", prepared.actions.len()));
    Ok(ImportSummary { id: key_of(&id), file: name, by: caller.user.username.clone(), at: now, counts, undone_at: None })
}

/// Hands a bulk write's customers to the directory in one step, then works out the reminders
/// of those it touched (`touched`: saved and removed).
async fn follow_bulk(state: &AppState, saved: Vec<(Customer, Vec<SearchContact>)>, removed: Vec<String>, touched: Vec<String>, phases: &mut Phases) {
    follow(state, vec![Effect::Bulk { saved, removed }]).await;
    phases.end("directory");
    follow(state, vec![Effect::RemindersOfMany(touched)]).await;
    phases.end("reminders");
}

/// A customer's name as the directory has it (empty for one it no longer lists).
fn listed_name(state: &AppState, id: &RecordId) -> String {
    state.directory.row(&key_of(id)).map(|r| r.name).unwrap_or_default()
}

/// The event an undo writes for each customer it removes or puts back.
fn undone(caller: &Caller, now: DateTime<Utc>, import: &RecordId, key: &str, name: &str) -> Event {
    Event::by(caller, EventKind::ImportUndone, now).about(key, name).change("import", key_of(import), "")
}

/// Puts one batch of an import's updated customers back as they were before it, in one
/// transaction (planned again if one changes meanwhile). Those changed since the import (or
/// gone) are left alone. Returns (restored, left alone as (id, name)).
async fn restore_chunk(state: &AppState, caller: &Caller, now: DateTime<Utc>, import: &RecordId, chunk: &[Before]) -> AppResult<(Vec<RecordId>, Vec<(String, String)>)> {
    for _ in 0..5 {
        let now_at: HashMap<RecordId, i64> = store::versions(&state.db, chunk.iter().map(|b| b.id.clone()).collect()).await?.into_iter().collect();
        let (back, changed): (Vec<&Before>, Vec<&Before>) = chunk.iter().partition(|b| now_at.get(&b.id) == Some(&b.version_after));
        let events: Vec<Event> = back.iter().map(|b| undone(caller, now, import, &key_of(&b.id), &b.patch.name)).collect();
        if store::restore(&state.db, &back, &events).await? {
            return Ok((back.iter().map(|b| b.id.clone()).collect(), changed.iter().map(|b| (key_of(&b.id), listed_name(state, &b.id))).collect()));
        }
    }
    Err(AppError::Busy { retry_after_secs: 10 })
}

/// Customers a bulk write changed, as stored now, with their contacts' search text: what the
/// directory takes in one `Effect::Bulk`. (Followed one by one, each cost a read of its
/// contacts and a reminder run of its own — about 5 ms an updated customer, which made an
/// import's updates six times slower than its creates; everyone's reminders are worked out
/// once after the bulk write anyway.)
async fn with_contacts(state: &AppState, ids: Vec<RecordId>) -> AppResult<Vec<(Customer, Vec<SearchContact>)>> {
    let mut contacts = crate::store::customers::search_contacts_of(&state.db, ids.clone()).await?;
    Ok(store::current(&state.db, ids)
        .await?
        .into_iter()
        .map(|r| {
            let customer = r.into_customer();
            let search = contacts.remove(&customer.id).unwrap_or_default();
            (customer, search)
        })
        .collect())
}

fn contacts_of(contacts: &[NewContact], customer: &RecordId) -> Vec<SearchContact> {
    contacts.iter().filter(|c| c.customer == *customer).map(|c| SearchContact { name: c.name.clone(), phone: c.phone.clone(), email: c.email.clone() }).collect()
}

/// What one batch wrote: its new customers (with their contacts' search text) and updated
/// ones for the directory, the updates that would have changed nothing, and its rows.
struct Written {
    created: Vec<(Customer, Vec<SearchContact>)>,
    updated: Vec<RecordId>,
    unchanged: u64,
    rows: usize,
}

/// Plans and writes one batch; if someone saved one of its customers meanwhile, plans it
/// again from what is stored now (a few times, then the import gives up as busy).
async fn write_chunk(state: &AppState, caller: &Caller, prepared: &Prepared, chunk: &[usize], import: &RecordId, overwrite: bool) -> AppResult<Written> {
    for _ in 0..5 {
        let (batch, unchanged) = batch_of(state, caller, prepared, chunk, import, overwrite).await?;
        let created = batch.creates.iter().map(|c| (c.as_customer(), contacts_of(&batch.contacts, &c.id))).collect();
        let updated = batch.updates.iter().map(|u| u.id.clone()).collect();
        if store::write_batch(&state.db, import, batch).await? {
            return Ok(Written { created, updated, unchanged, rows: chunk.len() });
        }
    }
    Err(AppError::Busy { retry_after_secs: 10 })
}

/// One batch's writes, from the customers as they are stored now; and how many updates
/// would change nothing (left out, counted as duplicates).
async fn batch_of(state: &AppState, caller: &Caller, prepared: &Prepared, chunk: &[usize], import: &RecordId, overwrite: bool) -> AppResult<(Batch, u64)> {
    let now = state.clock.now();
    let today = state.clock.today();
    let import_key = key_of(import);
    let targets: Vec<RecordId> = chunk
        .iter()
        .filter_map(|&i| match &prepared.actions[i].1 {
            RowAction::Update { customer_id: id } => customer_id(id).ok(),
            _ => None,
        })
        .collect();
    let current: HashMap<String, _> = store::current(&state.db, targets).await?.into_iter().map(|r| (key_of(&r.id), r)).collect();
    let mut batch = Batch::default();
    let mut unchanged = 0;
    for &i in chunk {
        let Ok(row) = &prepared.rows[i] else { continue };
        let contact = row.contact.as_ref().and_then(|c| validate_contact(c, today).ok());
        match &prepared.actions[i].1 {
            RowAction::Create => {
                let rid = new_id(CUSTOMER);
                let key = key_of(&rid);
                let new = NewCustomer::from_input(rid.clone(), &row.customer, now);
                batch.events.push(
                    Event::by(caller, EventKind::CustomerCreated, now)
                        .about(&key, &row.customer.name)
                        .changes(customer_changes(&CustomerInput::default(), &row.customer))
                        .change("import", "", import_key.clone()),
                );
                if let Some(c) = &contact {
                    batch.contacts.push(NewContact::from_valid(new_id(CONTACT), rid, c, now));
                }
                batch.creates.push(new);
            }
            RowAction::Update { customer_id } => {
                // Gone since the plan (merged away): nothing to update.
                let Some(record) = current.get(customer_id) else {
                    unchanged += 1;
                    continue;
                };
                let stored = record.clone().into_customer();
                let before = CustomerInput::from_customer(&stored);
                let after = merged(&before, &row.customer, overwrite);
                let new_contact = contact.filter(|c| {
                    let phone = phone_key(&c.phone);
                    let email = email_key(&c.email);
                    let known = |k: &String| prepared.existing.contact_keys.contains(&(customer_id.clone(), k.clone()));
                    (usable_key(DedupeKey::Mobile, &phone) && !known(&phone)) || (usable_key(DedupeKey::Email, &email) && !known(&email))
                });
                if after == before && new_contact.is_none() {
                    unchanged += 1;
                    continue;
                }
                let added_tags: Vec<String> = after.tags.iter().filter(|t| !before.tags.contains(t)).map(Tag::key).collect();
                let mut patch = CustomerPatch::from_input(&after, now);
                patch.version = stored.version + 1;
                let mut old = CustomerPatch::from_input(&before, stored.updated_at);
                old.version = stored.version;
                let mut added_contacts = Vec::new();
                if let Some(c) = &new_contact {
                    let contact_id = new_id(CONTACT);
                    added_contacts.push(contact_id.clone());
                    batch.contacts.push(NewContact::from_valid(contact_id, record.id.clone(), c, now));
                }
                batch.events.push(
                    Event::by(caller, EventKind::CustomerUpdated, now)
                        .about(customer_id, &after.name)
                        .changes(customer_changes(&before, &after))
                        .change("import", "", import_key.clone()),
                );
                batch.updates.push(Update { id: record.id.clone(), patch, add_tags: added_tags.clone(), expected: stored.version });
                batch.befores.push(Before { id: record.id.clone(), patch: old, added_tags, added_contacts, version_after: stored.version + 1 });
            }
            _ => {}
        }
    }
    Ok((batch, unchanged))
}

/// The newest imports: an admin's view has everyone's, anyone else's their own.
pub async fn recent(state: &AppState, caller: &Caller) -> AppResult<Vec<ImportSummary>> {
    let by = (!caller.is_admin()).then_some(caller.user.username.as_str());
    let records = store::recent(&state.db, by, LISTED_IMPORTS).await?;
    Ok(records.into_iter().map(|r| summary(&r)).collect())
}

fn summary(r: &ImportRecord) -> ImportSummary {
    ImportSummary { id: key_of(&r.id), file: r.file.clone(), by: r.by.clone(), at: r.at, counts: r.counts(), undone_at: r.undone_at }
}

/// Undoes an import of the caller's (an admin may undo anyone's): customers it created are
/// removed and those it updated put back, except those changed since, which are listed.
pub async fn undo(state: &AppState, caller: &Caller, import: &str) -> AppResult<UndoReport> {
    let rid = record_id(IMPORT_TABLE, import).ok_or(AppError::NotFound)?;
    let record = store::get(&state.db, &rid).await?.filter(|r| r.by == caller.user.username || caller.is_admin()).ok_or(AppError::NotFound)?;
    if record.undone_at.is_some() {
        return Err(AppError::Invalid(vec![FieldError::new("import", Problem::SameAsBefore)]));
    }
    let mut phases = Phases::start();
    let now = state.clock.now();
    let note = |key: &str, name: &str| undone(caller, now, &rid, key, name);
    let name_of = |id: &RecordId| listed_name(state, id);
    // Removed and restored in parallel, a batch per transaction: no two batches share a
    // customer.
    let mut removed: Vec<RecordId> = Vec::new();
    let removals: Vec<(Vec<RecordId>, Vec<Event>)> = record
        .created
        .chunks(BATCH)
        .map(|ids| (ids.to_vec(), ids.iter().map(|id| note(&key_of(id), &name_of(id))).collect()))
        .collect();
    let remove = |(ids, events): (Vec<RecordId>, Vec<Event>)| {
        let db = state.db.clone();
        async move { store::remove_created(&db, ids, &events).await.map_err(AppError::from) }
    };
    in_parallel(removals, remove, |gone| removed.extend(gone)).await?;
    let gone: HashSet<&RecordId> = removed.iter().collect();
    let mut left_alone: Vec<(String, String)> =
        record.created.iter().filter(|id| !gone.contains(id)).map(|id| (key_of(id), name_of(id))).collect();
    phases.end("removing");
    let mut restored = Vec::new();
    let restore = |chunk: Vec<Before>| {
        let (state, caller) = (state.clone(), caller.clone());
        let rid = rid.clone();
        async move { restore_chunk(&state, &caller, now, &rid, &chunk).await }
    };
    in_parallel(record.updated.chunks(BATCH).map(<[Before]>::to_vec).collect(), restore, |(back, changed)| {
        restored.extend(back);
        left_alone.extend(changed);
    })
    .await?;
    store::mark_undone(&state.db, &rid, now).await?;
    phases.end("restoring");
    let report = UndoReport { removed: removed.len() as u64, restored: restored.len() as u64, left_alone };
    let saved = with_contacts(state, restored).await?;
    phases.end("reading restored back");
    let removed: Vec<String> = removed.iter().map(key_of).collect();
    let touched = saved.iter().map(|(c, _)| c.id.clone()).chain(removed.iter().cloned()).collect();
    follow_bulk(state, saved, removed, touched, &mut phases).await;
    phases.log(&format!("undo of {} created and {} updated", record.created.len(), record.updated.len()));
    Ok(report)
}
