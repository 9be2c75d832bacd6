//! Every service ticket, held in memory so the queue, a profile's tickets, the SLA warnings
//! and the after-sales report are built without a query (100,000 tickets in milliseconds).
//! The store stays the truth: each write there is followed by [`TicketBook::put`] of the
//! ticket as stored, and start-up loads them all. Who holds a customer's tickets — what a
//! service agent may see — is answered from here too.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};

use crate::store::tickets::TicketRecord;

/// What the after-sales report keeps of a ticket's SLA clocks once they can no longer move
/// (solved or closed, answered): counting them again in working time for 100,000 tickets on
/// every report would take a second.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoppedClocks {
    /// When it was first solved (or closed), if it was.
    pub solved_at: Option<chrono::DateTime<chrono::Utc>>,
    pub first_response_minutes: Option<i64>,
    pub resolution_minutes: Option<i64>,
    pub breached: bool,
    pub under_sla: bool,
}

/// One ticket as [`TicketBook::with_all`] shows it: what the report reads of every ticket
/// beside it, worked out once when it was put, and the ticket itself for the rest.
pub struct Entry<'a> {
    pub id: &'a str,
    /// Its customer's key; the same text (one allocation) for all of a customer's tickets.
    pub customer: &'a Arc<str>,
    pub record: &'a Arc<TicketRecord>,
    pub facts: &'a Facts,
    /// Its clocks as kept once they stopped, and the key they were counted under.
    pub stopped: Option<&'a (u64, StoppedClocks)>,
}

/// What the after-sales report reads of every ticket, kept in the book's array beside it:
/// walking 100,000 tickets then reads one array in order instead of jumping into each
/// ticket (the jumps were most of the report's time). Names are shared texts, so the few
/// distinct agents and categories stay in the processor's cache.
pub struct Facts {
    pub kind: Option<TicketKind>,
    pub status: Option<TicketStatus>,
    pub priority: Option<Priority>,
    pub created_at: DateTime<Utc>,
    /// When it was first solved (or closed), if it was.
    pub solved_at: Option<DateTime<Utc>>,
    /// When the customer was told a first reply, if they were.
    pub first_reply_at: Option<DateTime<Utc>>,
    /// Its status history, oldest first, as the SLA clocks read it (parsed once here, not on
    /// every report).
    pub statuses: Box<[(TicketStatus, DateTime<Utc>)]>,
    pub assignee: Arc<str>,
    pub category: Arc<str>,
}

/// A ticket where the book keeps it.
struct Slot {
    id: String,
    customer: Arc<str>,
    record: Arc<TicketRecord>,
    facts: Facts,
    /// Its stopped clocks, with the key of the settings and policy they were counted under;
    /// they go when the ticket changes.
    stopped: Option<(u64, StoppedClocks)>,
}

/// When a ticket was first solved (or closed), from its status history.
fn first_solved(statuses: &[(TicketStatus, DateTime<Utc>)]) -> Option<DateTime<Utc>> {
    statuses.iter().find(|(status, _)| matches!(status, TicketStatus::Solved | TicketStatus::Closed)).map(|(_, at)| *at)
}

/// The tickets in one array walked in order by the report (no lookup per ticket), found by
/// id and by customer through indexes into it. Tickets are replaced, never removed.
#[derive(Default)]
struct Inner {
    slots: Vec<Slot>,
    by_id: HashMap<String, usize>,
    /// The slots of each customer's tickets, by customer key.
    by_customer: HashMap<Arc<str>, BTreeSet<usize>>,
    /// Every customer key, agent and category once (see [`Facts`]).
    names: HashSet<Arc<str>>,
}

impl Inner {
    fn name(&mut self, text: &str) -> Arc<str> {
        if let Some(kept) = self.names.get(text) {
            return Arc::clone(kept);
        }
        let kept: Arc<str> = Arc::from(text);
        self.names.insert(Arc::clone(&kept));
        kept
    }

    fn slot(&mut self, id: String, record: TicketRecord) -> Slot {
        let statuses: Box<[(TicketStatus, DateTime<Utc>)]> = record.history.iter().filter_map(|h| Some((TicketStatus::from_key(&h.status)?, h.at))).collect();
        let facts = Facts {
            kind: record.kind(),
            status: record.status(),
            priority: record.priority(),
            created_at: record.created_at,
            solved_at: first_solved(&statuses),
            first_reply_at: record.first_reply_at,
            statuses,
            assignee: self.name(&record.assignee),
            category: self.name(&record.category),
        };
        Slot { id, customer: self.name(&record.customer_key()), record: Arc::new(record), facts, stopped: None }
    }

    fn insert(&mut self, record: TicketRecord) {
        let id = crate::store::ids::key_of(&record.id);
        let slot = self.slot(id.clone(), record);
        let customer = Arc::clone(&slot.customer);
        let at = match self.by_id.get(&id) {
            Some(&at) => {
                let old = std::mem::replace(&mut self.slots[at], slot);
                if old.customer != customer {
                    if let Some(slots) = self.by_customer.get_mut(&*old.customer) {
                        slots.remove(&at);
                        if slots.is_empty() {
                            self.by_customer.remove(&*old.customer);
                        }
                    }
                }
                at
            }
            None => {
                self.by_id.insert(id, self.slots.len());
                self.slots.push(slot);
                self.slots.len() - 1
            }
        };
        self.by_customer.entry(customer).or_default().insert(at);
    }

    /// A customer's tickets where they are kept.
    fn of_customer(&self, customer: &str) -> impl Iterator<Item = &Slot> {
        self.by_customer.get(customer).into_iter().flatten().map(|&at| &self.slots[at])
    }

    fn get(&self, id: &str) -> Option<&Slot> {
        self.by_id.get(id).map(|&at| &self.slots[at])
    }
}

#[derive(Default)]
pub struct TicketBook {
    inner: RwLock<Inner>,
}

impl TicketBook {
    fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces everything with the store's tickets (start-up), a customer's tickets next to
    /// each other in the array (the report asks about a customer once per run of them).
    pub fn load(&self, mut records: Vec<TicketRecord>) {
        records.sort_by_cached_key(|r| (r.customer_key(), r.created_at));
        let mut inner = Inner::default();
        for record in records {
            inner.insert(record);
        }
        *self.write() = inner;
    }

    /// Keeps a ticket as it is now stored.
    pub fn put(&self, record: TicketRecord) {
        self.write().insert(record);
    }

    pub fn get(&self, id: &str) -> Option<Arc<TicketRecord>> {
        self.read().get(id).map(|slot| Arc::clone(&slot.record))
    }

    pub fn len(&self) -> usize {
        self.read().slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A customer's tickets, newest first.
    pub fn of_customer(&self, customer: &str) -> Vec<Arc<TicketRecord>> {
        let inner = self.read();
        let mut list: Vec<Arc<TicketRecord>> =
            inner.of_customer(customer).map(|slot| Arc::clone(&slot.record)).collect();
        list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
        list
    }

    /// Every ticket, in no order (the report).
    pub fn all(&self) -> Vec<Arc<TicketRecord>> {
        self.read().slots.iter().map(|slot| Arc::clone(&slot.record)).collect()
    }

    /// Open tickets (new, in progress, waiting for the customer), oldest first.
    pub fn open(&self) -> Vec<Arc<TicketRecord>> {
        self.open_where(|_| true)
    }

    /// The open tickets `keep` accepts, oldest first; whether a ticket is open is read from
    /// its facts (the queue asks this of 100,000 tickets).
    pub fn open_where(&self, keep: impl Fn(&TicketRecord) -> bool) -> Vec<Arc<TicketRecord>> {
        let mut list: Vec<Arc<TicketRecord>> = self
            .read()
            .slots
            .iter()
            .filter(|slot| slot.facts.status.is_some_and(|s| s.is_open()) && keep(&slot.record))
            .map(|slot| Arc::clone(&slot.record))
            .collect();
        list.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        list
    }

    /// Open tickets per assignee ("" for given to nobody): who is least busy.
    pub fn open_counts(&self) -> HashMap<String, u32> {
        let mut counts = HashMap::new();
        for slot in self.read().slots.iter().filter(|slot| slot.facts.status.is_some_and(|s| s.is_open())) {
            *counts.entry(slot.record.assignee.clone()).or_insert(0) += 1;
        }
        counts
    }

    /// Whether any of the customer's tickets is given to one of `people` ("" for nobody).
    pub fn held_by_any(&self, customer: &str, people: &BTreeSet<String>) -> bool {
        let inner = self.read();
        let held = inner.of_customer(customer).any(|slot| people.contains(&slot.record.assignee));
        held
    }

    /// Runs `f` over every ticket — its id, its customer's key, the ticket, its facts and
    /// kept clocks — without copying any (the report over 100,000 tickets), in the array's
    /// order: a customer's tickets mostly come one after another (all of them after a
    /// start), so what is asked about a customer is asked about once per run of them.
    /// Writers wait meanwhile, so `f` must not ask the book anything.
    pub fn with_all<R>(&self, f: impl FnOnce(&mut dyn Iterator<Item = Entry<'_>>) -> R) -> R {
        let guard = self.read();
        let mut entries = guard.slots.iter().map(|slot| Entry {
            id: &slot.id,
            customer: &slot.customer,
            record: &slot.record,
            facts: &slot.facts,
            stopped: slot.stopped.as_ref(),
        });
        f(&mut entries)
    }

    /// The stopped clocks of a ticket, if they were kept under the same `key`.
    pub fn stopped_clocks(&self, id: &str, key: u64) -> Option<StoppedClocks> {
        self.read().get(id).and_then(|slot| slot.stopped).filter(|(k, _)| *k == key).map(|(_, c)| c)
    }

    /// Keeps stopped clocks (the ticket as counted, key, clocks) for the next report.
    pub fn keep_stopped_clocks(&self, counted: Vec<(Arc<TicketRecord>, u64, StoppedClocks)>) {
        if counted.is_empty() {
            return;
        }
        let mut inner = self.write();
        for (record, key, clocks) in counted {
            let id = crate::store::ids::key_of(&record.id);
            // A ticket changed since it was counted is counted again next time.
            if let Some(&at) = inner.by_id.get(&id) {
                let slot = &mut inner.slots[at];
                if Arc::ptr_eq(&slot.record, &record) {
                    slot.stopped = Some((key, clocks));
                }
            }
        }
    }

    /// Moves a merged customer's tickets to the customer they were merged into (the store has).
    pub fn recustomer(&self, from: &str, into: &surrealdb::types::RecordId) {
        let mut inner = self.write();
        let moving: Vec<TicketRecord> = inner.of_customer(from).map(|slot| TicketRecord::clone(&slot.record)).collect();
        for mut moved in moving {
            moved.customer = into.clone();
            inner.insert(moved);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ids::record_id;
    use chrono::{TimeZone, Utc};

    fn ticket(id: &str, customer: &str, assignee: &str, status: &str, day: u32) -> TicketRecord {
        TicketRecord {
            id: record_id("ticket", id).expect("id"),
            customer: record_id("customer", customer).expect("customer"),
            title: id.into(),
            description: String::new(),
            kind: "question".into(),
            priority: "medium".into(),
            status: status.into(),
            category: String::new(),
            assignee: assignee.into(),
            resolution: String::new(),
            created_by: "rep".into(),
            created_at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).single().expect("date"),
            first_reply_at: None,
            history: Vec::new(),
            notes: Vec::new(),
            merged_into: None,
            sales_order: None,
        }
    }

    #[test]
    fn keeps_the_latest_state_and_who_holds_what() {
        let book = TicketBook::default();
        book.load(vec![ticket("t1", "c1", "ann", "new", 2), ticket("t2", "c1", "", "solved", 3), ticket("t3", "c2", "bob", "in_progress", 1)]);
        assert_eq!(book.of_customer("c1").iter().map(|r| r.title.clone()).collect::<Vec<_>>(), ["t2", "t1"]);
        assert_eq!(book.open().iter().map(|r| r.title.clone()).collect::<Vec<_>>(), ["t3", "t1"]);
        assert_eq!(book.open_counts().get("ann"), Some(&1));
        assert!(book.held_by_any("c1", &["".to_string()].into()));
        assert!(!book.held_by_any("c2", &["ann".to_string()].into()));

        book.put(ticket("t3", "c2", "ann", "solved", 1));
        assert_eq!(book.open_counts().get("ann"), Some(&1));
        assert!(book.held_by_any("c2", &["ann".to_string()].into()));
        assert_eq!(book.len(), 3);
    }

    #[test]
    fn stopped_clocks_are_kept_until_the_ticket_changes() {
        let book = TicketBook::default();
        book.load(vec![ticket("t1", "c1", "ann", "solved", 2)]);
        let clocks = StoppedClocks { solved_at: None, first_response_minutes: Some(30), resolution_minutes: Some(90), breached: false, under_sla: true };
        let counted = book.get("t1").expect("t1");
        book.keep_stopped_clocks(vec![(counted.clone(), 7, clocks)]);
        assert_eq!(book.stopped_clocks("t1", 7), Some(clocks));
        assert_eq!(book.stopped_clocks("t1", 8), None, "other settings, other clocks");
        book.put(ticket("t1", "c1", "ann", "in_progress", 2));
        assert_eq!(book.stopped_clocks("t1", 7), None, "reopened");
        // Clocks counted on the ticket as it was are not kept for the ticket as it is.
        book.keep_stopped_clocks(vec![(counted, 7, clocks)]);
        assert_eq!(book.stopped_clocks("t1", 7), None);
    }

    #[test]
    fn every_ticket_is_seen_once_with_its_customer() {
        let book = TicketBook::default();
        book.load(vec![ticket("t1", "c1", "ann", "new", 2), ticket("t2", "c1", "", "solved", 3), ticket("t3", "c2", "bob", "in_progress", 1)]);
        let mut seen = book.with_all(|entries| entries.map(|e| (e.id.to_string(), e.customer.to_string(), e.record.title.clone())).collect::<Vec<_>>());
        assert!(book.with_all(|entries| {
            let all: Vec<Arc<str>> = entries.map(|e| Arc::clone(e.customer)).collect();
            Arc::ptr_eq(&all[0], &all[1])
        }), "c1's tickets share its key and sit next to each other after a load");
        seen.sort();
        assert_eq!(seen, vec![
            ("t1".to_string(), "c1".to_string(), "t1".to_string()),
            ("t2".to_string(), "c1".to_string(), "t2".to_string()),
            ("t3".to_string(), "c2".to_string(), "t3".to_string()),
        ]);
    }

    #[test]
    fn a_merged_customers_tickets_move_with_it() {
        let book = TicketBook::default();
        book.load(vec![ticket("t1", "c1", "ann", "new", 2), ticket("t2", "c2", "bob", "new", 3)]);
        book.recustomer("c1", &record_id("customer", "c2").expect("id"));
        assert!(book.of_customer("c1").is_empty());
        assert_eq!(book.of_customer("c2").len(), 2);
        assert!(book.held_by_any("c2", &["ann".to_string()].into()));
    }
}
