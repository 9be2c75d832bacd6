//! What people achieved, held in memory so progress, leaderboards and heatmaps are counted
//! without a query: closed deals (signed, won/lost, cycle, quotes) with their payments
//! (collected), follow-ups by who logged them, and order revenue by day. Built at start from
//! the store, then kept in step by the followers after each change (a deal closed, a payment,
//! a follow-up, orders written or removed) — the store stays the truth.
//!
//! A deal counts for whoever owned its customer when it closed, a payment for whoever the
//! deal counts for, a follow-up for whoever logged it, an order for its customer's owner when
//! the book took it.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use kehu_domain::targets::board::Tally;
use kehu_domain::targets::heatmap::Heatmap;

use crate::store::performance::{ClosedDeal, FollowUp};

/// One follow-up in a person's list.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Touch {
    at: DateTime<Utc>,
    visit: bool,
    /// Which touchpoint (a hash of its key: the book keeps no names), so the same follow-up
    /// given twice counts once — a replica puts a customer's follow-ups again after each
    /// change to it.
    key: u64,
}

impl Touch {
    fn of(f: &FollowUp) -> Self {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        f.id.hash(&mut hasher);
        Touch { at: f.at, visit: f.visit, key: hasher.finish() }
    }
}

/// A person's closed deals, as the counting reads them (rebuilt after a deal changes).
#[derive(Default)]
struct PersonDeals {
    /// (closed, amount, cycle days, collected by now, days from first touch to quote).
    won: Vec<(NaiveDate, i64, i64, i64, Option<i64>)>,
    lost: Vec<NaiveDate>,
    /// (day, amount) of payments received on deals counted for them.
    payments: Vec<(NaiveDate, i64)>,
    /// The days they won a customer for the first time.
    new_customers: Vec<NaiveDate>,
}

#[derive(Default)]
struct Inner {
    offset: Option<FixedOffset>,
    deals: HashMap<String, ClosedDeal>,
    touches: HashMap<String, Vec<Touch>>,
    /// Each customer's first follow-up day.
    first_touch: HashMap<String, NaiveDate>,
    orders: HashMap<String, BTreeMap<NaiveDate, i64>>,
    /// Derived from `deals`; `None` after a deal changed, rebuilt on the next read.
    by_person: Option<HashMap<String, PersonDeals>>,
}

impl Inner {
    fn offset(&self) -> FixedOffset {
        self.offset.unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"))
    }

    fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.offset()).date_naive()
    }

    fn add_touch(&mut self, f: &FollowUp) {
        let day = self.local_day(f.at);
        self.first_touch.entry(f.customer.clone()).and_modify(|d| *d = (*d).min(day)).or_insert(day);
        let list = self.touches.entry(f.person.clone()).or_default();
        let touch = Touch::of(f);
        let from = list.partition_point(|t| t.at < f.at);
        let at = list.partition_point(|t| t.at <= f.at);
        if !list[from..at].contains(&touch) {
            list.insert(at, touch);
        }
    }

    fn derive(&mut self) {
        if self.by_person.is_some() {
            return;
        }
        let mut by_person: HashMap<String, PersonDeals> = HashMap::new();
        // A customer's first win (the earliest; the deal id breaks a tie) makes them new.
        let mut first_win: HashMap<&str, (NaiveDate, &str)> = HashMap::new();
        for d in self.deals.values().filter(|d| d.won) {
            let entry = first_win.entry(d.customer.as_str()).or_insert((d.closed, d.id.as_str()));
            if (d.closed, d.id.as_str()) < *entry {
                *entry = (d.closed, d.id.as_str());
            }
        }
        for d in self.deals.values() {
            let mine = by_person.entry(d.person.clone()).or_default();
            mine.payments.extend(d.payments.iter().copied());
            if !d.won {
                mine.lost.push(d.closed);
                continue;
            }
            let collected: i64 = d.payments.iter().map(|p| p.1).sum();
            let touched = self.first_touch.get(&d.customer).copied().unwrap_or(d.created).min(d.created);
            let to_quote = d.first_quote.map(|q| (q - touched).num_days().max(0));
            mine.won.push((d.closed, d.amount, (d.closed - d.created).num_days().max(0), collected, to_quote));
            if first_win.get(d.customer.as_str()).is_some_and(|(_, id)| *id == d.id) {
                mine.new_customers.push(d.closed);
            }
        }
        self.by_person = Some(by_person);
    }
}

#[derive(Default)]
pub struct PerformanceBook {
    inner: RwLock<Inner>,
}

impl PerformanceBook {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces everything; days are local at `offset`.
    pub fn load(&self, offset: FixedOffset, deals: Vec<ClosedDeal>, follow_ups: Vec<FollowUp>, orders: Vec<(String, NaiveDate, i64)>) {
        let mut inner = Inner { offset: Some(offset), ..Inner::default() };
        let mut follow_ups = follow_ups;
        follow_ups.sort_by_key(|f| f.at);
        for f in &follow_ups {
            inner.first_touch.entry(f.customer.clone()).or_insert_with(|| f.at.with_timezone(&offset).date_naive());
            inner.touches.entry(f.person.clone()).or_default().push(Touch::of(f));
        }
        for (person, day, total) in orders {
            *inner.orders.entry(person).or_default().entry(day).or_default() += total;
        }
        inner.deals = deals.into_iter().map(|d| (d.id.clone(), d)).collect();
        inner.derive();
        *self.write() = inner;
    }

    /// Closed deals and follow-ups held (for the bench's report).
    pub fn counts(&self) -> (usize, usize) {
        let inner = self.read();
        (inner.deals.len(), inner.touches.values().map(Vec::len).sum())
    }

    /// A closed deal as stored now (closed, paid into, its contract changed).
    pub fn put_deal(&self, deal: ClosedDeal) {
        let mut inner = self.write();
        inner.deals.insert(deal.id.clone(), deal);
        inner.by_person = None;
    }

    /// Counts a follow-up for its person; one already counted (the same touchpoint) is not
    /// counted again.
    pub fn add_follow_up(&self, f: &FollowUp) {
        let mut inner = self.write();
        inner.add_touch(f);
        // A first touch moves the days to quote.
        inner.by_person = None;
    }

    /// Orders written (`total` positive) or removed (negative) for `person` on `day`.
    pub fn add_order(&self, person: &str, day: NaiveDate, total: i64) {
        *self.write().orders.entry(person.to_string()).or_default().entry(day).or_default() += total;
    }

    /// What `person` did from `from` to `to` (both included); payments are counted up to
    /// `to` for the collection rate.
    pub fn tally(&self, person: &str, from: NaiveDate, to: NaiveDate) -> Tally {
        if self.read().by_person.is_none() {
            self.write().derive();
        }
        let inner = self.read();
        let mut t = Tally::default();
        let within = |d: &NaiveDate| from <= *d && *d <= to;
        if let Some(deals) = inner.by_person.as_ref().and_then(|m| m.get(person)) {
            for (_, amount, cycle, collected, to_quote) in deals.won.iter().filter(|w| within(&w.0)) {
                t.signed += amount;
                t.won += 1;
                t.cycle_days += cycle;
                t.collected_of_signed += collected;
                if let Some(days) = to_quote {
                    t.quote_days += days;
                    t.quotes += 1;
                }
            }
            t.lost = deals.lost.iter().filter(|d| within(d)).count() as u32;
            t.collected = deals.payments.iter().filter(|p| within(&p.0)).map(|p| p.1).sum();
            t.new_customers = deals.new_customers.iter().filter(|d| within(d)).count() as i64;
        }
        if let Some(touches) = inner.touches.get(person) {
            let (start, end) = inner.utc_bounds(from, to);
            let lo = touches.partition_point(|x| x.at < start);
            let hi = touches.partition_point(|x| x.at < end);
            t.follow_ups = (hi - lo) as i64;
            t.visits = touches[lo..hi].iter().filter(|x| x.visit).count() as i64;
        }
        if let Some(days) = inner.orders.get(person) {
            t.order_revenue = days.range(from..=to).map(|(_, v)| v).sum();
        }
        t
    }

    /// Monthly totals of one metric's raw facts for `people` in `year` (last year's shape for
    /// a seasonal cascade), January first.
    pub fn months_of(&self, people: &[String], year: i32, metric: kehu_domain::targets::types::Metric) -> [i64; 12] {
        let mut out = [0; 12];
        for (i, slot) in out.iter_mut().enumerate() {
            let month = kehu_domain::targets::period::Period::Month(year, i as u32 + 1);
            *slot = people.iter().map(|p| self.tally(p, month.start(), month.end()).value(metric)).sum();
        }
        out
    }

    /// The activity heatmap of `people` from `from` to `to`, in local time.
    pub fn heatmap(&self, people: &[String], from: NaiveDate, to: NaiveDate) -> Heatmap {
        let inner = self.read();
        let (start, end) = inner.utc_bounds(from, to);
        let mut map = Heatmap::new();
        for person in people {
            let Some(touches) = inner.touches.get(person) else { continue };
            let lo = touches.partition_point(|x| x.at < start);
            let hi = touches.partition_point(|x| x.at < end);
            for touch in &touches[lo..hi] {
                map.add(touch.at, inner.offset());
            }
        }
        map
    }

    /// The local day of a person's latest follow-up up to `to`.
    pub fn last_follow_up(&self, person: &str, to: NaiveDate) -> Option<NaiveDate> {
        let inner = self.read();
        let touches = inner.touches.get(person)?;
        let (_, end) = inner.utc_bounds(to, to);
        let hi = touches.partition_point(|x| x.at < end);
        hi.checked_sub(1).map(|i| inner.local_day(touches[i].at))
    }
}

impl Inner {
    /// The UTC instants of `from`'s local midnight and the local midnight after `to`.
    fn utc_bounds(&self, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let offset = self.offset();
        let at = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::seconds(i64::from(offset.local_minus_utc()));
        (at(from), at(to.succ_opt().unwrap_or(to)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).unwrap()
    }

    fn deal(id: &str, customer: &str, person: &str, won: bool, closed: NaiveDate, amount: i64, payments: Vec<(NaiveDate, i64)>) -> ClosedDeal {
        ClosedDeal { id: id.into(), customer: customer.into(), person: person.into(), won, created: day(1, 1), closed, amount, payments, first_quote: Some(day(1, 11)) }
    }

    #[test]
    fn a_follow_up_given_twice_counts_once() {
        let book = PerformanceBook::default();
        book.load(FixedOffset::east_opt(0).unwrap(), vec![], vec![], vec![]);
        let at = Utc.with_ymd_and_hms(2027, 3, 2, 9, 0, 0).unwrap();
        let on = |id: &str, visit: bool| FollowUp { id: id.into(), customer: "c1".into(), person: "rep_a".into(), at, visit };
        for f in [on("t1", false), on("t1", false), on("t2", false), on("t3", true), on("t2", false)] {
            book.add_follow_up(&f);
        }
        let march = book.tally("rep_a", day(3, 1), day(3, 31));
        assert_eq!((march.follow_ups, march.visits), (3, 1), "t1, t2 and t3 once each, at the same moment");
    }

    #[test]
    fn a_persons_tally_counts_what_fell_in_the_period() {
        let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
        let book = PerformanceBook::default();
        let deals = vec![
            deal("d1", "c1", "rep_a", true, day(3, 5), 100_000, vec![(day(3, 20), 40_000), (day(4, 2), 60_000)]),
            deal("d2", "c1", "rep_a", true, day(3, 25), 50_000, vec![]),
            deal("d3", "c2", "rep_a", false, day(3, 9), 70_000, vec![]),
            deal("d4", "c3", "rep_b", true, day(2, 1), 10_000, vec![(day(3, 1), 10_000)]),
        ];
        // 2027-03-31 17:00 UTC is April 1st in Beijing: not March.
        let touch = |h: u32, d: u32, m: u32, visit: bool| FollowUp { id: format!("t{m}-{d}-{h}"), customer: "c1".into(), person: "rep_a".into(), at: Utc.with_ymd_and_hms(2027, m, d, h, 0, 0).unwrap(), visit };
        let follow_ups = vec![touch(9, 2, 3, true), touch(1, 1, 1, false), touch(17, 31, 3, false), touch(15, 31, 3, true)];
        book.load(beijing, deals, follow_ups, vec![("rep_a".into(), day(3, 3), 8_000), ("rep_a".into(), day(3, 4), -1_000)]);
        let march = book.tally("rep_a", day(3, 1), day(3, 31));
        assert_eq!((march.signed, march.won, march.lost), (150_000, 2, 1));
        assert_eq!((march.collected, march.collected_of_signed), (40_000, 100_000), "April's payment is collection in April, but the deal is paid");
        assert_eq!(march.new_customers, 1, "c1's second deal is not a new customer");
        assert_eq!((march.follow_ups, march.visits), (2, 2));
        assert_eq!(march.order_revenue, 7_000, "a return subtracts");
        // First touch Jan 1st, first quote Jan 11th: 10 days, for both won deals.
        assert_eq!((march.quote_days, march.quotes), (20, 2));
        assert_eq!(book.tally("rep_b", day(3, 1), day(3, 31)).collected, 10_000, "the payment counts for whoever the deal counts for");
        // A payment on a closed deal moves the figures at once.
        book.put_deal(deal("d2", "c1", "rep_a", true, day(3, 25), 50_000, vec![(day(3, 28), 5_000)]));
        assert_eq!(book.tally("rep_a", day(3, 1), day(3, 31)).collected, 45_000);
        book.add_follow_up(&touch(2, 10, 3, false));
        assert_eq!(book.tally("rep_a", day(3, 1), day(3, 31)).follow_ups, 3);
        let map = book.heatmap(&["rep_a".into()], day(3, 1), day(3, 31));
        assert_eq!((map.total, map.cells[1][17]), (3, 1), "Tuesday 2 March 09:00 UTC is 17:00 in Beijing");
        assert_eq!(book.last_follow_up("rep_a", day(3, 31)), Some(day(3, 31)));
        assert_eq!(book.last_follow_up("rep_a", day(4, 30)), Some(day(4, 1)));
        assert_eq!(book.months_of(&["rep_a".into()], 2027, kehu_domain::targets::types::Metric::Signed)[2], 150_000);
    }
}
