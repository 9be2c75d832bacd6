//! Products and orders for a signed-in caller: the catalogue (kept by admins and managers),
//! a customer's orders (seen by whoever may see the customer, entered by whoever may change
//! it, each change audited) and the CSV import. Every write keeps the order book in step and
//! asks the insight batch to score again.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::audit_store::{self as audit, Audit};
use super::customer_service::{editable, visible};
use super::insight_batch::request_run;
use super::order_book::name_key;
use super::order_store::{self as store, LineRecord, OrderRecord, SALES_ORDER};
use super::product_store::{self, ProductRecord, PRODUCT};
use super::records::{key_of, new_id, record_id, CUSTOMER};
use super::state::AppState;
use crate::accounts::rules::Caller;
use crate::accounts::types::Role;
use crate::audit::types::{AuditAction, FieldChange};
use crate::error::{AppError, AppResult, FieldError, Problem};
use crate::insight::csv::records;
use crate::insight::orders::{
    columns, import_key, parse_line, validate_order, validate_product, ImportLine, ImportProblem, ImportProgress, ImportReport, LISTED_PROBLEMS,
};
use crate::insight::types::{Order, OrderInput, OrderLine, OrderSource, Product, ProductInput};
use crate::pipeline::validate::amount_plain;

fn today(state: &AppState) -> NaiveDate {
    state.clock.now().with_timezone(&state.policy.offset.0).date_naive()
}

fn may_keep_catalogue(caller: &Caller) -> AppResult<()> {
    match caller.user.role {
        Role::Admin | Role::Manager => Ok(()),
        Role::Rep => Err(AppError::Forbidden),
    }
}

pub fn products(state: &AppState) -> Vec<Product> {
    let mut all = state.orders.products();
    all.sort_by(|a, b| a.category.cmp(&b.category).then(a.name.cmp(&b.name)));
    all
}

/// Adds a product (`id` empty) or changes one; names stay unique, ignoring case.
pub async fn save_product(state: &AppState, caller: &Caller, id: &str, input: &ProductInput) -> AppResult<Vec<Product>> {
    may_keep_catalogue(caller)?;
    let (name, category, price) = validate_product(input).map_err(AppError::Invalid)?;
    if state.orders.product_by_name(&name).is_some_and(|p| p.id != id) {
        return Err(AppError::Invalid(vec![FieldError::new("name", Problem::Duplicate)]));
    }
    let now = state.clock.now();
    if id.is_empty() {
        let row = ProductRecord { id: new_id(PRODUCT), name, category, price_cents: price, created_at: now, updated_at: now };
        product_store::insert(&state.db, vec![row.clone()]).await?;
        state.orders.put_product(row.into_product());
    } else {
        let rid = record_id(PRODUCT, id).ok_or(AppError::NotFound)?;
        if !product_store::update(&state.db, &rid, &name, &category, price, now).await? {
            return Err(AppError::NotFound);
        }
        state.orders.put_product(Product { id: id.to_string(), name, category, price_cents: price });
    }
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
        lines,
        total_cents: r.total_cents,
        source: OrderSource::parse(&r.source),
        created_by: r.created_by,
        created_at: r.created_at,
    }
}

/// A customer's orders, newest first.
pub async fn of_customer(state: &AppState, rid: &surrealdb::types::RecordId) -> AppResult<Vec<Order>> {
    let ids = state.orders.order_ids(&key_of(rid)).iter().filter_map(|id| record_id(SALES_ORDER, id)).collect();
    Ok(store::by_ids(&state.db, ids).await?.into_iter().map(|r| to_order(state, r)).collect())
}

pub async fn list(state: &AppState, caller: &Caller, customer: &str) -> AppResult<Vec<Order>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    visible(state, caller, &rid).await?;
    of_customer(state, &rid).await
}

pub async fn add(state: &AppState, caller: &Caller, customer: &str, input: &OrderInput) -> AppResult<Vec<Order>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let order = validate_order(input, today(state)).map_err(AppError::Invalid)?;
    let mut lines = Vec::new();
    let mut unknown = Vec::new();
    for (i, (product, quantity, amount)) in order.lines.iter().enumerate() {
        match (state.orders.product_by_id(product), record_id(PRODUCT, product)) {
            (Some(_), Some(prid)) => lines.push(LineRecord { product: prid, quantity: *quantity, amount_cents: *amount }),
            _ => unknown.push(FieldError::new(&format!("lines.{i}.product"), Problem::UnknownChoice)),
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    let now = state.clock.now();
    let row = OrderRecord::new(new_id(SALES_ORDER), rid.clone(), order.on, order.order_no, lines, OrderSource::Manual, &caller.user.username, now);
    let summary = format!("{} {}", order.on, amount_plain(row.total_cents));
    store::upsert(&state.db, vec![row.clone()]).await?;
    state.orders.put_orders(&[row]);
    let entry = Audit {
        actor: &caller.user.username,
        action: AuditAction::CustomerUpdated,
        customer,
        subject: &current.name,
        changes: vec![FieldChange::new("order", "", summary)],
    };
    audit::record(&state.db, entry, now).await?;
    request_run(state, Some(customer.to_string()));
    of_customer(state, &rid).await
}

pub async fn remove(state: &AppState, caller: &Caller, customer: &str, order_id: &str) -> AppResult<Vec<Order>> {
    let rid = record_id(CUSTOMER, customer).ok_or(AppError::NotFound)?;
    let current = editable(state, caller, &rid).await?;
    let oid = record_id(SALES_ORDER, order_id).ok_or(AppError::NotFound)?;
    let before = of_customer(state, &rid).await?;
    let Some(gone) = before.iter().find(|o| o.id == order_id) else { return Err(AppError::NotFound) };
    if !store::remove(&state.db, &oid, &rid).await? {
        return Err(AppError::NotFound);
    }
    state.orders.remove_order(customer, order_id);
    let entry = Audit {
        actor: &caller.user.username,
        action: AuditAction::CustomerUpdated,
        customer,
        subject: &current.name,
        changes: vec![FieldChange::new("order", format!("{} {}", gone.on, amount_plain(gone.total_cents)), "")],
    };
    audit::record(&state.db, entry, state.clock.now()).await?;
    request_run(state, Some(customer.to_string()));
    of_customer(state, &rid).await
}

/// Orders written per store call during an import.
const IMPORT_BATCH: usize = 2_000;

/// Imports order lines from CSV text. Lines with problems are reported (the first
/// `LISTED_PROBLEMS` with their line numbers) and left out; every good line is kept. A
/// customer is named by id or exact name (a name several customers share must be an id)
/// and must be one the caller may change; a product by its catalogue name, or created when
/// `create_products` is set. Lines of the same customer, day and order number are one
/// order, written under a stable key, so importing a file again replaces instead of doubling.
pub async fn import(state: &AppState, caller: &Caller, text: &str, create_products: bool) -> AppResult<ImportReport> {
    import_reporting(state, caller, text, create_products, &|_| {}).await
}

/// The import, telling `progress` how far it has come as it reads and writes; then asks for
/// the batch.
pub async fn import_reporting(state: &AppState, caller: &Caller, text: &str, create_products: bool, progress: &Progress) -> AppResult<ImportReport> {
    let report = read_and_write(state, caller, text, create_products, progress).await?;
    if report.orders > 0 {
        request_run(state, None);
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
            let editable = caller.can_edit(&row.owner, &row.region);
            by_id.insert(row.id.clone(), editable);
            if editable {
                by_name.entry(row.name.clone()).or_default().push(row.id.clone());
            }
        }
        (by_id, by_name)
    };
    let mut new_products: HashMap<String, ProductRecord> = HashMap::new();
    let mut orders: HashMap<String, (String, NaiveDate, String, Vec<LineRecord>)> = HashMap::new();
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
        let ImportLine { customer, on, product, quantity, amount_cents, order_no } = match parsed {
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
                    name: product.chars().take(crate::insight::orders::PRODUCT_NAME_MAX).collect(),
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
        let entry = orders.entry(key).or_insert_with(|| (customer_id, on, order_no, Vec::new()));
        entry.3.push(LineRecord { product: product_rid, quantity, amount_cents });
        report.imported_lines += 1;
    }
    if !new_products.is_empty() {
        let fresh: Vec<ProductRecord> = new_products.into_values().collect();
        product_store::insert(&state.db, fresh.clone()).await?;
        for p in fresh {
            state.orders.put_product(p.into_product());
        }
    }
    report.orders = orders.len() as u64;
    let mut written = ImportProgress { lines_read: report.lines, orders: report.orders, orders_written: 0 };
    progress(written);
    let by = caller.user.username.clone();
    let mut batch: Vec<OrderRecord> = Vec::with_capacity(IMPORT_BATCH);
    let mut orders = orders.into_iter().peekable();
    while let Some((key, (customer, on, order_no, lines))) = orders.next() {
        if let Some(customer) = record_id(CUSTOMER, &customer) {
            batch.push(OrderRecord::new(surrealdb::types::RecordId::new(SALES_ORDER, key), customer, on, order_no, lines, OrderSource::Import, &by, now));
        }
        if batch.len() == IMPORT_BATCH || (orders.peek().is_none() && !batch.is_empty()) {
            store::upsert(&state.db, batch.clone()).await?;
            state.orders.put_orders(&batch);
            written.orders_written += batch.len() as u64;
            progress(written);
            batch.clear();
        }
    }
    tracing::info!("{} imported {} order lines ({} orders), {} lines refused", by, report.imported_lines, report.orders, report.rejected_lines);
    Ok(report)
}
