//! Who has tickets of which customer, in memory: what a service agent may see is the
//! customers of tickets given to them or their team, and `access` asks it on every request.
//! Built from the store at start-up; each ticket change sets its customer's entry again.

use std::collections::{BTreeSet, HashMap};
use std::sync::RwLock;

#[derive(Default)]
pub struct TicketHolders {
    by_customer: RwLock<HashMap<String, BTreeSet<String>>>,
}

impl TicketHolders {
    /// Every (customer, assignee) pair of the store's tickets; an empty assignee is a ticket
    /// given to nobody yet (the service desk's to take).
    pub fn replace_all(&self, pairs: Vec<(String, String)>) {
        let mut map: HashMap<String, BTreeSet<String>> = HashMap::new();
        for (customer, assignee) in pairs {
            map.entry(customer).or_default().insert(assignee);
        }
        *self.by_customer.write().unwrap_or_else(|p| p.into_inner()) = map;
    }

    /// The assignees of one customer's tickets now.
    pub fn set(&self, customer: &str, assignees: BTreeSet<String>) {
        let mut map = self.by_customer.write().unwrap_or_else(|p| p.into_inner());
        if assignees.is_empty() {
            map.remove(customer);
        } else {
            map.insert(customer.to_string(), assignees);
        }
    }

    /// Whether any of the customer's tickets is given to one of `people`.
    pub fn held_by_any(&self, customer: &str, people: &BTreeSet<String>) -> bool {
        self.by_customer.read().unwrap_or_else(|p| p.into_inner()).get(customer).is_some_and(|holders| !holders.is_disjoint(people))
    }
}
