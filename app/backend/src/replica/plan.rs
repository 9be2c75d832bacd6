//! What a replica must read again after other processes' commits: worked out from the events
//! alone (plain data, tested without a store). Every event names what it touched — its
//! customer, or the user or setting it was about — so the plan is "read these again", never
//! "apply this difference": reading again is the same whether the change came from another
//! process or from this one, and however often it is done.

use std::collections::{BTreeMap, BTreeSet};

use kehu_domain::audit::types::EventKind;

use crate::store::feed::FedEvent;

/// More customers than this in one batch of commits (an import, a hand-over of a whole book):
/// every read model is loaded again instead, which is quicker than reading each.
pub const MANY_CUSTOMERS: usize = 200;

/// What of one customer to read again (its row and contacts always).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Parts {
    pub deals: bool,
    pub orders: bool,
    pub tickets: bool,
    pub follow_ups: bool,
}

#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// A bulk write (demo data, an order import, an undone import, a merge): load every
    /// read model again.
    pub everything: bool,
    pub customers: BTreeMap<String, Parts>,
    /// Accounts that changed (by username): the registry is read again and their cached
    /// sessions are forgotten (a deactivation or a new password ended some in the store).
    pub users: BTreeSet<String>,
    /// The product catalogue changed.
    pub products: bool,
    /// The reminder rules changed: everyone's badge recounts (the writer worked the
    /// reminders out again).
    pub everyones_reminders: bool,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        *self == Plan::default()
    }
}

/// The plan for these committed events, in commit order.
pub fn plan<'a>(events: impl IntoIterator<Item = &'a FedEvent>) -> Plan {
    let mut plan = Plan::default();
    for event in events {
        // An event kind this build does not know (a newer replica wrote it): read its
        // customer again, which is all any customer change needs.
        let kind = EventKind::parse(&event.kind);
        match kind {
            Some(EventKind::DemoLoaded | EventKind::OrdersImported | EventKind::ImportUndone | EventKind::Merged) => plan.everything = true,
            Some(EventKind::UserCreated | EventKind::UserUpdated | EventKind::UserDeactivated | EventKind::TeamCreated) => {
                plan.users.insert(event.subject.clone());
            }
            Some(EventKind::ProductSaved) => plan.products = true,
            Some(EventKind::ReminderRulesSaved) => plan.everyones_reminders = true,
            _ => {}
        }
        if event.customer.is_empty() {
            continue;
        }
        let parts = plan.customers.entry(event.customer.clone()).or_default();
        match kind {
            Some(
                EventKind::DealCreated
                | EventKind::DealUpdated
                | EventKind::DealMoved
                | EventKind::DealWon
                | EventKind::DealLost
                | EventKind::PlaybookTicked
                | EventKind::QuoteAdded
                | EventKind::ContractSaved
                | EventKind::InstalmentAdded
                | EventKind::PaymentAdded,
            ) => parts.deals = true,
            Some(EventKind::OrderAdded | EventKind::OrderRemoved) => parts.orders = true,
            Some(EventKind::TicketOpened | EventKind::TicketUpdated | EventKind::TicketNoteAdded) => parts.tickets = true,
            Some(EventKind::TouchpointAdded) => parts.follow_ups = true,
            Some(_) => {}
            None => *parts = Parts { deals: true, orders: true, tickets: true, follow_ups: true },
        }
    }
    if plan.customers.len() > MANY_CUSTOMERS {
        plan.everything = true;
    }
    if plan.everything {
        plan.customers.clear();
        plan.products = false;
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn event(kind: &str, customer: &str, subject: &str) -> FedEvent {
        FedEvent {
            id: "event:x".into(),
            at: Utc::now(),
            actor: "rep_a".into(),
            kind: kind.into(),
            customer: customer.into(),
            subject: subject.into(),
            changes: vec![],
            via: None,
        }
    }

    #[test]
    fn each_customer_is_read_again_with_the_parts_its_events_touched() {
        let events = [
            event("customer_updated", "c1", "华为"),
            event("deal_moved", "c1", "年度框架"),
            event("touchpoint_added", "c2", "拜访"),
            event("order_added", "c2", "SO-1"),
            event("ticket_opened", "c3", "漏水"),
            event("tag_added", "c4", "VIP"),
        ];
        let plan = plan(&events);
        assert!(!plan.everything);
        assert_eq!(plan.customers["c1"], Parts { deals: true, ..Parts::default() });
        assert_eq!(plan.customers["c2"], Parts { orders: true, follow_ups: true, ..Parts::default() });
        assert_eq!(plan.customers["c3"], Parts { tickets: true, ..Parts::default() });
        assert_eq!(plan.customers["c4"], Parts::default(), "its row and contacts only");
        assert!(plan.users.is_empty() && !plan.products && !plan.everyones_reminders);
    }

    #[test]
    fn accounts_products_and_rules_are_named_without_a_customer() {
        let events = [
            event("user_deactivated", "", "rep_b"),
            event("user_updated", "", "rep_a"),
            event("product_saved", "", "净水器"),
            event("reminder_rules_saved", "", ""),
        ];
        let plan = plan(&events);
        assert_eq!(plan.users, BTreeSet::from(["rep_a".to_string(), "rep_b".to_string()]));
        assert!(plan.products && plan.everyones_reminders && plan.customers.is_empty());
    }

    #[test]
    fn bulk_writes_and_many_customers_load_everything_again() {
        assert!(plan(&[event("orders_imported", "", "")]).everything);
        assert!(plan(&[event("merged", "c1", "华为")]).everything);
        let many: Vec<FedEvent> = (0..=MANY_CUSTOMERS).map(|i| event("customer_created", &format!("c{i}"), "")).collect();
        let bulk = plan(&many);
        assert!(bulk.everything && bulk.customers.is_empty(), "one reload, not {} reads", MANY_CUSTOMERS + 1);
        let few: Vec<FedEvent> = (0..MANY_CUSTOMERS).map(|i| event("customer_created", &format!("c{i}"), "")).collect();
        assert!(!plan(&few).everything);
    }

    #[test]
    fn an_unknown_kind_reads_all_of_its_customer_and_nothing_is_an_empty_plan() {
        let plan_of_new = plan(&[event("something_newer", "c9", "")]);
        assert_eq!(plan_of_new.customers["c9"], Parts { deals: true, orders: true, tickets: true, follow_ups: true });
        assert!(plan(&[]).is_empty());
    }
}
