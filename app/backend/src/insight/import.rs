//! Importing orders from CSV text, for a signed-in caller: read once, checked line by line,
//! written in batches, each batch with its event; the order book follows each batch and the
//! insight batch scores everyone once at the end.

use std::collections::HashMap;

use chrono::NaiveDate;
use surrealdb::types::RecordId;

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::AppResult;
use kehu_domain::insight::csv::records;
use kehu_domain::insight::orders::{columns, import_key, parse_line, ImportLine, ImportProblem, ImportProgress, ImportReport, LISTED_PROBLEMS};
use kehu_domain::insight::types::OrderSource;

use super::orders::today;
use crate::access;
use crate::events::Event;
use crate::followers::{follow, Effect, Rescore};
use crate::readmodel::order_book::name_key;
use crate::state::AppState;
use crate::store::customer_rows::CUSTOMER;
use crate::store::ids::{new_id, record_id};
use crate::store::orders::{self as store, LineRecord, OrderRecord, SALES_ORDER};
use crate::store::products::{self as product_store, ProductRecord, PRODUCT};

/// Orders written per store call during an import.
const IMPORT_BATCH: usize = 2_000;

/// Imports order lines from CSV text. Lines with problems are reported (the first
/// `LISTED_PROBLEMS` with their line numbers) and left out; every good line is kept. A
/// customer is named by id or exact name (a name several customers share must be an id)
/// and must be one the caller may change; a product by its catalogue name, or created when
/// `create_products` is set. Lines of the same customer, day and order number are one
/// order, written under a stable key, so importing a file again replaces instead of doubling.
/// Whether the caller may import (anyone signed in may import orders of customers they may
/// change) and, with `create_products`, add to the catalogue (admins and managers keep it).
pub fn may_import(caller: &Caller, create_products: bool) -> AppResult<()> {
    if create_products {
        access::manager(caller)?;
    }
    Ok(())
}

pub async fn import(state: &AppState, caller: &Caller, text: &str, create_products: bool) -> AppResult<ImportReport> {
    import_reporting(state, caller, text, create_products, &|_| {}).await
}

/// The import, telling `progress` how far it has come as it reads and writes; then asks for
/// the batch.
pub async fn import_reporting(state: &AppState, caller: &Caller, text: &str, create_products: bool, progress: &Progress) -> AppResult<ImportReport> {
    let report = read_and_write(state, caller, text, create_products, progress).await?;
    if report.orders > 0 {
        follow(state, vec![Effect::Orders { written: Vec::new(), rescore: Rescore::Everyone }]).await;
    }
    Ok(report)
}

/// The import without asking for the batch afterwards, for callers that score (and work out
/// reminders) themselves right after, such as the demo data.
pub async fn import_unscored(state: &AppState, caller: &Caller, text: &str, create_products: bool) -> AppResult<ImportReport> {
    read_and_write(state, caller, text, create_products, &|_| {}).await
}

pub type Progress = dyn Fn(ImportProgress) + Send + Sync;

/// How often reading tells its progress and lets other requests run: a big file is read on
/// a shared worker thread.
const READ_STEP: u64 = 20_000;

async fn read_and_write(state: &AppState, caller: &Caller, text: &str, create_products: bool, progress: &Progress) -> AppResult<ImportReport> {
    may_import(caller, create_products)?;
    let mut report = ImportReport::default();
    let mut rows = records(text);
    let Some((_, header)) = rows.next() else {
        report.missing_columns = vec!["customer".into(), "date".into(), "product".into(), "quantity".into(), "amount".into()];
        return Ok(report);
    };
    let cols = match header.map_err(|_| vec!["customer", "date", "product", "quantity", "amount"]).and_then(|h| columns(&h)) {
        Ok(cols) => cols,
        Err(missing) => {
            report.missing_columns = missing.into_iter().map(String::from).collect();
            return Ok(report);
        }
    };
    let today = today(state);
    // Customers by id and by exact name, as the caller may change them.
    let (by_id, by_name) = {
        let rows = state.directory.rows();
        let mut by_id: HashMap<String, bool> = HashMap::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for (row, _) in rows.live() {
            let editable = access::changes(caller, &row.owner, &row.region);
            by_id.insert(row.id.clone(), editable);
            if editable {
                by_name.entry(row.name.clone()).or_default().push(row.id.clone());
            }
        }
        (by_id, by_name)
    };
    let mut new_products: HashMap<String, ProductRecord> = HashMap::new();
    // By import key: customer, day, order number, carrier (the first a line names), lines.
    let mut orders: HashMap<String, (String, NaiveDate, String, String, Vec<LineRecord>)> = HashMap::new();
    let now = state.clock.now();
    let problem = |report: &mut ImportReport, line: usize, p: ImportProblem| {
        report.rejected_lines += 1;
        if report.problems.len() < LISTED_PROBLEMS {
            report.problems.push((line as u64, p));
        }
    };
    for (line, fields) in rows {
        report.lines += 1;
        if report.lines % READ_STEP == 0 {
            progress(ImportProgress { lines_read: report.lines, ..Default::default() });
            tokio::task::yield_now().await;
        }
        let parsed = fields.map_err(|_| ImportProblem::Unreadable).and_then(|f| parse_line(&f, &cols, today));
        let ImportLine { customer, on, product, quantity, amount_cents, order_no, carrier } = match parsed {
            Ok(l) => l,
            Err(p) => {
                problem(&mut report, line, p);
                continue;
            }
        };
        let customer_id = match (by_id.get(&customer), by_name.get(&customer).map(Vec::as_slice)) {
            (Some(true), _) => customer.clone(),
            (_, Some([only])) => only.clone(),
            (_, Some([_, _, ..])) => {
                problem(&mut report, line, ImportProblem::AmbiguousCustomer { reference: customer });
                continue;
            }
            _ => {
                problem(&mut report, line, ImportProblem::UnknownCustomer { reference: customer });
                continue;
            }
        };
        let product_rid = match state.orders.product_by_name(&product) {
            Some(p) => record_id(PRODUCT, &p.id),
            None if create_products => {
                let fresh = new_products.entry(name_key(&product)).or_insert_with(|| ProductRecord {
                    id: new_id(PRODUCT),
                    name: product.chars().take(kehu_domain::insight::orders::PRODUCT_NAME_MAX).collect(),
                    category: String::new(),
                    price_cents: if quantity > 0 { (amount_cents / quantity).max(0) } else { 0 },
                    created_at: now,
                    updated_at: now,
                });
                Some(fresh.id.clone())
            }
            None => None,
        };
        let Some(product_rid) = product_rid else {
            problem(&mut report, line, ImportProblem::UnknownProduct { name: product });
            continue;
        };
        let key = import_key(&customer_id, on, &order_no);
        let entry = orders.entry(key).or_insert_with(|| (customer_id, on, order_no, String::new(), Vec::new()));
        if entry.3.is_empty() {
            entry.3 = carrier;
        }
        entry.4.push(LineRecord { product: product_rid, quantity, amount_cents });
        report.imported_lines += 1;
    }
    if !new_products.is_empty() {
        let fresh: Vec<ProductRecord> = new_products.into_values().collect();
        let events: Vec<Event> = fresh
            .iter()
            .map(|p| Event::by(caller, EventKind::ProductSaved, state.clock.now()).subject(&p.name).change("name", "", p.name.clone()))
            .collect();
        product_store::insert(&state.db, fresh.clone(), &events).await?;
        follow(state, fresh.into_iter().map(|p| Effect::Product(p.into_product())).collect()).await;
    }
    report.orders = orders.len() as u64;
    let mut written = ImportProgress { lines_read: report.lines, orders: report.orders, orders_written: 0 };
    progress(written);
    let by = caller.user.username.clone();
    let mut batch: Vec<OrderRecord> = Vec::with_capacity(IMPORT_BATCH);
    let mut orders = orders.into_iter().peekable();
    while let Some((key, (customer, on, order_no, carrier, lines))) = orders.next() {
        if let Some(customer) = record_id(CUSTOMER, &customer) {
            batch.push(OrderRecord::new(RecordId::new(SALES_ORDER, key), customer, on, order_no, lines, OrderSource::Import, &by, now).with_carrier(carrier));
        }
        if batch.len() == IMPORT_BATCH || (orders.peek().is_none() && !batch.is_empty()) {
            // One event per batch: the orders of an import are one change in the log.
            let event = Event::by(caller, EventKind::OrdersImported, state.clock.now()).change("orders", "", batch.len().to_string());
            store::upsert(&state.db, batch.clone(), &[event]).await?;
            follow(state, vec![Effect::Orders { written: batch.clone(), rescore: Rescore::Not }]).await;
            written.orders_written += batch.len() as u64;
            progress(written);
            batch.clear();
        }
    }
    tracing::info!("{} imported {} order lines ({} orders), {} lines refused", by, report.imported_lines, report.orders, report.rejected_lines);
    Ok(report)
}
