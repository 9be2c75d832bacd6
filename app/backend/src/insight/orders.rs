//! Products and orders for a signed-in caller: the catalogue (kept by admins and managers)
//! and a customer's orders (seen by whoever may see the customer, entered by whoever may
//! change it). Each change is written with its event; the order book follows and the
//! insight batch scores the customer again.

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, AppResult, FieldError, Problem};
use kehu_domain::insight::orders::{validate_order, validate_product};
use kehu_domain::insight::types::{Order, OrderInput, OrderLine, OrderSource, Product, ProductInput};
use kehu_domain::money::amount_plain;

use crate::access::{self, Need};
use crate::events::Event;
use crate::followers::{follow, Effect, Rescore};
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{key_of, new_id, record_id};
use crate::store::orders::{self as store, LineRecord, OrderRecord, SALES_ORDER};
use crate::store::products::{self as product_store, ProductRecord, PRODUCT};

pub(crate) fn today(state: &AppState) -> NaiveDate {
    state.clock.now().with_timezone(&state.policy.offset.0).date_naive()
}

pub fn products(state: &AppState) -> Vec<Product> {
    let mut all = state.orders.products();
    all.sort_by(|a, b| a.category.cmp(&b.category).then(a.name.cmp(&b.name)));
    all
}

/// Adds a product (`id` empty) or changes one; names stay unique, ignoring case.
pub async fn save_product(state: &AppState, caller: &Caller, id: &str, input: &ProductInput) -> AppResult<Vec<Product>> {
    access::manager(caller)?;
    let (name, category, price) = validate_product(input).map_err(AppError::Invalid)?;
    if state.orders.product_by_name(&name).is_some_and(|p| p.id != id) {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::Duplicate)]));
    }
    let now = state.clock.now();
    let before = state.orders.product_by_id(id);
    let event = Event::by(caller, EventKind::ProductSaved, state.clock.now())
        .subject(&name)
        .change("name", before.as_ref().map(|p| p.name.clone()).unwrap_or_default(), name.clone())
        .change("price", before.as_ref().map(|p| amount_plain(p.price_cents)).unwrap_or_default(), amount_plain(price));
    let saved = if id.is_empty() {
        let row = ProductRecord { id: new_id(PRODUCT), name, category, price_cents: price, created_at: now, updated_at: now };
        product_store::insert(&state.db, vec![row.clone()], &[event]).await?;
        row.into_product()
    } else {
        let rid = record_id(PRODUCT, id).ok_or(AppError::NotFound)?;
        if !product_store::update(&state.db, &rid, &name, &category, price, now, &[event]).await? {
            return Err(AppError::NotFound);
        }
        Product { id: id.to_string(), name, category, price_cents: price }
    };
    follow(state, vec![Effect::Product(saved)]).await;
    Ok(products(state))
}

fn to_order(state: &AppState, r: OrderRecord) -> Order {
    let lines = r
        .lines
        .into_iter()
        .map(|l| {
            let product_id = key_of(&l.product);
            let product_name = state.orders.product_by_id(&product_id).map(|p| p.name).unwrap_or_else(|| product_id.clone());
            OrderLine { product_id, product_name, quantity: l.quantity, amount_cents: l.amount_cents }
        })
        .collect();
    Order {
        id: key_of(&r.id),
        customer_id: key_of(&r.customer),
        on: r.on.date_naive(),
        order_no: r.order_no,
        carrier: r.carrier.unwrap_or_default(),
        lines,
        total_cents: r.total_cents,
        source: OrderSource::parse(&r.source),
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

/// A customer's orders, newest first. What the insight feature offers the customer profile.
pub async fn of_customer(state: &AppState, rid: &RecordId) -> AppResult<Vec<Order>> {
    let ids = state.orders.order_ids(&key_of(rid)).iter().filter_map(|id| record_id(SALES_ORDER, id)).collect();
    Ok(store::by_ids(&state.db, ids).await?.into_iter().map(|r| to_order(state, r)).collect())
}

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<Order>> {
    access::customer(state, caller, customer, Need::See)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    of_customer(state, &rid).await
}

/// One order checked and made ready to write, with its event; or its field problems, named
/// under `prefix` (empty for a single order, `orders.3.` in a bulk call).
fn prepare(state: &AppState, caller: &Caller, customer: &str, input: &OrderInput, prefix: &str) -> AppResult<(OrderRecord, Event)> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let named = |errors: Vec<FieldError>| AppError::Invalid(errors.into_iter().map(|e| FieldError { field: format!("{prefix}{}", e.field), ..e }).collect());
    let order = validate_order(input, today(state)).map_err(named)?;
    let mut lines = Vec::new();
    let mut unknown = Vec::new();
    for (i, (product, quantity, amount)) in order.lines.iter().enumerate() {
        match (state.orders.product_by_id(product), record_id(PRODUCT, product)) {
            (Some(_), Some(prid)) => lines.push(LineRecord { product: prid, quantity: *quantity, amount_cents: *amount }),
            _ => unknown.push(FieldError::new(&format!("lines.{i}.product"), Problem::UnknownChoice)),
        }
    }
    if !unknown.is_empty() {
        return Err(named(unknown));
    }
    let now = state.clock.now();
    let row = OrderRecord::new(new_id(SALES_ORDER), rid, order.on, order.order_no, lines, OrderSource::Manual, &caller.user.username, now)
        .with_carrier(order.carrier);
    let summary = format!("{} {}", order.on, amount_plain(row.total_cents));
    let event = Event::by(caller, EventKind::OrderAdded, now).about(customer, &current.name).change("order", "", summary);
    Ok((row, event))
}

/// Adds one order; the customer's orders as they are now.
pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &OrderInput) -> AppResult<Vec<Order>> {
    let made = add_one(state, caller, customer, input).await?;
    let rid = record_id(CUSTOMER, &made.customer_id).ok_or(AppError::NotFound)?;
    of_customer(state, &rid).await
}

/// Adds one order; the order made.
pub async fn add_one(state: &AppState, caller: &Caller, customer: &str, input: &OrderInput) -> AppResult<Order> {
    let (row, event) = prepare(state, caller, customer, input, "")?;
    store::upsert(&state.db, vec![row.clone()], &[event]).await?;
    let made = to_order(state, row.clone());
    follow(state, vec![Effect::Orders { written: vec![row], rescore: Rescore::Customer(customer.to_string()) }]).await;
    Ok(made)
}

/// The most orders one bulk call takes.
pub const BULK_AT_MOST: usize = 1000;

/// Adds many orders (customer, order) at once: all or none. Every order is checked first —
/// a customer the caller may not change counts as unknown — and the problems of all of them
/// come back together, named `orders.⟨i⟩.⟨field⟩`; then all are written in one transaction
/// with their events, and the insight batch scores everyone once.
pub async fn add_many(state: &AppState, caller: &Caller, orders: &[(String, OrderInput)]) -> AppResult<Vec<Order>> {
    if orders.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::new("orders", Problem::Required)]));
    }
    if orders.len() > BULK_AT_MOST {
        return Err(AppError::Invalid(vec![FieldError::new("orders", Problem::TooMany { max: BULK_AT_MOST })]));
    }
    let (mut rows, mut events, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (customer, input)) in orders.iter().enumerate() {
        match prepare(state, caller, customer, input, &format!("orders.{i}.")) {
            Ok((row, event)) => {
                rows.push(row);
                events.push(event);
            }
            Err(AppError::Invalid(errors)) => problems.extend(errors),
            Err(AppError::NotFound | AppError::Forbidden) => problems.push(FieldError::new(&format!("orders.{i}.customer_id"), Problem::UnknownChoice)),
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    store::upsert(&state.db, rows.clone(), &events).await?;
    let made = rows.iter().map(|r| to_order(state, r.clone())).collect();
    follow(state, vec![Effect::Orders { written: rows, rescore: Rescore::Everyone }]).await;
    Ok(made)
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, order_id: &str) -> AppResult<Vec<Order>> {
    let current = access::customer(state, caller, customer, Need::Change)?;
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let oid = record_id(SALES_ORDER, order_id).ok_or(AppError::NotFound)?;
    let before = of_customer(state, &rid).await?;
    let Some(gone) = before.iter().find(|o| o.id == order_id) else { return Err(AppError::NotFound) };
    let event = Event::by(caller, EventKind::OrderRemoved, state.clock.now())
        .about(customer, &current.name)
        .change("order", format!("{} {}", gone.on, amount_plain(gone.total_cents)), "");
    if !store::remove(&state.db, &oid, &rid, &[event]).await? {
        return Err(AppError::NotFound);
    }
    follow(state, vec![Effect::OrderRemoved { customer: customer.to_string(), order: order_id.to_string() }]).await;
    of_customer(state, &rid).await
}

