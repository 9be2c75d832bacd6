//! What a target names: one metric, one holder (the company, a region, a team, a person).

use serde::{Deserialize, Serialize};

/// What is counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Metric {
    /// 签约额: the amount of deals won (their contract's, else the deal's), in cents.
    Signed,
    /// 回款: payments received, in cents; a reversed payment is not collection.
    Collected,
    /// 新客户: customers won for the first time.
    NewCustomers,
    /// 跟进次数: follow-ups logged.
    FollowUps,
    /// 订单收入: order revenue net of refunds and returns, in cents.
    OrderRevenue,
}

impl Metric {
    pub const ALL: [Metric; 5] = [Metric::Signed, Metric::Collected, Metric::NewCustomers, Metric::FollowUps, Metric::OrderRevenue];

    pub fn key(self) -> &'static str {
        match self {
            Metric::Signed => "signed",
            Metric::Collected => "collected",
            Metric::NewCustomers => "new_customers",
            Metric::FollowUps => "follow_ups",
            Metric::OrderRevenue => "order_revenue",
        }
    }

    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Whether it is money (cents) rather than a count.
    pub fn is_money(self) -> bool {
        matches!(self, Metric::Signed | Metric::Collected | Metric::OrderRevenue)
    }
}

/// Who holds a target.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Holder {
    Company,
    Region(String),
    Team(String),
    Person(String),
}

impl Holder {
    /// `company`, `region:华东`, `team:east`, `person:rep_a`.
    pub fn key(&self) -> String {
        match self {
            Holder::Company => "company".into(),
            Holder::Region(r) => format!("region:{r}"),
            Holder::Team(t) => format!("team:{t}"),
            Holder::Person(p) => format!("person:{p}"),
        }
    }

    pub fn from_key(key: &str) -> Option<Holder> {
        match key.split_once(':') {
            None if key == "company" => Some(Holder::Company),
            Some(("region", r)) if !r.is_empty() => Some(Holder::Region(r.into())),
            Some(("team", t)) if !t.is_empty() => Some(Holder::Team(t.into())),
            Some(("person", p)) if !p.is_empty() => Some(Holder::Person(p.into())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_and_holders_read_back_from_their_keys() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_key(m.key()), Some(m));
        }
        for h in [Holder::Company, Holder::Region("华东".into()), Holder::Team("east".into()), Holder::Person("rep_a".into())] {
            assert_eq!(Holder::from_key(&h.key()), Some(h));
        }
        assert_eq!(Holder::from_key("team:"), None);
        assert_eq!(Holder::from_key("planet:mars"), None);
        assert!(Metric::Collected.is_money() && !Metric::FollowUps.is_money());
    }
}
