//! Sample orders for the demo and the benchmark: a product catalogue, and for most customers
//! a purchase history drawn from the BG/NBD model's own story (so the fitted model has
//! something true to find), with products that go together (ERP buyers often add OA), some
//! customers buying in the same months every year, and the odd return. Written through the
//! CSV import, so the sample also exercises the path a real file takes.

use chrono::{Datelike, Duration, NaiveDate};

use kehu_domain::accounts::rules::Caller;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::AppResult;
use kehu_domain::insight::csv::write_record;
use kehu_domain::insight::orders::ImportReport;
use kehu_domain::insight::simulate::simulate;
use kehu_domain::insight::types::BgNbdParams;
use kehu_domain::rng::Rng;

use super::import;
use crate::events::Event;
use crate::followers::{follow, Effect};
use crate::state::AppState;
use crate::store::ids::new_id;
use crate::store::products::{self as product_store, ProductRecord, PRODUCT};

/// (name, category, unit price in yuan).
pub const CATALOGUE: &[(&str, &str, i64)] = &[
    ("ERP", "软件", 180_000),
    ("OA", "软件", 40_000),
    ("CRM", "软件", 60_000),
    ("MES", "软件", 260_000),
    ("BI 报表", "软件", 50_000),
    ("云服务器", "云服务", 12_000),
    ("安全网关", "硬件", 30_000),
    ("实施服务", "服务", 80_000),
    ("运维服务", "服务", 24_000),
    ("培训服务", "服务", 8_000),
];

/// Products bought together: (if this, then that, chance in percent).
const TOGETHER: &[(usize, usize, u64)] = &[(0, 1, 70), (0, 7, 60), (3, 0, 50), (2, 4, 40), (5, 8, 65), (6, 8, 30)];

/// The story the demo's customers follow (time in days): about six orders per customer.
pub const DEMO_TRUTH: BgNbdParams = BgNbdParams { r: 0.8, alpha: 35.0, a: 0.7, b: 4.0 };

/// The benchmark's: busier buyers who stay longer (about ten orders per customer), so
/// 100,000 customers make the million orders — 1.3 M lines in one file — the batch and the
/// import must handle.
pub const BENCH_TRUTH: BgNbdParams = BgNbdParams { r: 1.2, alpha: 35.0, a: 0.7, b: 10.0 };

/// Adds the catalogue's products that are missing.
pub async fn ensure_catalogue(state: &AppState) -> AppResult<()> {
    let now = state.clock.now();
    let missing: Vec<ProductRecord> = CATALOGUE
        .iter()
        .filter(|(name, _, _)| state.orders.product_by_name(name).is_none())
        .map(|(name, category, price)| ProductRecord {
            id: new_id(PRODUCT),
            name: name.to_string(),
            category: category.to_string(),
            price_cents: price * 100,
            created_at: now,
            updated_at: now,
        })
        .collect();
    if !missing.is_empty() {
        let now = state.clock.now();
        let events: Vec<Event> = missing
            .iter()
            .map(|p| Event::new(EventKind::ProductSaved, crate::customers::demo::DEMO_ACTOR, now).subject(&p.name).change("name", "", p.name.clone()))
            .collect();
        product_store::insert(&state.db, missing.clone(), &events).await?;
        follow(state, missing.into_iter().map(|p| Effect::Product(p.into_product())).collect()).await;
    }
    Ok(())
}

/// Who delivers the sample orders.
const CARRIERS: [&str; 4] = ["顺丰速运", "京东物流", "德邦快递", "中通快递"];

/// The sample order lines of these customers as a CSV file, up to `today`, their purchases
/// drawn from `truth`.
pub fn sample_csv(customers: &[String], today: NaiveDate, seed: u64, truth: &BgNbdParams) -> String {
    let mut out = String::with_capacity(customers.len() * 120);
    write_record(&mut out, &["customer", "date", "product", "quantity", "amount", "order_no", "carrier"]);
    for customer in customers {
        // Seeded by the customer, so loading the sample again replaces the same orders.
        let hash = customer.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3));
        let mut rng = Rng(seed ^ hash);
        // Some never bought.
        if rng.chance(15) {
            continue;
        }
        let age = 30 + rng.below(3 * 365) as i64;
        let first = today - Duration::days(age);
        let seasonal = rng.chance(8);
        let person = simulate(&mut rng, truth, age as f64, 0.0);
        let mut days: Vec<NaiveDate> = person.purchases.iter().map(|t| first + Duration::days(*t as i64)).collect();
        if seasonal {
            // Every March and September since they started.
            days = (first.year()..=today.year())
                .flat_map(|y| [(y, 3), (y, 9)])
                .filter_map(|(y, m)| NaiveDate::from_ymd_opt(y, m, 1 + rng.below(20) as u32))
                .filter(|d| *d >= first && *d <= today)
                .collect();
        }
        let mut favourite = rng.below(CATALOGUE.len());
        for (n, day) in days.iter().enumerate() {
            let order_no = format!("SO-{n}");
            // Not drawn from `rng`, so the purchases stay what they were before carriers.
            let carrier = CARRIERS[(hash as usize).wrapping_add(n) % CARRIERS.len()];
            let mut lines = vec![favourite];
            for (a, b, chance) in TOGETHER {
                if lines.contains(a) && !lines.contains(b) && rng.chance(*chance) {
                    lines.push(*b);
                }
            }
            if rng.chance(20) {
                favourite = rng.below(CATALOGUE.len());
            }
            for product in lines {
                let (name, _, price) = CATALOGUE[product];
                let quantity = 1 + rng.below(3) as i64;
                let amount = price * quantity * (85 + rng.below(16) as i64) / 100;
                write_record(&mut out, &[customer.as_str(), &day.to_string(), name, &quantity.to_string(), &amount.to_string(), &order_no, carrier]);
            }
            // Now and then part of an order comes back.
            if rng.chance(2) {
                let (name, _, price) = CATALOGUE[favourite];
                write_record(&mut out, &[customer.as_str(), &day.to_string(), name, "-1", &(-price).to_string(), &format!("{order_no}-R"), carrier]);
            }
        }
    }
    out
}

/// Sample orders for the demo's customers that have bought (成交, or churned since), through
/// the import; the caller scores them (the demo runs the batch and the reminders once, after).
pub async fn load(state: &AppState, caller: &Caller, seed: u64) -> AppResult<ImportReport> {
    use kehu_domain::customers::types::LifecycleStage;
    ensure_catalogue(state).await?;
    let customers: Vec<String> = {
        let rows = state.directory.rows();
        rows.live().filter(|(r, _)| matches!(r.stage, LifecycleStage::Customer | LifecycleStage::Churned)).map(|(r, _)| r.id.clone()).collect()
    };
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let csv = sample_csv(&customers, today, seed, &DEMO_TRUTH);
    import::import_unscored(state, caller, &csv, false).await
}
