//! Where competitors are named (竞品提及): every follow-up note and deal of the report's period
//! that names one, matched once against the list of competitors, kept per customer so the
//! competitor report counts them without reading a year of follow-ups from the store.
//!
//! Built on the first need (or right after start), for the list of competitors of that
//! moment; built again when the list is found changed. Kept in step by the followers: a
//! customer's notes after any change to the customer (a follow-up logged, an erasure), a
//! deal as saved, a merge. The book is behind an async lock that the store reads which fill
//! it also hold, so a build and a change never interleave (`insight::competitor_mentions`).

use std::collections::HashMap;

use kehu_domain::insight::competitor_report::Mention;
use kehu_domain::insight::competitors::{Competitor, Matcher};

#[derive(Default)]
pub struct MentionBook {
    inner: tokio::sync::Mutex<Mentions>,
}

impl MentionBook {
    pub async fn lock(&self) -> tokio::sync::MutexGuard<'_, Mentions> {
        self.inner.lock().await
    }
}

/// One customer's mentions: from notes, and from each deal.
#[derive(Default)]
struct OfCustomer {
    notes: Vec<Mention>,
    deals: HashMap<String, Vec<Mention>>,
    /// Both together, as the report reads them.
    all: Vec<Mention>,
}

impl OfCustomer {
    fn gather(&mut self) {
        self.all = self.notes.iter().chain(self.deals.values().flatten()).copied().collect();
    }
}

#[derive(Default)]
pub struct Mentions {
    /// The competitors the mentions were matched against; `None` until first built.
    built_for: Option<Vec<Competitor>>,
    matcher: Option<Matcher>,
    customers: HashMap<String, OfCustomer>,
    /// Which customer each deal with mentions belongs to.
    deal_customer: HashMap<String, String>,
}

impl Mentions {
    /// Whether the mentions were matched against exactly these competitors.
    pub fn built_for(&self, competitors: &[Competitor]) -> bool {
        self.built_for.as_deref() == Some(competitors)
    }

    pub fn is_built(&self) -> bool {
        self.built_for.is_some()
    }

    /// The matcher of the list the book was built for (none before the first build).
    pub fn matcher(&self) -> Option<&Matcher> {
        self.matcher.as_ref()
    }

    /// Everything anew, for this list of competitors: notes as (customer, mentions), deals as
    /// (deal, customer, mentions).
    pub fn rebuild(&mut self, competitors: Vec<Competitor>, notes: Vec<(String, Vec<Mention>)>, deals: Vec<(String, String, Vec<Mention>)>) {
        self.customers.clear();
        self.deal_customer.clear();
        self.matcher = Some(Matcher::new(&competitors));
        self.built_for = Some(competitors);
        for (customer, mentions) in notes {
            self.customers.entry(customer).or_default().notes.extend(mentions);
        }
        for (deal, customer, mentions) in deals {
            self.put_deal_mentions(&deal, &customer, mentions);
        }
        for of in self.customers.values_mut() {
            of.gather();
        }
        self.customers.retain(|_, of| !of.all.is_empty());
    }

    /// Not built any more: the next need builds it from the store.
    pub fn forget(&mut self) {
        *self = Mentions::default();
    }

    /// A customer's notes as they are now.
    pub fn put_notes(&mut self, customer: &str, mentions: Vec<Mention>) {
        let of = self.customers.entry(customer.to_string()).or_default();
        of.notes = mentions;
        of.gather();
        self.forget_if_empty(customer);
    }

    /// A deal as it is now (it may have named a competitor before and not any more).
    pub fn put_deal(&mut self, deal: &str, customer: &str, mentions: Vec<Mention>) {
        if let Some(before) = self.deal_customer.remove(deal) {
            if let Some(of) = self.customers.get_mut(&before) {
                of.deals.remove(deal);
                of.gather();
            }
            self.forget_if_empty(&before);
        }
        self.put_deal_mentions(deal, customer, mentions);
        if let Some(of) = self.customers.get_mut(customer) {
            of.gather();
        }
    }

    /// `from` merged into `into`: `from`'s deals and their mentions are `into`'s (`from`'s
    /// notes go; they are `into`'s now and read again with its notes).
    pub fn recustomer(&mut self, from: &str, into: &str) {
        let Some(gone) = self.customers.remove(from) else { return };
        for deal in gone.deals.keys() {
            self.deal_customer.insert(deal.clone(), into.to_string());
        }
        let of = self.customers.entry(into.to_string()).or_default();
        of.deals.extend(gone.deals);
        of.gather();
        self.forget_if_empty(into);
    }

    /// Every customer with mentions, and them.
    pub fn customers(&self) -> impl Iterator<Item = (&str, &[Mention])> {
        self.customers.iter().map(|(id, of)| (id.as_str(), of.all.as_slice()))
    }

    fn put_deal_mentions(&mut self, deal: &str, customer: &str, mentions: Vec<Mention>) {
        if mentions.is_empty() {
            return;
        }
        self.deal_customer.insert(deal.to_string(), customer.to_string());
        self.customers.entry(customer.to_string()).or_default().deals.insert(deal.to_string(), mentions);
    }

    fn forget_if_empty(&mut self, customer: &str) {
        if self.customers.get(customer).is_some_and(|of| of.all.is_empty()) {
            self.customers.remove(customer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn mention(competitor: usize, day: u32) -> Mention {
        let at = Utc.with_ymd_and_hms(2026, 6, day, 9, 0, 0).single().expect("a moment");
        Mention { competitor, at, latest: at, deal: None }
    }

    fn list() -> Vec<Competitor> {
        vec![Competitor { id: "1".into(), name: "用友".into(), aliases: vec![] }]
    }

    fn of(book: &Mentions, customer: &str) -> Vec<Mention> {
        book.customers().find(|(id, _)| *id == customer).map(|(_, m)| m.to_vec()).unwrap_or_default()
    }

    #[test]
    fn built_for_a_list_then_notes_and_deals_replace_what_they_said_before() {
        let mut book = Mentions::default();
        assert!(!book.is_built() && book.matcher().is_none());
        book.rebuild(list(), vec![("c1".into(), vec![mention(0, 1)]), ("c3".into(), vec![])], vec![("d1".into(), "c2".into(), vec![mention(0, 2)])]);
        assert!(book.built_for(&list()) && !book.built_for(&[]));
        assert_eq!(book.customers().count(), 2, "a customer without mentions is not kept");

        book.put_notes("c1", vec![mention(0, 1), mention(0, 3)]);
        assert_eq!(of(&book, "c1").len(), 2);
        book.put_notes("c1", vec![]);
        assert!(of(&book, "c1").is_empty() && book.customers().count() == 1);

        // The deal no longer names the competitor: its customer has nothing left.
        book.put_deal("d1", "c2", vec![]);
        assert_eq!(book.customers().count(), 0);
        book.put_deal("d1", "c2", vec![mention(0, 4)]);
        book.put_notes("c2", vec![mention(0, 5)]);
        assert_eq!(of(&book, "c2").len(), 2);
        // The deal moved to another customer (a merge wrote it there).
        book.put_deal("d1", "c9", vec![mention(0, 4)]);
        assert_eq!((of(&book, "c2").len(), of(&book, "c9").len()), (1, 1));
        // c9 merged into c2: its deal goes with it, its notes are read again with c2's.
        book.recustomer("c9", "c2");
        assert!(of(&book, "c9").is_empty());
        assert_eq!(of(&book, "c2").len(), 2);
        book.put_deal("d1", "c2", vec![mention(0, 6)]);
        assert_eq!(of(&book, "c2").len(), 2, "the deal replaced in its new place");
    }
}
