//! Reading orders as people enter them (the profile's form) and as files bring them (the
//! CSV import): dates, quantities and signed amounts, returns, and the import's columns.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::types::{OrderInput, ProductInput};
use crate::problem::{FieldError, Problem};
use crate::pipeline::validate::parse_money;

pub const MAX_LINES: usize = 50;
pub const MAX_QUANTITY: i64 = 1_000_000;
pub const ORDER_NO_MAX: usize = 40;
/// Who delivered an order (顺丰, 京东物流 …).
pub const CARRIER_MAX: usize = 30;
pub const PRODUCT_NAME_MAX: usize = 60;
pub const CATEGORY_MAX: usize = 30;
/// Orders before this are typos, not history.
pub const EARLIEST: (i32, u32, u32) = (2000, 1, 1);

/// A date as typed: `2026-03-01` or `2026/3/1`; not after `today`, not before 2000.
pub fn parse_order_date(text: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y/%m/%d"))
        .map_err(|_| Problem::InvalidDate)?;
    if day > today {
        return Err(Problem::DateInFuture);
    }
    let (y, m, d) = EARLIEST;
    if NaiveDate::from_ymd_opt(y, m, d).is_some_and(|earliest| day < earliest) {
        return Err(Problem::DateTooOld);
    }
    Ok(day)
}

/// A non-zero whole quantity; negative for a return.
pub fn parse_quantity(text: &str) -> Result<i64, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    let q: i64 = text.parse().map_err(|_| Problem::InvalidAmount)?;
    if q == 0 || q.abs() > MAX_QUANTITY {
        return Err(Problem::OutOfRange { min: -MAX_QUANTITY, max: MAX_QUANTITY });
    }
    Ok(q)
}

/// An amount that may be negative (a refund): `-1,200.50`.
pub fn parse_signed_money(text: &str) -> Result<i64, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    match text.strip_prefix('-') {
        Some(rest) => parse_money(rest).map(|c| -c),
        None => parse_money(text),
    }
}

/// A line's quantity and amount: a return has a negative quantity and an amount of zero or
/// below, a sale the opposite, so a sign typed wrong is caught instead of silently netted.
pub fn check_line(quantity: i64, amount_cents: i64) -> Result<(), Problem> {
    if (quantity > 0 && amount_cents < 0) || (quantity < 0 && amount_cents > 0) {
        return Err(Problem::ReturnSign);
    }
    Ok(())
}

/// A checked order from the form: date, order number, (product id, quantity, amount) lines.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidOrder {
    pub on: NaiveDate,
    pub order_no: String,
    pub carrier: String,
    pub lines: Vec<(String, i64, i64)>,
}

pub fn validate_order(input: &OrderInput, today: NaiveDate) -> Result<ValidOrder, Vec<FieldError>> {
    let mut errors = Vec::new();
    let on = parse_order_date(&input.on, today).map_err(|p| errors.push(FieldError::new("on", p))).ok();
    let order_no = input.order_no.trim().to_string();
    if order_no.chars().count() > ORDER_NO_MAX {
        errors.push(FieldError::new("order_no", Problem::TooLong { max: ORDER_NO_MAX }));
    }
    let carrier = input.carrier.trim().to_string();
    if carrier.chars().count() > CARRIER_MAX {
        errors.push(FieldError::new("carrier", Problem::TooLong { max: CARRIER_MAX }));
    }
    if input.lines.is_empty() {
        errors.push(FieldError::new("lines", Problem::Required));
    }
    if input.lines.len() > MAX_LINES {
        errors.push(FieldError::new("lines", Problem::TooMany { max: MAX_LINES }));
    }
    let mut lines = Vec::new();
    for (i, line) in input.lines.iter().enumerate() {
        let field = |name: &str| format!("lines.{i}.{name}");
        if line.product_id.trim().is_empty() {
            errors.push(FieldError::new(&field("product"), Problem::Required));
        }
        let q = parse_quantity(&line.quantity).map_err(|p| errors.push(FieldError::new(&field("quantity"), p))).ok();
        let a = parse_signed_money(&line.amount).map_err(|p| errors.push(FieldError::new(&field("amount"), p))).ok();
        if let (Some(q), Some(a)) = (q, a) {
            match check_line(q, a) {
                Ok(()) => lines.push((line.product_id.trim().to_string(), q, a)),
                Err(p) => errors.push(FieldError::new(&field("amount"), p)),
            }
        }
    }
    match (on, errors.is_empty()) {
        (Some(on), true) => Ok(ValidOrder { on, order_no, carrier, lines }),
        _ => Err(errors),
    }
}

/// A checked catalogue entry: name, category, price.
pub fn validate_product(input: &ProductInput) -> Result<(String, String, i64), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    let category = input.category.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", Problem::Required));
    } else if name.chars().count() > PRODUCT_NAME_MAX {
        errors.push(FieldError::new("name", Problem::TooLong { max: PRODUCT_NAME_MAX }));
    }
    if category.chars().count() > CATEGORY_MAX {
        errors.push(FieldError::new("category", Problem::TooLong { max: CATEGORY_MAX }));
    }
    let price = match input.price.trim() {
        "" => Ok(0),
        text => parse_money(text),
    };
    let price = price.map_err(|p| errors.push(FieldError::new("price", p))).ok();
    match price {
        Some(price) if errors.is_empty() => Ok((name, category, price)),
        _ => Err(errors),
    }
}

/// The columns an import file must name in its first row (Chinese or English headers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    pub customer: usize,
    pub date: usize,
    pub product: usize,
    pub quantity: usize,
    pub amount: usize,
    pub order_no: Option<usize>,
    pub carrier: Option<usize>,
}

const HEADERS: [(&str, &[&str]); 7] = [
    ("customer", &["customer", "客户", "客户编号", "客户名称"]),
    ("date", &["date", "order_date", "日期", "下单日期", "订单日期"]),
    ("product", &["product", "产品", "产品名称"]),
    ("quantity", &["quantity", "qty", "数量"]),
    ("amount", &["amount", "金额"]),
    ("order_no", &["order_no", "order", "订单号"]),
    ("carrier", &["carrier", "承运商", "物流公司", "快递公司", "快递", "物流"]),
];

/// Finds the columns by their headers; the names of the required ones that are missing.
pub fn columns(header: &[String]) -> Result<Columns, Vec<&'static str>> {
    let find = |which: usize| {
        header.iter().position(|h| HEADERS[which].1.iter().any(|name| h.trim().eq_ignore_ascii_case(name)))
    };
    let found: Vec<Option<usize>> = (0..HEADERS.len()).map(find).collect();
    let missing: Vec<&'static str> = (0..5).filter(|i| found[*i].is_none()).map(|i| HEADERS[i].0).collect();
    match found[..] {
        [Some(customer), Some(date), Some(product), Some(quantity), Some(amount), order_no, carrier] => {
            Ok(Columns { customer, date, product, quantity, amount, order_no, carrier })
        }
        _ => Err(missing),
    }
}

/// One import line whose own fields are right; the customer and product are still names to
/// be looked up.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportLine {
    pub customer: String,
    pub on: NaiveDate,
    pub product: String,
    pub quantity: i64,
    pub amount_cents: i64,
    pub order_no: String,
    /// Empty when the file has no carrier column or the cell is empty.
    pub carrier: String,
}

/// Why an import line was left out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportProblem {
    /// Quotes that do not close, or text after a closing quote.
    Unreadable,
    /// Fewer fields than the header names.
    MissingFields { expected: usize, got: usize },
    Field { field: String, problem: Problem },
    /// No customer (the caller may change) has this id or exact name.
    UnknownCustomer { reference: String },
    /// Several customers have this name: use the customer id.
    AmbiguousCustomer { reference: String },
    UnknownProduct { name: String },
}

/// Checks one record's own fields against the columns.
pub fn parse_line(fields: &[String], cols: &Columns, today: NaiveDate) -> Result<ImportLine, ImportProblem> {
    let needed = [cols.customer, cols.date, cols.product, cols.quantity, cols.amount].into_iter().chain(cols.order_no).chain(cols.carrier).max().unwrap_or(0) + 1;
    if fields.len() < needed {
        return Err(ImportProblem::MissingFields { expected: needed, got: fields.len() });
    }
    let field = |name: &str, problem| ImportProblem::Field { field: name.to_string(), problem };
    let customer = fields[cols.customer].trim().to_string();
    if customer.is_empty() {
        return Err(field("customer", Problem::Required));
    }
    let on = parse_order_date(&fields[cols.date], today).map_err(|p| field("date", p))?;
    let product = fields[cols.product].trim().to_string();
    if product.is_empty() {
        return Err(field("product", Problem::Required));
    }
    let quantity = parse_quantity(&fields[cols.quantity]).map_err(|p| field("quantity", p))?;
    let amount_cents = parse_signed_money(&fields[cols.amount]).map_err(|p| field("amount", p))?;
    check_line(quantity, amount_cents).map_err(|p| field("amount", p))?;
    let order_no = cols.order_no.map(|i| fields[i].trim().to_string()).unwrap_or_default();
    if order_no.chars().count() > ORDER_NO_MAX {
        return Err(field("order_no", Problem::TooLong { max: ORDER_NO_MAX }));
    }
    let carrier = cols.carrier.map(|i| fields[i].trim().to_string()).unwrap_or_default();
    if carrier.chars().count() > CARRIER_MAX {
        return Err(field("carrier", Problem::TooLong { max: CARRIER_MAX }));
    }
    Ok(ImportLine { customer, on, product, quantity, amount_cents, order_no, carrier })
}

/// The stable key of an imported order: the same customer, day and order number give the
/// same key, so importing a file again replaces its orders instead of doubling them. Lines
/// without an order number form one order per customer and day. (FNV-1a, 64 bits.)
pub fn import_key(customer_id: &str, on: NaiveDate, order_no: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in customer_id.bytes().chain([0x1f]).chain(on.to_string().bytes()).chain([0x1f]).chain(order_no.bytes()) {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("imp{hash:016x}")
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Records read after the header.
    pub lines: u64,
    pub imported_lines: u64,
    pub orders: u64,
    pub rejected_lines: u64,
    /// The first problems, with their line numbers (the rest are only counted).
    pub problems: Vec<(u64, ImportProblem)>,
    /// Required columns the header lacks: then nothing was imported.
    pub missing_columns: Vec<String>,
}

/// How many problems a report lists line by line.
pub const LISTED_PROBLEMS: usize = 1_000;

/// How far a running import has come.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    /// Records read so far (all of them once writing starts).
    pub lines_read: u64,
    /// The orders the file makes (known once it is read), and how many are stored.
    pub orders: u64,
    pub orders_written: u64,
}

impl ImportProgress {
    /// Per cent stored, once the file is read.
    pub fn percent_written(&self) -> Option<u32> {
        (self.orders > 0).then(|| (self.orders_written.min(self.orders) * 100 / self.orders) as u32)
    }
}

/// An import started from the page runs on the server by itself (a million lines take
/// minutes, and closing the tab must not cut it off half-way); the page asks for this.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ImportStatus {
    /// Another import is being written; this one follows.
    Waiting,
    Running(ImportProgress),
    Done(ImportReport),
    /// A customer import finished: what it did (its id undoes it).
    CustomersDone(crate::customers::import::ImportSummary),
    /// Stopped by a failure: the orders written before it are kept, and importing the file
    /// again completes it without doubling (orders have stable keys).
    Failed { error: crate::error::AppError },
    /// Its server stopped while it ran (a restart, a crash), where it had come to; what it
    /// stored is kept, as after a failure.
    Interrupted(ImportProgress),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::types::OrderLineInput;

    #[test]
    fn import_progress_counts_stored_orders_once_the_file_is_read() {
        let reading = ImportProgress { lines_read: 40_000, orders: 0, orders_written: 0 };
        assert_eq!(reading.percent_written(), None);
        let writing = ImportProgress { lines_read: 90_000, orders: 60_000, orders_written: 15_000 };
        assert_eq!(writing.percent_written(), Some(25));
        let status = serde_json::to_string(&ImportStatus::Running(writing)).unwrap();
        assert_eq!(serde_json::from_str::<ImportStatus>(&status).unwrap(), ImportStatus::Running(writing));
        assert!(status.contains(r#""state":"running""#), "{status}");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dates_in_the_future_or_before_2000_are_refused() {
        let today = d(2026, 11, 23);
        assert_eq!(parse_order_date("2026-11-23", today), Ok(today));
        assert_eq!(parse_order_date("2026/3/1", today), Ok(d(2026, 3, 1)));
        assert_eq!(parse_order_date("2026-11-24", today), Err(Problem::DateInFuture));
        assert_eq!(parse_order_date("1999-12-31", today), Err(Problem::DateTooOld));
        assert_eq!(parse_order_date("23.11.2026", today), Err(Problem::InvalidDate));
        assert_eq!(parse_order_date(" ", today), Err(Problem::Required));
    }

    #[test]
    fn returns_need_matching_signs() {
        assert_eq!(parse_signed_money("-1,200.50"), Ok(-120_050));
        assert_eq!(parse_quantity("-2"), Ok(-2));
        assert_eq!(parse_quantity("0"), Err(Problem::OutOfRange { min: -MAX_QUANTITY, max: MAX_QUANTITY }));
        assert_eq!(parse_quantity("1.5"), Err(Problem::InvalidAmount));
        assert_eq!(check_line(-2, -500), Ok(()));
        assert_eq!(check_line(-2, 0), Ok(()));
        assert_eq!(check_line(2, -500), Err(Problem::ReturnSign));
        assert_eq!(check_line(-1, 500), Err(Problem::ReturnSign));
    }

    #[test]
    fn the_form_reports_every_bad_field() {
        let input = OrderInput {
            on: "2030-01-01".into(),
            order_no: String::new(),
            carrier: "很长".repeat(CARRIER_MAX),
            lines: vec![
                OrderLineInput { product_id: "p1".into(), quantity: "2".into(), amount: "100".into() },
                OrderLineInput { product_id: "".into(), quantity: "x".into(), amount: "-5".into() },
            ],
        };
        let errors = validate_order(&input, d(2026, 11, 23)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["on", "carrier", "lines.1.product", "lines.1.quantity"]);
        let good = OrderInput { on: "2026-11-01".into(), carrier: " 京东物流 ".into(), ..input.clone() };
        let good = OrderInput { lines: good.lines[..1].to_vec(), ..good };
        let valid = validate_order(&good, d(2026, 11, 23)).unwrap();
        assert_eq!((valid.lines, valid.carrier.as_str()), (vec![("p1".to_string(), 2, 10_000)], "京东物流"));
        assert!(validate_order(&OrderInput { on: "2026-11-01".into(), ..Default::default() }, d(2026, 11, 23)).is_err());
    }

    #[test]
    fn columns_by_chinese_or_english_headers_in_any_order() {
        let cols = columns(&strings(&["金额", "客户", "日期", "产品", "数量"])).unwrap();
        assert_eq!((cols.amount, cols.customer, cols.quantity, cols.order_no), (0, 1, 4, None));
        let cols = columns(&strings(&["Customer", "Date", "Product", "Qty", "Amount", "Order_No"])).unwrap();
        assert_eq!(cols.order_no, Some(5));
        assert_eq!(columns(&strings(&["customer", "product"])), Err(vec!["date", "quantity", "amount"]));
    }

    #[test]
    fn import_lines_are_checked_field_by_field() {
        let cols = columns(&strings(&["customer", "date", "product", "quantity", "amount"])).unwrap();
        let today = d(2026, 11, 23);
        let line = parse_line(&strings(&["c1", "2026-01-02", "ERP", "1", "¥12,000"]), &cols, today).unwrap();
        assert_eq!((line.quantity, line.amount_cents, line.on), (1, 1_200_000, d(2026, 1, 2)));
        let short = parse_line(&strings(&["c1", "2026-01-02"]), &cols, today);
        assert_eq!(short, Err(ImportProblem::MissingFields { expected: 5, got: 2 }));
        let future = parse_line(&strings(&["c1", "2027-01-02", "ERP", "1", "5"]), &cols, today);
        assert_eq!(future, Err(ImportProblem::Field { field: "date".into(), problem: Problem::DateInFuture }));
        let sign = parse_line(&strings(&["c1", "2026-01-02", "ERP", "1", "-5"]), &cols, today);
        assert_eq!(sign, Err(ImportProblem::Field { field: "amount".into(), problem: Problem::ReturnSign }));
    }

    #[test]
    fn a_carrier_column_is_read_when_the_file_has_one() {
        let today = d(2026, 11, 23);
        let cols = columns(&strings(&["客户", "日期", "产品", "数量", "金额", "快递公司"])).unwrap();
        assert_eq!(cols.carrier, Some(5));
        let line = parse_line(&strings(&["c1", "2026-01-02", "ERP", "1", "5", " 顺丰 "]), &cols, today).unwrap();
        assert_eq!(line.carrier, "顺丰");
        let long = parse_line(&strings(&["c1", "2026-01-02", "ERP", "1", "5", &"长".repeat(CARRIER_MAX + 1)]), &cols, today);
        assert_eq!(long, Err(ImportProblem::Field { field: "carrier".into(), problem: Problem::TooLong { max: CARRIER_MAX } }));
        let without = columns(&strings(&["customer", "date", "product", "quantity", "amount"])).unwrap();
        assert_eq!(parse_line(&strings(&["c1", "2026-01-02", "ERP", "1", "5"]), &without, today).unwrap().carrier, "");
    }

    #[test]
    fn import_keys_are_stable_and_distinct() {
        let k = import_key("c1", d(2026, 1, 2), "");
        assert_eq!(k, import_key("c1", d(2026, 1, 2), ""));
        assert_ne!(k, import_key("c1", d(2026, 1, 2), "SO-1"));
        assert_ne!(k, import_key("c2", d(2026, 1, 2), ""));
        assert!(k.starts_with("imp") && k.len() == 19);
    }

    #[test]
    fn products_need_a_name_and_a_readable_price() {
        let ok = validate_product(&ProductInput { name: " ERP ".into(), category: "软件".into(), price: "12,800".into() });
        assert_eq!(ok, Ok(("ERP".into(), "软件".into(), 1_280_000)));
        let bad = validate_product(&ProductInput { name: "".into(), category: "".into(), price: "-1".into() }).unwrap_err();
        assert_eq!(bad.len(), 2);
    }
}
