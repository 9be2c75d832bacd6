//! What a complaint is about, joined to the customer's orders: the order a ticket names, or
//! else the customer's latest order on or before the complaint (within [`LOOKBACK_DAYS`]) —
//! its products and, when the order recorded one, its carrier. So the complaint analysis can
//! say "half of complaints are logistics, mostly on 顺丰 in 华南".

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// How far back an order is still what a complaint is about.
pub const LOOKBACK_DAYS: i64 = 180;

/// One of a customer's orders, as the join reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderFacts {
    pub id: String,
    pub on: NaiveDate,
    /// Product names on the order, each once.
    pub products: Vec<String>,
    /// Who delivered it, empty when not recorded.
    pub carrier: String,
}

/// Where a complaint came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub products: Vec<String>,
    pub carrier: String,
}

/// The order a complaint made at `at` is about: `named` if it is among the customer's
/// orders, else the latest one within the lookback (ties: the later in the list). Generic
/// over how the orders are held, so the order book answers without copying a customer's
/// orders (`id_and_day` reads an order's id and day).
pub fn order_about<'a, T>(orders: &'a [T], id_and_day: impl Fn(&T) -> (&str, NaiveDate), named: Option<&str>, at: DateTime<Utc>) -> Option<&'a T> {
    let named = named.filter(|id| !id.is_empty()).and_then(|id| orders.iter().find(|o| id_and_day(o).0 == id));
    let day = at.date_naive();
    named.or_else(|| {
        orders
            .iter()
            .filter(|o| {
                let on = id_and_day(o).1;
                on <= day && on >= day - Duration::days(LOOKBACK_DAYS)
            })
            .max_by_key(|o| id_and_day(o).1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn origin_of(orders: &[OrderFacts], named: Option<&str>, at: DateTime<Utc>) -> Origin {
        order_about(orders, |o| (o.id.as_str(), o.on), named, at).map(|o| Origin { products: o.products.clone(), carrier: o.carrier.clone() }).unwrap_or_default()
    }

    fn order(id: &str, day: u32, products: &[&str], carrier: &str) -> OrderFacts {
        OrderFacts {
            id: id.into(),
            on: NaiveDate::from_ymd_opt(2026, 10, day).expect("date"),
            products: products.iter().map(|p| p.to_string()).collect(),
            carrier: carrier.into(),
        }
    }

    fn at(month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, month, day, 12, 0, 0).single().expect("time")
    }

    #[test]
    fn the_latest_order_before_the_complaint_is_what_it_is_about() {
        let orders = [order("o1", 1, &["净水器"], "顺丰"), order("o2", 20, &["滤芯", "水龙头"], ""), order("o3", 28, &["空调"], "德邦")];
        let origin = origin_of(&orders, None, at(10, 25));
        assert_eq!(origin, Origin { products: vec!["滤芯".into(), "水龙头".into()], carrier: String::new() });
        // An order placed after the complaint is not what it is about.
        assert_eq!(origin_of(&orders, None, at(10, 10)).carrier, "顺丰");
    }

    #[test]
    fn a_named_order_wins_and_an_unknown_one_is_ignored() {
        let orders = [order("o1", 1, &["净水器"], "顺丰"), order("o2", 20, &["滤芯"], "")];
        assert_eq!(origin_of(&orders, Some("o1"), at(10, 25)).carrier, "顺丰");
        assert_eq!(origin_of(&orders, Some("elsewhere"), at(10, 25)).products, ["滤芯"]);
    }

    #[test]
    fn nothing_when_no_order_is_recent_enough() {
        let orders = [order("o1", 1, &["净水器"], "顺丰")];
        assert_eq!(origin_of(&orders, None, at(10, 1) + Duration::days(LOOKBACK_DAYS + 1)), Origin::default());
        assert_eq!(origin_of(&[], None, at(10, 1)), Origin::default());
        // The lookback's last day still counts.
        assert_eq!(origin_of(&orders, None, at(10, 1) + Duration::days(LOOKBACK_DAYS)).carrier, "顺丰");
    }
}
