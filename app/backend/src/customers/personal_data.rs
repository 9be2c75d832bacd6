//! One person's data (个人信息保护法 / GDPR), for an admin acting on their request: all that
//! Kehu holds about them as one file, and erasure — their name, phone, e-mail, birthday and
//! free text anonymised wherever they are kept, history included, while orders, amounts and
//! deals stay for the books. A person is an individual customer (个人客户) or a contact.

use serde_json::json;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::{Contact, CustomerKind};
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};

use super::service::{self, customer_id};
use crate::access;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::customer_rows::CONTACT;
use crate::store::customers::get_customer;
use crate::store::ids::record_id;
use crate::store::personal_data::{self as store, Erasure};

/// The contact named, or — none named — the customer if it is a person (a company is not a
/// person: one of its contacts is).
fn the_person<'a>(kind: CustomerKind, contacts: &'a [Contact], contact: Option<&str>) -> AppResult<Option<&'a Contact>> {
    match contact.filter(|c| !c.is_empty()) {
        Some(id) => contacts.iter().find(|c| c.id == id).map(Some).ok_or(AppError::NotFound),
        None if kind == CustomerKind::Person => Ok(None),
        None => Err(AppError::Invalid(vec![FieldError::new("contact", Problem::Required)])),
    }
}

fn values_of(c: &Contact) -> Vec<String> {
    [c.name.clone(), c.phone.clone(), c.email.clone(), c.birthday.map(|b| b.to_string()).unwrap_or_default()].into_iter().filter(|v| !v.trim().is_empty()).collect()
}

/// Everything held about the person, as JSON.
pub async fn export(state: &AppState, caller: &Caller, customer: &str, contact: Option<&str>) -> AppResult<serde_json::Value> {
    access::admin(caller)?;
    let profile = service::profile(state, caller, customer).await?;
    let history = crate::audit::customer_history(state, caller, customer).await?;
    let person = the_person(profile.customer.kind, &profile.contacts, contact)?;
    Ok(match person {
        Some(c) => {
            let values = values_of(c);
            let mentions: Vec<_> = history.into_iter().filter(|e| values.contains(&e.subject) || e.changes.iter().any(|ch| values.contains(&ch.before) || values.contains(&ch.after))).collect();
            json!({ "person": "contact", "contact": c, "of_customer": { "id": profile.customer.id, "name": profile.customer.name }, "history": mentions })
        }
        None => {
            let deals = crate::pipeline::deals::of_customer(state, caller, customer).await?;
            json!({ "person": "customer", "customer": profile.customer, "contacts": profile.contacts, "timeline": profile.timeline, "orders": profile.orders, "deals": deals, "history": history })
        }
    })
}

/// Erases the person. The erasure is in the log, without the erased values.
pub async fn erase(state: &AppState, caller: &Caller, customer: &str, contact: Option<&str>) -> AppResult<()> {
    access::admin(caller)?;
    let profile = service::profile(state, caller, customer).await?;
    let person = the_person(profile.customer.kind, &profile.contacts, contact)?;
    let rid = customer_id(customer)?;
    let (erasure, scope) = match person {
        Some(c) => {
            let contact = record_id(CONTACT, &c.id).ok_or(AppError::NotFound)?;
            let erasure = Erasure { customer: rid.clone(), whole_customer: false, contacts: vec![contact], values: values_of(c), placeholder: "已删除的联系人".into(), now: state.clock.now() };
            (erasure, "contact")
        }
        None => {
            let c = &profile.customer;
            let mut values: Vec<String> = [c.name.clone(), c.phone.clone(), c.email.clone(), c.credit_code.clone(), c.address.clone(), c.notes.clone()].into_iter().filter(|v| !v.trim().is_empty()).collect();
            values.extend(profile.contacts.iter().flat_map(values_of));
            let contacts = profile.contacts.iter().filter_map(|c| record_id(CONTACT, &c.id)).collect();
            let short: String = c.id.chars().take(6).collect();
            let erasure = Erasure { customer: rid.clone(), whole_customer: true, contacts, values, placeholder: format!("已匿名客户 {short}"), now: state.clock.now() };
            (erasure, "customer")
        }
    };
    let event = Event::by(caller, EventKind::PersonalDataErased, state.clock.now()).about(customer, &erasure.placeholder).change("person", "", scope);
    store::erase(&state.db, erasure, &[event]).await?;
    if let Some(customer) = get_customer(&state.db, &rid).await? {
        follow(state, vec![Effect::Customer(customer)]).await;
    }
    Ok(())
}
