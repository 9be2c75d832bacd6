//! The customer directory: an in-memory read model of every customer's list columns and
//! search text, kept in step with the store by `events::follow`.
//!
//! Why: the list must filter, search (any substring, Chinese or Latin) and page through
//! 100,000 customers in a few milliseconds. A substring search cannot use a B-tree index and
//! a full scan of the store costs hundreds of milliseconds, so the list reads from here and
//! the store stays the source of truth: the directory is built from it at start-up and every
//! change goes to the store first (with its event), then here. One server process owns a store; several
//! processes sharing a remote store would each need to follow its changes (not built yet).
//!
//! One file for the directory and its column layout (about 520 lines): the columns are its
//! private representation, and splitting them out would make them everyone's.
//!
//! Layout, for speed: what filters look at (stage, owner, region, liveness) is kept in
//! columns of small integers, scanned front to back; the search text is one buffer (see
//! `search_index`); each sort order is a vector of slots, patched on every change (a binary
//! search and a memmove). A page is one pass over the columns and one walk down the order.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Mutex, RwLock};

use chrono::{DateTime, Utc};
use memchr::memmem::Finder;

use kehu_domain::accounts::rules::Scope;
use kehu_domain::customers::normalize::{fold, phone_key};
use kehu_domain::customers::pool::{RecycleRules, POOL};
use kehu_domain::customers::types::{
    Customer, CustomerPage, CustomerRow, LifecycleStage, ListFacets, ListQuery, ListSort, Tag,
};

use super::search_index::SearchIndex;

/// The part of a contact the search looks at.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchContact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

struct Entry {
    /// False once the customer is gone (merged away); its slot is not reused.
    live: bool,
    row: CustomerRow,
    created_at: DateTime<Utc>,
    name_sort: String,
}

impl Entry {
    fn new(customer: &Customer, contacts: &[SearchContact]) -> Self {
        let phone = if customer.phone.is_empty() {
            contacts.iter().map(|c| c.phone.as_str()).find(|p| !p.is_empty()).unwrap_or("").to_string()
        } else {
            customer.phone.clone()
        };
        Entry {
            live: true,
            // Listed with a contact's phone when the customer has none of its own.
            row: CustomerRow { owner_name: String::new(), phone, ..customer.row() },
            created_at: customer.created_at,
            name_sort: fold(&customer.name),
        }
    }
}

/// The folded text a customer is found by: name, phones (as typed and as digits), emails,
/// and the same of every contact.
fn search_text(customer: &Customer, contacts: &[SearchContact]) -> String {
    let mut text = fold(&customer.name);
    let mut add = |part: &str| {
        if !part.is_empty() {
            text.push('\n');
            text.push_str(&fold(part));
        }
    };
    add(&customer.phone);
    add(&phone_key(&customer.phone));
    add(&customer.email);
    for c in contacts {
        add(&c.name);
        add(&c.phone);
        add(&phone_key(&c.phone));
        add(&c.email);
    }
    text
}

/// The sort orders kept ready. `ListSort::Stale` is `LastContact` read backwards.
#[derive(Clone, Copy)]
enum Order {
    Updated = 0,
    Created = 1,
    Name = 2,
    LastContact = 3,
}

const ORDERS: [Order; 4] = [Order::Updated, Order::Created, Order::Name, Order::LastContact];

/// A total order per sort: ties are broken by id so every entry has one exact place.
fn compare(order: Order, a: &Entry, b: &Entry) -> Ordering {
    let primary = match order {
        Order::Updated => b.row.updated_at.cmp(&a.row.updated_at),
        Order::Created => b.created_at.cmp(&a.created_at),
        Order::Name => a.name_sort.cmp(&b.name_sort),
        // Most recent first; never contacted last.
        Order::LastContact => match (a.row.last_contact_at, b.row.last_contact_at) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    };
    primary.then_with(|| a.row.id.cmp(&b.row.id))
}

/// Strings numbered in order of first sight: owners and regions as small integers.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        let next = self.ids.len() as u32;
        *self.ids.entry(s.to_string()).or_insert(next)
    }

    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }

    /// A table, by id, of which strings `keep` accepts.
    fn table(&self, keep: impl Fn(&str) -> bool) -> Vec<bool> {
        let mut table = vec![false; self.ids.len()];
        for (s, &id) in &self.ids {
            table[id as usize] = keep(s);
        }
        table
    }
}

const DEAD: u8 = u8::MAX;

#[derive(Default)]
struct Inner {
    entries: Vec<Entry>,
    slots: HashMap<String, u32>,
    orders: [Vec<u32>; 4],
    /// Per slot: the stage's index, or `DEAD`.
    stage: Vec<u8>,
    owner: Vec<u32>,
    region: Vec<u32>,
    /// Per slot, a bit per tag among the first 64 tags ever seen (tags are a small
    /// vocabulary); rarer ones are checked on the entry itself.
    tag_bits: Vec<u64>,
    owners: Interner,
    regions: Interner,
    tags: Interner,
    search: SearchIndex,
    /// Bumped on every change; tells the facet cache it is stale.
    generation: u64,
}

fn stage_index(stage: LifecycleStage) -> u8 {
    LifecycleStage::ALL.iter().position(|s| *s == stage).unwrap_or(0) as u8
}

impl Inner {
    fn position(&self, order: Order, entry: &Entry) -> Result<usize, usize> {
        self.orders[order as usize].binary_search_by(|&slot| compare(order, &self.entries[slot as usize], entry))
    }

    /// Writes the columns and search text of `slot`.
    fn index(&mut self, slot: u32, customer: &Customer, contacts: &[SearchContact]) {
        let i = slot as usize;
        if self.stage.len() <= i {
            self.stage.resize(i + 1, DEAD);
            self.owner.resize(i + 1, 0);
            self.region.resize(i + 1, 0);
            self.tag_bits.resize(i + 1, 0);
        }
        self.stage[i] = stage_index(customer.stage);
        self.owner[i] = self.owners.id(&customer.owner);
        self.region[i] = self.regions.id(&customer.region);
        let mut bits = 0u64;
        for tag in &customer.tags {
            let id = self.tags.id(&tag.key());
            if id < 64 {
                bits |= 1 << id;
            }
        }
        self.tag_bits[i] = bits;
        self.search.set(slot, &search_text(customer, contacts));
    }

    /// The scope's own rule, decided once per owner and per region rather than per row.
    fn covered(&self, scope: &Scope) -> Covered {
        Covered((!matches!(scope, Scope::All)).then(|| (self.owners.table(|o| scope.sees_owner(o)), self.regions.table(|r| scope.sees_region(r)))))
    }

    /// Which slots pass the filters and the scope: one pass over the columns.
    fn select(&self, filter: &Filter, scope: &Scope, only: Option<&HashSet<String>>) -> Vec<bool> {
        let n = self.entries.len();
        let mut keep = if filter.finders.is_empty() { vec![true; n] } else { self.search.matching(&filter.finders, n) };
        if filter.impossible {
            keep.iter_mut().for_each(|k| *k = false);
            return keep;
        }
        let covered = self.covered(scope);
        let stage = filter.stage.map(stage_index);
        // A filter naming an owner or region nobody has matches nothing.
        let owner = filter.owner.as_deref().map(|o| if o == POOL { self.owners.get("") } else { self.owners.get(o) });
        let region = filter.region.as_deref().map(|r| self.regions.get(r));
        // `Some(Some(bit))`: test the column; `Some(None)`: a tag beyond the mask, test the
        // entry; a tag never seen matches nothing.
        let tag_bit = filter.tag.as_ref().map(|t| self.tags.get(&t.key()));
        if matches!(tag_bit, Some(None)) {
            keep.iter_mut().for_each(|k| *k = false);
            return keep;
        }
        let tag_bit = tag_bit.flatten().map(|id| if id < 64 { Some(1u64 << id) } else { None });
        for (i, k) in keep.iter_mut().enumerate() {
            if !*k {
                continue;
            }
            *k = self.stage[i] != DEAD
                && covered.slot(self, i)
                && stage.is_none_or(|s| self.stage[i] == s)
                && owner.is_none_or(|o| o == Some(self.owner[i]))
                && region.is_none_or(|r| r == Some(self.region[i]))
                && only.is_none_or(|set| set.contains(&self.entries[i].row.id))
                && match (tag_bit, &filter.tag) {
                    (Some(Some(bit)), _) => self.tag_bits[i] & bit != 0,
                    (_, Some(t)) => self.entries[i].row.tags.contains(t),
                    _ => true,
                };
        }
        keep
    }
}

/// Which owners and which regions a scope covers, by their interned ids (`None`: everyone).
struct Covered(Option<(Vec<bool>, Vec<bool>)>);

impl Covered {
    fn slot(&self, inner: &Inner, i: usize) -> bool {
        match &self.0 {
            Some((owners, regions)) => owners[inner.owner[i] as usize] || regions[inner.region[i] as usize],
            None => true,
        }
    }
}

/// The filters of one list request, prepared once.
struct Filter {
    finders: Vec<Finder<'static>>,
    stage: Option<LifecycleStage>,
    tag: Option<Tag>,
    region: Option<String>,
    owner: Option<String>,
    /// A tag filter that names no valid tag matches nothing rather than everything.
    impossible: bool,
}

impl Filter {
    fn new(q: &ListQuery) -> Self {
        let folded = fold(&q.q);
        let finders = folded.split_whitespace().map(|term| Finder::new(term.as_bytes()).into_owned()).collect();
        let tag = q.tag.as_deref().filter(|t| !t.is_empty()).map(Tag::from_key);
        let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Filter {
            finders,
            stage: q.stage,
            impossible: matches!(tag, Some(None)),
            tag: tag.flatten(),
            region: nonempty(&q.region),
            owner: nonempty(&q.owner),
        }
    }

    fn is_empty(&self) -> bool {
        self.finders.is_empty()
            && self.stage.is_none()
            && self.tag.is_none()
            && self.region.is_none()
            && self.owner.is_none()
            && !self.impossible
    }
}

/// A read view of the directory's rows; hold it briefly, writers wait meanwhile.
pub struct Rows<'a>(std::sync::RwLockReadGuard<'a, Inner>);

impl Rows<'_> {
    /// Every customer still there, with when it was added.
    pub fn live(&self) -> impl Iterator<Item = (&CustomerRow, DateTime<Utc>)> {
        self.0.entries.iter().filter(|e| e.live).map(|e| (&e.row, e.created_at))
    }

    pub fn get(&self, id: &str) -> Option<&CustomerRow> {
        self.0.slots.get(id).map(|&slot| &self.0.entries[slot as usize].row)
    }

    /// The customer, if still there (not deleted).
    pub fn get_live(&self, id: &str) -> Option<&CustomerRow> {
        self.0.slots.get(id).map(|&slot| &self.0.entries[slot as usize]).filter(|e| e.live).map(|e| &e.row)
    }

    /// Every customer still there that `scope` covers, in place: the scope's rule is decided
    /// once per owner and per region (as the list does), not once per customer.
    pub fn visible<'s>(&'s self, scope: &Scope) -> impl Iterator<Item = &'s CustomerRow> + 's {
        let inner = &*self.0;
        let covered = inner.covered(scope);
        inner.entries.iter().enumerate().filter(move |(i, e)| e.live && covered.slot(inner, *i)).map(|(_, e)| &e.row)
    }
}

#[derive(Default)]
pub struct Directory {
    inner: RwLock<Inner>,
    facets: Mutex<Option<(u64, ListFacets)>>,
}

impl Directory {
    /// Builds the directory from every customer and their contacts at once.
    pub fn build(customers: Vec<Customer>, contacts: HashMap<String, Vec<SearchContact>>) -> Self {
        let mut inner = Inner::default();
        for customer in &customers {
            let own = contacts.get(&customer.id).map(Vec::as_slice).unwrap_or(&[]);
            let slot = inner.entries.len() as u32;
            inner.slots.insert(customer.id.clone(), slot);
            inner.entries.push(Entry::new(customer, own));
            inner.index(slot, customer, own);
        }
        for order in ORDERS {
            let mut slots: Vec<u32> = (0..inner.entries.len() as u32).collect();
            slots.sort_unstable_by(|&a, &b| compare(order, &inner.entries[a as usize], &inner.entries[b as usize]));
            inner.orders[order as usize] = slots;
        }
        Directory { inner: RwLock::new(inner), facets: Mutex::new(None) }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind, still consistent: keep going.
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes over the contents of a freshly built directory.
    pub fn replace_with(&self, fresh: Directory) {
        let fresh = fresh.inner.into_inner().unwrap_or_else(|p| p.into_inner());
        *self.write() = fresh;
        *self.facets.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    pub fn len(&self) -> usize {
        self.read().slots.len()
    }

    /// Forgets a customer that no longer exists.
    pub fn remove(&self, id: &str) {
        let mut inner = self.write();
        let Some(slot) = inner.slots.remove(id) else { return };
        inner.generation += 1;
        for order in ORDERS {
            if let Ok(pos) = inner.position(order, &inner.entries[slot as usize]) {
                inner.orders[order as usize].remove(pos);
            }
        }
        inner.entries[slot as usize].live = false;
        inner.stage[slot as usize] = DEAD;
        inner.search.clear(slot);
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, id: &str) -> bool {
        self.read().slots.contains_key(id)
    }

    /// Looks up many customers under one read lock (the board reads thousands at once).
    pub fn rows(&self) -> Rows<'_> {
        Rows(self.read())
    }

    pub fn row(&self, id: &str) -> Option<CustomerRow> {
        let inner = self.read();
        inner.slots.get(id).map(|&slot| inner.entries[slot as usize].row.clone())
    }

    /// Adds a customer or replaces what is known of it.
    pub fn upsert(&self, customer: &Customer, contacts: &[SearchContact]) {
        let entry = Entry::new(customer, contacts);
        let mut inner = self.write();
        inner.generation += 1;
        let slot = match inner.slots.get(&customer.id).copied() {
            Some(slot) => {
                for order in ORDERS {
                    let old = &inner.entries[slot as usize];
                    if let Ok(pos) = inner.position(order, old) {
                        inner.orders[order as usize].remove(pos);
                    }
                }
                inner.entries[slot as usize] = entry;
                slot
            }
            None => {
                let slot = inner.entries.len() as u32;
                inner.entries.push(entry);
                inner.slots.insert(customer.id.clone(), slot);
                slot
            }
        };
        inner.index(slot, customer, contacts);
        for order in ORDERS {
            let pos = match inner.position(order, &inner.entries[slot as usize]) {
                Ok(pos) | Err(pos) => pos,
            };
            inner.orders[order as usize].insert(pos, slot);
        }
    }

    /// One page of the customers `scope` covers, with the total that matched.
    pub fn page(&self, query: &ListQuery, scope: &Scope) -> CustomerPage {
        self.page_among(query, scope, None)
    }

    /// One page, of only the customers in `only` if given (an RFM segment's members).
    pub fn page_among(&self, query: &ListQuery, scope: &Scope, only: Option<&HashSet<String>>) -> CustomerPage {
        let query = query.clone().clamped();
        let filter = Filter::new(&query);
        let inner = self.read();
        let (order, backwards) = order_of(query.sort);
        let slots = &inner.orders[order as usize];
        let skip = (query.page as usize - 1).saturating_mul(query.per_page as usize);
        let take = query.per_page as usize;
        let row = |&slot: &u32| inner.entries[slot as usize].row.clone();

        let (rows, total) = if filter.is_empty() && only.is_none() && matches!(scope, Scope::All) {
            let rows = if backwards {
                slots.iter().rev().skip(skip).take(take).map(row).collect()
            } else {
                slots.iter().skip(skip).take(take).map(row).collect()
            };
            (rows, slots.len())
        } else {
            let keep = inner.select(&filter, scope, only);
            let total = keep.iter().filter(|k| **k).count();
            let chosen = |slot: &&u32| keep[**slot as usize];
            let rows = if backwards {
                slots.iter().rev().filter(chosen).skip(skip).take(take).map(row).collect()
            } else {
                slots.iter().filter(chosen).skip(skip).take(take).map(row).collect()
            };
            (rows, total)
        };
        CustomerPage { rows, total: total as u64, page: query.page, per_page: query.per_page }
    }

    /// Every customer the list would show for `query` (all its pages), in the list's order:
    /// what an export takes.
    pub fn all_matching(&self, query: &ListQuery, scope: &Scope, only: Option<&HashSet<String>>) -> Vec<String> {
        let filter = Filter::new(query);
        let inner = self.read();
        let (order, backwards) = order_of(query.sort);
        let keep = inner.select(&filter, scope, only);
        let id = |&slot: &u32| inner.entries[slot as usize].row.id.clone();
        let slots = inner.orders[order as usize].iter().filter(|s| keep[**s as usize]);
        if backwards {
            slots.rev().map(id).collect()
        } else {
            slots.map(id).collect()
        }
    }

    /// The regions, owners (usernames) and tags in use among the customers `scope` covers,
    /// for the list's filter menus. Cached for the unrestricted scope.
    pub fn facets(&self, scope: &Scope) -> ListFacets {
        let inner = self.read();
        if !matches!(scope, Scope::All) {
            return Self::collect_facets(inner.entries.iter().filter(|e| e.live && scope.sees(&e.row.owner, &e.row.region)));
        }
        let mut cache = self.facets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((generation, facets)) = cache.as_ref() {
            if *generation == inner.generation {
                return facets.clone();
            }
        }
        let facets = Self::collect_facets(inner.entries.iter().filter(|e| e.live));
        *cache = Some((inner.generation, facets.clone()));
        facets
    }

    fn collect_facets<'a>(entries: impl Iterator<Item = &'a Entry>) -> ListFacets {
        let mut regions = BTreeSet::new();
        let mut owners = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for e in entries {
            if !e.row.region.is_empty() {
                regions.insert(e.row.region.clone());
            }
            if !e.row.owner.is_empty() {
                owners.insert(e.row.owner.clone());
            }
            tags.extend(e.row.tags.iter().cloned());
        }
        ListFacets {
            regions: regions.into_iter().collect(),
            owners: owners.into_iter().map(|o| (o, String::new())).collect(),
            tags: tags.into_iter().collect(),
        }
    }

    /// How many customers `owner` has.
    pub fn owned_by(&self, owner: &str) -> usize {
        let inner = self.read();
        let Some(id) = inner.owners.get(owner) else { return 0 };
        inner.owner.iter().zip(&inner.stage).filter(|(o, s)| **o == id && **s != DEAD).count()
    }

    /// Owned customers that have gone without a follow-up for longer than the rules allow:
    /// `(id, owner, name)`. Time since the last follow-up, or since creation for a customer
    /// never followed up.
    pub fn due_for_recycling(&self, rules: &RecycleRules, now: DateTime<Utc>) -> Vec<(String, String, String)> {
        self.read()
            .entries
            .iter()
            .filter(|e| e.live && !e.row.owner.is_empty())
            .filter(|e| rules.is_due(e.row.stage, e.row.last_contact_at.unwrap_or(e.created_at), now))
            .map(|e| (e.row.id.clone(), e.row.owner.clone(), e.row.name.clone()))
            .collect()
    }
}

#[cfg(test)]
#[path = "directory_tests.rs"]
mod tests;

/// The kept order a sort reads, and whether backwards (the stalest first).
fn order_of(sort: ListSort) -> (Order, bool) {
    match sort {
        ListSort::Updated => (Order::Updated, false),
        ListSort::Created => (Order::Created, false),
        ListSort::Name => (Order::Name, false),
        ListSort::LastContact => (Order::LastContact, false),
        ListSort::Stale => (Order::LastContact, true),
    }
}
