//! Merging two records of the same customer (an admin's cleanup): contacts, timeline, deals,
//! orders, reminders and the rest move over, tags are joined, empty fields take the other's
//! values, and the other record goes — one transaction, with an event for each.

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::{Customer, CustomerInput, Tag};
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::lifecycle::note;
use super::service::{customer_id, named};
use crate::access;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::CustomerPatch;
use crate::store::customers as store;

/// An admin folds `from` into `into`: contacts and timeline move over, tags are joined, and
/// empty fields of `into` take `from`'s values. `from` is gone afterwards.
pub async fn merge(state: &AppState, caller: &Caller, into: &str, from: &str) -> AppResult<Customer> {
    access::admin(caller)?;
    if into == from {
        return Err(AppError::Invalid(vec![FieldError::new("merge", Problem::Duplicate)]));
    }
    let (into_id, from_id) = (customer_id(into)?, customer_id(from)?);
    let keep = store::get_customer(&state.db, &into_id).await?.ok_or(AppError::NotFound)?;
    let gone = store::get_customer(&state.db, &from_id).await?.ok_or(AppError::NotFound)?;
    let (a, b) = (CustomerInput::from_customer(&keep), CustomerInput::from_customer(&gone));
    let pick = |x: &String, y: &String| if x.is_empty() { y.clone() } else { x.clone() };
    let merged_input = CustomerInput {
        industry: pick(&a.industry, &b.industry),
        region: pick(&a.region, &b.region),
        source: pick(&a.source, &b.source),
        phone: pick(&a.phone, &b.phone),
        email: pick(&a.email, &b.email),
        credit_code: pick(&a.credit_code, &b.credit_code),
        address: pick(&a.address, &b.address),
        notes: match (a.notes.is_empty(), b.notes.is_empty()) {
            (_, true) => a.notes.clone(),
            (true, false) => b.notes.clone(),
            (false, false) => format!("{}\n\n{}", a.notes, b.notes),
        },
        ..a.clone()
    };
    let mut tags: Vec<Tag> = keep.tags.clone();
    for t in &gone.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    let now = state.clock.now();
    let mut patch = CustomerPatch::from_input(&merged_input, now);
    patch.version = keep.version + 1;
    let last = keep.last_contact_at.max(gone.last_contact_at);
    let summary = format!("{} 将客户「{}」合并进来", caller.user.display_name, gone.name);
    let merged_event = |customer: &str, subject: &str| {
        Event::by(caller, EventKind::Merged, state.clock.now()).about(customer, subject).change("merged", gone.name.clone(), keep.name.clone())
    };
    let events = [merged_event(into, &keep.name), merged_event(from, &gone.name)];
    let note = note(&into_id, &caller.user.display_name, summary, now);
    let merged = store::merge(&state.db, &into_id, &from_id, patch, tags.iter().map(Tag::key).collect(), last, note, &events).await?;
    follow(state, vec![Effect::Merged { from: from.to_string(), into: into.to_string() }, Effect::Customer(merged.clone())]).await;
    Ok(named(state, merged))
}
