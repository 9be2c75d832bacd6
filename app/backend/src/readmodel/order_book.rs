//! Every customer's orders and the product catalogue, in memory: the insight batch reads a
//! million order lines in well under a second from here, where reading them from the store
//! each time would take far longer. Loaded at start-up, kept in step by every write.

use std::collections::HashMap;
use std::sync::RwLock;

use chrono::{DateTime, NaiveDate, Utc};

use kehu_domain::insight::types::Product;
use kehu_domain::service::complaint_origin::{order_about, OrderFacts, Origin};

use crate::store::ids::key_of;
use crate::store::orders::OrderRecord;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BookLine {
    pub product: u32,
    pub quantity: i64,
    pub amount_cents: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BookOrder {
    pub id: String,
    pub on: NaiveDate,
    pub total_cents: i64,
    pub lines: Vec<BookLine>,
    /// The lines' amounts added up, kept so a sum over many customers' orders (the channel
    /// and region reports) reads no line: each order's lines are a heap block of their own.
    pub lines_cents: i64,
    /// Index into the carriers' names; 0 for none recorded.
    pub carrier: u16,
}

/// One customer's orders as the models read them.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    pub customer: String,
    /// (day, net total), sorted by day; none after the analysis day.
    pub orders: Vec<(NaiveDate, i64)>,
    /// Products bought (net quantity above zero), each once.
    pub products: Vec<u32>,
}

#[derive(Default)]
struct Inner {
    products: Vec<Product>,
    by_id: HashMap<String, u32>,
    by_name: HashMap<String, u32>,
    orders: HashMap<String, Vec<BookOrder>>,
    order_count: usize,
    line_count: usize,
    /// Carriers' names, each once (a handful, repeated over a million orders); 0 is none.
    carriers: Vec<String>,
}

impl Inner {
    /// An order's day, its products' names (each once) and its carrier.
    fn facts_of(&self, o: &BookOrder) -> OrderFacts {
        let mut products: Vec<String> = Vec::new();
        for line in &o.lines {
            if let Some(p) = self.products.get(line.product as usize) {
                if !products.contains(&p.name) {
                    products.push(p.name.clone());
                }
            }
        }
        OrderFacts { id: o.id.clone(), on: o.on, products, carrier: self.carriers.get(usize::from(o.carrier)).cloned().unwrap_or_default() }
    }

    fn index_product(&mut self, p: Product) -> u32 {
        if let Some(&i) = self.by_id.get(&p.id) {
            self.by_name.retain(|_, v| *v != i);
            self.by_name.insert(name_key(&p.name), i);
            self.products[i as usize] = p;
            return i;
        }
        let i = self.products.len() as u32;
        self.by_id.insert(p.id.clone(), i);
        self.by_name.insert(name_key(&p.name), i);
        self.products.push(p);
        i
    }

    fn book_order(&mut self, r: &OrderRecord) -> Option<BookOrder> {
        let lines = r
            .lines
            .iter()
            .map(|l| Some(BookLine { product: *self.by_id.get(&key_of(&l.product))?, quantity: l.quantity, amount_cents: l.amount_cents }))
            .collect::<Option<Vec<_>>>()?;
        let carrier = self.carrier_index(r.carrier.as_deref().unwrap_or_default());
        let lines_cents = lines.iter().map(|l| l.amount_cents).sum();
        Some(BookOrder { id: key_of(&r.id), on: r.on.date_naive(), total_cents: r.total_cents, lines, lines_cents, carrier })
    }

    fn carrier_index(&mut self, name: &str) -> u16 {
        if name.is_empty() {
            return 0;
        }
        if self.carriers.is_empty() {
            self.carriers.push(String::new());
        }
        match self.carriers.iter().position(|c| c == name) {
            Some(i) => i as u16,
            // More carriers than an index holds are counted as none rather than wrongly.
            None if self.carriers.len() >= usize::from(u16::MAX) => 0,
            None => {
                self.carriers.push(name.to_string());
                (self.carriers.len() - 1) as u16
            }
        }
    }

    fn put(&mut self, customer: String, order: BookOrder) {
        let list = self.orders.entry(customer).or_default();
        self.line_count += order.lines.len();
        match list.iter_mut().find(|o| o.id == order.id) {
            Some(old) => {
                self.line_count -= old.lines.len();
                *old = order;
            }
            None => {
                list.push(order);
                self.order_count += 1;
            }
        }
    }
}

/// Product names compare without case or surrounding space, as people type them.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[derive(Default)]
pub struct OrderBook {
    inner: RwLock<Inner>,
}

impl OrderBook {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces everything. Orders naming a product that does not exist are skipped (the
    /// schema does not allow them; this only guards against a store edited by hand).
    pub fn load(&self, products: Vec<Product>, orders: Vec<OrderRecord>) {
        let mut inner = Inner::default();
        for p in products {
            inner.index_product(p);
        }
        for r in &orders {
            if let Some(order) = inner.book_order(r) {
                inner.put(key_of(&r.customer), order);
            }
        }
        *self.write() = inner;
    }

    pub fn put_product(&self, p: Product) {
        self.write().index_product(p);
    }

    pub fn products(&self) -> Vec<Product> {
        self.read().products.clone()
    }

    pub fn product_by_id(&self, id: &str) -> Option<Product> {
        let inner = self.read();
        inner.by_id.get(id).map(|i| inner.products[*i as usize].clone())
    }

    pub fn product_by_name(&self, name: &str) -> Option<Product> {
        let inner = self.read();
        inner.by_name.get(&name_key(name)).map(|i| inner.products[*i as usize].clone())
    }

    /// Keeps written orders (new, or replacing ones with the same id).
    pub fn put_orders(&self, records: &[OrderRecord]) {
        let mut inner = self.write();
        for r in records {
            if let Some(order) = inner.book_order(r) {
                inner.put(key_of(&r.customer), order);
            }
        }
    }

    pub fn remove_order(&self, customer: &str, id: &str) {
        let mut inner = self.write();
        let Some(list) = inner.orders.get_mut(customer) else { return };
        let Some(at) = list.iter().position(|o| o.id == id) else { return };
        let gone = list.remove(at);
        inner.order_count -= 1;
        inner.line_count -= gone.lines.len();
    }

    /// Moves a merged-away customer's orders to the customer it was merged into.
    pub fn recustomer(&self, from: &str, into: &str) {
        let mut inner = self.write();
        if let Some(moved) = inner.orders.remove(from) {
            inner.orders.entry(into.to_string()).or_default().extend(moved);
        }
    }

    /// The ids of a customer's orders: the profile reads just these rows from the store by
    /// key, which costs the same however many orders the store holds.
    pub fn order_ids(&self, customer: &str) -> Vec<String> {
        self.read().orders.get(customer).map(|orders| orders.iter().map(|o| o.id.clone()).collect()).unwrap_or_default()
    }

    /// (orders, lines).
    pub fn counts(&self) -> (usize, usize) {
        let inner = self.read();
        (inner.order_count, inner.line_count)
    }

    /// Every customer's history up to `as_of`: orders dated later (entered before a clock
    /// was corrected, say) wait until their day comes.
    pub fn histories(&self, as_of: NaiveDate) -> Vec<History> {
        let inner = self.read();
        inner.orders.iter().filter_map(|(customer, orders)| history_of(customer, orders, as_of)).collect()
    }

    pub fn history(&self, customer: &str, as_of: NaiveDate) -> Option<History> {
        let inner = self.read();
        inner.orders.get(customer).and_then(|orders| history_of(customer, orders, as_of))
    }

    /// One of a customer's orders by id, as a ticket names it: its day, products and carrier.
    pub fn order_facts(&self, customer: &str, order: &str) -> Option<OrderFacts> {
        let inner = self.read();
        inner.orders.get(customer)?.iter().find(|o| o.id == order).map(|o| inner.facts_of(o))
    }

    /// The order a complaint made at `at` is about among the customer's (the rule is
    /// `order_about`), as its products and carrier; only the chosen order is copied.
    pub fn complaint_origin(&self, customer: &str, named: Option<&str>, at: DateTime<Utc>) -> Origin {
        let inner = self.read();
        let Some(orders) = inner.orders.get(customer) else { return Origin::default() };
        order_about(orders, |o| (o.id.as_str(), o.on), named, at)
            .map(|o| {
                let facts = inner.facts_of(o);
                Origin { products: facts.products, carrier: facts.carrier }
            })
            .unwrap_or_default()
    }

    /// Visits every order: (customer, day, net total).
    pub fn each_order(&self, mut visit: impl FnMut(&str, NaiveDate, i64)) {
        let inner = self.read();
        for (customer, orders) in &inner.orders {
            for order in orders {
                visit(customer, order.on, order.total_cents);
            }
        }
    }

    /// One order's day and net total.
    pub fn order_of(&self, customer: &str, id: &str) -> Option<(NaiveDate, i64)> {
        self.read().orders.get(customer)?.iter().find(|o| o.id == id).map(|o| (o.on, o.total_cents))
    }

    /// Each named customer's net revenue (the sum of their order lines), in the order named.
    pub fn net_cents_each<'a>(&self, customers: impl IntoIterator<Item = &'a str>) -> Vec<i64> {
        let inner = self.read();
        customers
            .into_iter()
            .map(|customer| inner.orders.get(customer).into_iter().flatten().map(|o| o.lines_cents).sum())
            .collect()
    }

    /// Visits every order line of the customers named: (customer, day, line). Looks each one
    /// up, so a rep's few thousand customers cost their own lines only, not a walk over
    /// every customer with orders.
    pub fn each_line_of<'a>(&self, customers: impl IntoIterator<Item = &'a str>, mut visit: impl FnMut(&'a str, NaiveDate, &BookLine)) {
        let inner = self.read();
        for customer in customers {
            for order in inner.orders.get(customer).into_iter().flatten() {
                for line in &order.lines {
                    visit(customer, order.on, line);
                }
            }
        }
    }
}

fn history_of(customer: &str, orders: &[BookOrder], as_of: NaiveDate) -> Option<History> {
    let mut days: Vec<(NaiveDate, i64)> = orders.iter().filter(|o| o.on <= as_of).map(|o| (o.on, o.total_cents)).collect();
    if days.is_empty() {
        return None;
    }
    days.sort_unstable_by_key(|(d, _)| *d);
    let mut net: HashMap<u32, i64> = HashMap::new();
    for o in orders.iter().filter(|o| o.on <= as_of) {
        for l in &o.lines {
            *net.entry(l.product).or_default() += l.quantity;
        }
    }
    let mut products: Vec<u32> = net.into_iter().filter(|(_, q)| *q > 0).map(|(p, _)| p).collect();
    products.sort_unstable();
    Some(History { customer: customer.to_string(), orders: days, products })
}
