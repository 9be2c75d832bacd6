//! Erasing a person (个人信息保护法 / GDPR): their personal fields blanked or replaced, in
//! the customer, its contacts, its follow-up notes and the history kept about it — values
//! that name the person are replaced in past events too — while orders, amounts and deals
//! stay for the books. One transaction with the erasure's own event (which holds no erased
//! value).

use chrono::{DateTime, Utc};
use surrealdb::types::RecordId;

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, APPEND};
use crate::events::Event;

/// What an erasure changes.
pub struct Erasure {
    pub customer: RecordId,
    /// The customer's own fields too (an individual customer, not only a contact of a company).
    pub whole_customer: bool,
    pub contacts: Vec<RecordId>,
    /// The values that name the person: replaced wherever they appear in the history.
    pub values: Vec<String>,
    /// What the person is called from now on.
    pub placeholder: String,
    pub now: DateTime<Utc>,
}

pub const ERASED: &str = "（已删除）";

pub async fn erase(db: &Db, erasure: Erasure, events: &[Event]) -> StoreResult<()> {
    let key = super::ids::key_of(&erasure.customer);
    db.transact(format!(
        "BEGIN TRANSACTION;
         IF $whole {{
             UPDATE $customer SET name = $placeholder, name_key = $placeholder, phone = '', phone_key = '', email = '', email_key = '',
                 credit_code = '', credit_code_key = '', address = '', notes = '', updated_at = $now, version += 1;
             UPDATE touchpoint SET summary = $erased, next_step = '' WHERE customer = $customer;
             DELETE care_date WHERE customer = $customer;
             UPDATE survey SET comment = '', sent_to = '' WHERE customer = $customer;
         }};
         UPDATE $contacts SET name = $placeholder, title = '', phone = '', phone_key = '', email = '', email_key = '', birthday = NONE;
         UPDATE event SET
             subject = IF subject IN $values {{ $placeholder }} ELSE {{ subject }},
             changes = changes.map(|$c| {{
                 field: $c.field,
                 before: IF $c.before IN $values {{ $erased }} ELSE {{ $c.before }},
                 after: IF $c.after IN $values {{ $erased }} ELSE {{ $c.after }}
             }})
             WHERE customer = $key;
         {APPEND}
         COMMIT TRANSACTION;"
    ))
    .bind(("whole", erasure.whole_customer))
    .bind(("customer", erasure.customer))
    .bind(("contacts", erasure.contacts))
    .bind(("values", erasure.values))
    .bind(("placeholder", erasure.placeholder))
    .bind(("erased", ERASED))
    .bind(("now", erasure.now))
    .bind(("key", key))
    .bind(("events", event_rows(events)))
    .await?
    .check()?;
    Ok(())
}
