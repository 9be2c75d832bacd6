//! Changes that must find their record as expected — still at the version read, still of
//! this customer, still open — or write nothing at all, their events included. The
//! transaction checks inside itself and throws a marker when the record is not as expected;
//! the marker becomes "nothing was written" here, every other failure stays the store's.

use surrealdb::types::RecordId;

use super::transact::Transact;
use super::db::Db;
use super::error::StoreResult;
use super::events::{rows as event_rows, APPEND};
use crate::events::Event;

/// What a transaction throws when its record is not as expected.
pub const NOT_AS_EXPECTED: &str = "kehu:not-as-expected";

/// The response, or `None` if the transaction threw [`NOT_AS_EXPECTED`] (then nothing of it
/// was written). Any other failure is the store's.
pub fn as_expected(response: Result<super::transact::Answer, surrealdb::Error>) -> StoreResult<Option<super::transact::Answer>> {
    let response = response?;
    if response.threw(NOT_AS_EXPECTED) {
        return Ok(None);
    }
    Ok(Some(response.check()?))
}

/// Deletes a record with the events; false if there was none (and nothing was written).
/// With `customer`, only if the record is that customer's (an order, a do-not-disturb window,
/// a care date), so an id from elsewhere cannot reach another customer's data.
pub async fn delete_with(db: &Db, id: &RecordId, customer: Option<&RecordId>, events: &[Event]) -> StoreResult<bool> {
    let only_of_customer = if customer.is_some() { " WHERE customer = $customer" } else { "" };
    let response = db
        .transact(format!(
            "BEGIN TRANSACTION;
             LET $gone = (DELETE $id{only_of_customer} RETURN BEFORE);
             IF array::len($gone) = 0 {{ THROW '{NOT_AS_EXPECTED}' }};
             {APPEND}
             COMMIT TRANSACTION;"
        ))
        .bind(("id", id.clone()))
        .bind(("customer", customer.cloned()))
        .bind(("events", event_rows(events)))
        .await;
    Ok(as_expected(response)?.is_some())
}
