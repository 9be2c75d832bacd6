//! Input rules for deals, quotes, contracts and payments: the browser runs them for instant
//! field messages, the server again because only its answer counts.

use chrono::NaiveDate;

use super::types::*;
use crate::check::Check;
pub use crate::money::{parse_money, AMOUNT_MAX_CENTS};
use crate::problem::{FieldError, Problem};

pub const TITLE_MAX: usize = 200;
pub const NEEDS_MAX: usize = 5000;
pub const PRODUCTS_MAX: usize = 20;
pub const QUOTE_LINES_MAX: usize = 100;
pub const INSTALMENTS_MAX: usize = 120;
/// 100 billion yuan: more than any deal, little enough that sums of many stay exact in i64.
pub const QUANTITY_MAX: u32 = 1_000_000;

/// A deal form after its checks.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidDeal {
    pub customer_id: String,
    pub title: String,
    pub amount_cents: i64,
    pub currency: String,
    pub expected_close: NaiveDate,
    pub probability: Option<u8>,
    pub products: Vec<String>,
    pub competitor: String,
    pub next_step: String,
    pub needs_analysis: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ValidContract {
    pub number: String,
    pub amount_cents: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub signed_on: Option<NaiveDate>,
}

/// ISO 4217 style: three capital letters.
fn currency(check: &mut Check, value: &str) -> String {
    let code = value.trim().to_ascii_uppercase();
    if code.is_empty() {
        return "CNY".into();
    }
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        check.fail("currency", Problem::UnknownChoice);
    }
    code
}

/// Splits a product list typed with commas, 、 or ；.
pub fn split_products(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', '，', '、', ';', '；']) {
        let p = crate::customers::normalize::clean_line(part);
        if !p.is_empty() && !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

pub fn validate_deal(input: &DealInput, today: NaiveDate) -> Result<ValidDeal, Vec<FieldError>> {
    let mut c = Check::default();
    let customer_id = input.customer_id.trim().to_string();
    if customer_id.is_empty() {
        c.fail("customer_id", Problem::Required);
    }
    let title = c.line("title", &input.title, TITLE_MAX, true);
    let amount_cents = c.money("amount", &input.amount, false);
    let currency = currency(&mut c, &input.currency);
    let expected_close = c.required_date("expected_close", &input.expected_close, today);
    let probability = if input.probability.trim().is_empty() {
        None
    } else {
        c.whole("probability", &input.probability, 0, 100).map(|p| p as u8)
    };
    let products_text = c.line("products", &input.products, 1000, false);
    let products = split_products(&products_text);
    if products.len() > PRODUCTS_MAX {
        c.fail("products", Problem::TooMany { max: PRODUCTS_MAX });
    }
    if products.iter().any(|p| p.chars().count() > 100) {
        c.fail("products", Problem::TooLong { max: 100 });
    }
    let competitor = c.line("competitor", &input.competitor, 100, false);
    let next_step = c.line("next_step", &input.next_step, 500, false);
    let needs_analysis = c.text("needs_analysis", &input.needs_analysis, NEEDS_MAX, false);
    let Some(expected_close) = expected_close else {
        return Err(c.errors);
    };
    c.finish(ValidDeal {
        customer_id,
        title,
        amount_cents,
        currency,
        expected_close,
        probability,
        products,
        competitor,
        next_step,
        needs_analysis,
    })
}

/// One quote line: product, quantity 1–1,000,000, unit price, discount 0–100% in steps of
/// 0.1; problems are reported under `lines.{i}.{field}`.
fn quote_line(c: &mut Check, i: usize, line: &QuoteLineInput) -> Option<QuoteLine> {
    let field = |name: &str| format!("lines.{i}.{name}");
    let errors_before = c.errors.len();
    let product = c.line(&field("product"), &line.product, 100, true);
    let quantity = c.whole(&field("quantity"), &line.quantity, 1, QUANTITY_MAX);
    let unit_price_cents = c.money(&field("unit_price"), &line.unit_price, true);
    let discount_permille = match line.discount.trim() {
        "" => Some(0),
        text => match text.trim_end_matches('%').parse::<f64>() {
            Ok(d) if (0.0..=100.0).contains(&d) && (d * 10.0).fract().abs() < 1e-9 => Some((d * 10.0).round() as u32),
            _ => {
                c.fail(&field("discount"), Problem::OutOfRange { min: 0, max: 100 });
                None
            }
        },
    };
    let (quantity, discount_permille) = (quantity?, discount_permille?);
    (c.errors.len() == errors_before).then_some(QuoteLine { product, quantity, unit_price_cents, discount_permille })
}

/// A single line as typed, if it is complete and valid: for a running total while typing.
pub fn parse_quote_line(line: &QuoteLineInput) -> Option<QuoteLine> {
    quote_line(&mut Check::default(), 0, line)
}

/// Quote lines: product, quantity 1–1,000,000, unit price, discount 0–100% in steps of 0.1.
/// Field names carry the line number (`lines.2.quantity`) so each line shows its own problem.
pub fn validate_quote(input: &QuoteInput, today: NaiveDate) -> Result<(Vec<QuoteLine>, NaiveDate), Vec<FieldError>> {
    let mut c = Check::default();
    if input.lines.is_empty() {
        c.fail("lines", Problem::Required);
    }
    if input.lines.len() > QUOTE_LINES_MAX {
        c.fail("lines", Problem::TooMany { max: QUOTE_LINES_MAX });
        return Err(c.errors);
    }
    let lines: Vec<QuoteLine> = input.lines.iter().enumerate().filter_map(|(i, line)| quote_line(&mut c, i, line)).collect();
    let valid_until = c.required_date("valid_until", &input.valid_until, today);
    if super::rules::quote_total(&lines) > AMOUNT_MAX_CENTS {
        c.fail("lines", Problem::AmountTooLarge);
    }
    match valid_until {
        Some(date) => c.finish((lines, date)),
        None => Err(c.errors),
    }
}

pub fn validate_contract(input: &ContractInput, today: NaiveDate) -> Result<ValidContract, Vec<FieldError>> {
    let mut c = Check::default();
    let number = c.line("number", &input.number, 64, true);
    let amount_cents = c.money("amount", &input.amount, true);
    let start = c.required_date("start", &input.start, today);
    let end = c.required_date("end", &input.end, today);
    let signed_on = c.date("signed_on", &input.signed_on, today, true);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            c.fail("end", Problem::EndBeforeStart);
        }
    }
    match (start, end) {
        (Some(start), Some(end)) => c.finish(ValidContract { number, amount_cents, start, end, signed_on }),
        _ => Err(c.errors),
    }
}

/// A planned instalment (any date) or a received payment (not in the future).
pub fn validate_money_on_date(input: &MoneyOnDateInput, today: NaiveDate, received: bool) -> Result<(NaiveDate, i64), Vec<FieldError>> {
    let mut c = Check::default();
    let date = if received {
        if input.date.trim().is_empty() {
            c.fail("date", Problem::Required);
            None
        } else {
            c.date("date", &input.date, today, true)
        }
    } else {
        c.required_date("date", &input.date, today)
    };
    let amount = c.money("amount", &input.amount, true);
    if amount == 0 && !c.errors.iter().any(|e| e.field == "amount") {
        c.fail("amount", Problem::OutOfRange { min: 1, max: AMOUNT_MAX_CENTS / 100 });
    }
    match date {
        Some(d) => c.finish((d, amount)),
        None => Err(c.errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn deal() -> DealInput {
        DealInput {
            customer_id: "c1".into(),
            title: "ERP 二期".into(),
            amount: "120,000.5".into(),
            expected_close: "2026-12-31".into(),
            products: "ERP、OA, ERP".into(),
            ..DealInput::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<(&str, Problem)> {
        errors.iter().map(|e| (e.field.as_str(), e.problem.clone())).collect()
    }

    #[test]
    fn a_good_deal_is_cleaned() {
        let d = validate_deal(&deal(), today()).unwrap();
        assert_eq!(d.amount_cents, 12_000_050);
        assert_eq!(d.currency, "CNY");
        assert_eq!(d.products, vec!["ERP".to_string(), "OA".to_string()]);
        assert_eq!(d.probability, None);
    }

    #[test]
    fn bad_deals_say_what_is_wrong_per_field() {
        let bad = DealInput {
            title: " ".into(),
            amount: "-5".into(),
            currency: "yuan".into(),
            expected_close: "10000-01-01".into(),
            probability: "120".into(),
            ..deal()
        };
        let errors = validate_deal(&bad, today()).unwrap_err();
        let got = fields(&errors);
        assert!(got.contains(&("title", Problem::Required)));
        assert!(got.contains(&("amount", Problem::Negative)));
        assert!(got.contains(&("currency", Problem::UnknownChoice)));
        assert!(got.contains(&("expected_close", Problem::InvalidDate)));
        assert!(got.contains(&("probability", Problem::OutOfRange { min: 0, max: 100 })));
        let missing = DealInput { expected_close: String::new(), ..deal() };
        assert_eq!(fields(&validate_deal(&missing, today()).unwrap_err()), vec![("expected_close", Problem::Required)]);
    }

    #[test]
    fn quotes_check_every_line() {
        let line = |q: &str, p: &str, d: &str| QuoteLineInput { product: "ERP".into(), quantity: q.into(), unit_price: p.into(), discount: d.into() };
        let ok = QuoteInput { lines: vec![line("2", "100", "12.5"), line("1", "50", "")], valid_until: "2026-12-31".into() };
        let (lines, _) = validate_quote(&ok, today()).unwrap();
        assert_eq!(lines[0].discount_permille, 125);
        // Shown back as typed: the quote page and the API both say `12.5` and `0`.
        assert_eq!((lines[0].discount_percent().as_str(), lines[1].discount_percent().as_str()), ("12.5", "0"));
        let bad = QuoteInput { lines: vec![line("0", "100", "5"), line("1", "x", "101")], valid_until: "2026-12-31".into() };
        let got = validate_quote(&bad, today()).unwrap_err();
        let names: Vec<&str> = got.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(names, vec!["lines.0.quantity", "lines.1.unit_price", "lines.1.discount"]);
        let empty = QuoteInput { lines: vec![], valid_until: "2026-12-31".into() };
        assert_eq!(fields(&validate_quote(&empty, today()).unwrap_err()), vec![("lines", Problem::Required)]);
    }

    #[test]
    fn contracts_and_payments() {
        let input = ContractInput {
            number: "HT-2026-001".into(),
            amount: "100000".into(),
            start: "2026-12-01".into(),
            end: "2026-11-30".into(),
            signed_on: "2026-12-25".into(),
        };
        let errors = validate_contract(&input, today()).unwrap_err();
        assert_eq!(fields(&errors), vec![("signed_on", Problem::DateInFuture), ("end", Problem::EndBeforeStart)]);
        let fine = ContractInput { end: "2027-11-30".into(), signed_on: "2026-11-20".into(), ..input };
        assert_eq!(validate_contract(&fine, today()).unwrap().amount_cents, 10_000_000);
        let future = MoneyOnDateInput { date: "2026-12-01".into(), amount: "10".into() };
        assert!(validate_money_on_date(&future, today(), false).is_ok());
        assert!(validate_money_on_date(&future, today(), true).is_err());
        let zero = MoneyOnDateInput { date: "2026-11-01".into(), amount: "0".into() };
        assert!(validate_money_on_date(&zero, today(), true).is_err());
    }
}
