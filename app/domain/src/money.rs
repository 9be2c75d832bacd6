//! Money as people type it and read it: amounts are kept in cents (i64) everywhere.

use crate::problem::Problem;

/// The largest amount anything may carry: a hundred billion, in cents.
pub const AMOUNT_MAX_CENTS: i64 = 10_000_000_000_000;

/// Reads a money amount as people type it — `12,500.50`, `¥3000`, `3000 元` — into cents.
/// `None` when it is not a plain non-negative number with at most two decimals.
pub fn parse_money(text: &str) -> Result<i64, Problem> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(['¥', '￥', '$'])
        .trim_end_matches('元')
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_'))
        .collect();
    if cleaned.starts_with('-') {
        return Err(Problem::Negative);
    }
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(frac) || frac.len() > 2 {
        return Err(Problem::InvalidAmount);
    }
    if whole.len() > 15 {
        return Err(Problem::AmountTooLarge);
    }
    let whole: i64 = whole.parse().map_err(|_| Problem::InvalidAmount)?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| Problem::InvalidAmount)?;
    let cents = whole * 100 + frac;
    if cents > AMOUNT_MAX_CENTS {
        return Err(Problem::AmountTooLarge);
    }
    Ok(cents)
}

/// Money in cents as a form shows it back: `12500.50`.
pub fn amount_plain(cents: i64) -> String {
    // The sign in front even when the whole part is 0 (a refund of -0.50).
    let sign = if cents < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", (cents / 100).abs(), (cents % 100).abs())
}

/// Money in cents as people read it: `¥12,500.50`.
pub fn money_text(cents: i64, currency: &str) -> String {
    let symbol = match currency {
        "CNY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        "HKD" => "HK$",
        _ => "",
    };
    let negative = cents < 0;
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if negative { "-" } else { "" };
    let code = if symbol.is_empty() { format!(" {currency}") } else { String::new() };
    format!("{sign}{symbol}{grouped}.{:02}{code}", cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_as_people_type_it() {
        assert_eq!(parse_money("12,500.50"), Ok(1_250_050));
        assert_eq!(parse_money("¥3000"), Ok(300_000));
        assert_eq!(parse_money("3000 元"), Ok(300_000));
        assert_eq!(parse_money("0.5"), Ok(50));
        assert_eq!(parse_money("-1"), Err(Problem::Negative));
        assert_eq!(parse_money("1.234"), Err(Problem::InvalidAmount));
        assert_eq!(parse_money("12abc"), Err(Problem::InvalidAmount));
        assert_eq!(parse_money("1e9"), Err(Problem::InvalidAmount));
        assert_eq!(parse_money("99999999999999999999"), Err(Problem::AmountTooLarge));
        assert_eq!(money_text(1_250_050, "CNY"), "¥12,500.50");
        assert_eq!(parse_money(&amount_plain(1_250_050)), Ok(1_250_050));
        assert_eq!(money_text(5, "JPY"), "0.05 JPY");
        assert_eq!(money_text(100_000_000, "USD"), "$1,000,000.00");
    }
}
