//! `kehu bench`: server time for the customer list, search and profile on a store of a given
//! size, through the whole HTTP stack (routing, server-function decoding, service, store,
//! JSON encoding) but without a network. Build in release (`./kehu.sh bench`) for figures
//! worth reporting.

use std::time::Instant;

use axum::Router;
use kehu_backend::accounts::signin;
use kehu_backend::customers::demo;
use kehu_domain::accounts::types::Role;
use kehu_domain::customers::types::{LifecycleStage, ListQuery, ListSort};
use kehu_domain::pipeline::types::{Board, BoardQuery, DealCard, DealInput};
use kehu_ui::customers::api::{GetProfile, ListCustomers};
use kehu_ui::pipeline::api::{GetBoard, MoveDeal};
use kehu_ui::reminders::api::ListReminders;
use leptos::server_fn::ServerFn;
use serde::Serialize;

use crate::bench_measure::{call_body, ensure_user, measure, Stats};
use crate::cli::StoreArgs;
use crate::config::Config;
use crate::http;


#[derive(Serialize)]
struct ListArgs {
    query: ListQuery,
}

#[derive(Serialize)]
struct ProfileArgs {
    id: String,
}

/// The parts of a run, in order, as `--only` names them.
const PARTS: [&str; 6] = ["list", "pipeline", "insight", "reminders", "performance", "api"];

pub async fn run(mut args: StoreArgs, customers: usize, iterations: usize, only: Option<&str>) -> Result<(), String> {
    if let Some(part) = only.filter(|p| !PARTS.contains(p)) {
        return Err(format!("no bench part \"{part}\"; the parts are {}", PARTS.join(", ")));
    }
    let wanted = |part: &str| only.is_none_or(|o| o == part);
    if args.data.is_none() {
        // Never the real ./data: a store of its own per size, reused by the next run.
        args.data = Some(format!("surrealkv://target/bench-data-{customers}"));
    }
    let mut config = Config::load(&args.overrides())?;
    // The API part sends far more than a token's minute allows: measure the work, not the 429s.
    config.policy.api_requests_per_minute = u32::MAX;
    println!("kehu bench: {} customers in {} ({} build)", customers, config.data_url, if cfg!(debug_assertions) { "debug" } else { "release" });

    let state = crate::bench_start::open_timed(&config).await?;
    if state.directory.len() < customers {
        let missing = customers - state.directory.len();
        let started = Instant::now();
        demo::load(&state, missing, 2026).await.map_err(|e| e.to_string())?;
        println!("generated {missing} customers in {:.1} s", started.elapsed().as_secs_f64());
        let started = Instant::now();
        state.reload_directory().await.map_err(|e| e.to_string())?;
        println!("directory rebuilt from the store in {:.2} s", started.elapsed().as_secs_f64());
    }

    // The bench acts as an admin (who sees everything) and as a rep (whose list is filtered
    // down to their own customers and the pool).
    ensure_user(&state, "bench", Role::Admin).await?;
    let admin = signin::open_session(&state, "bench").await.map_err(|e| e.to_string())?;
    let rep = signin::open_session(&state, demo::DEMO_REPS[0].0).await.map_err(|e| e.to_string())?;

    let app = http::router(state.clone(), &config);
    let mut results = Vec::new();
    let s = admin.as_str();
    if wanted("list") {
        results.extend(lists(&state, &app, s, &rep, iterations).await?);
    }
    if wanted("pipeline") {
        results.extend(pipeline(&state, &app, s, &rep, iterations).await?);
    }
    if wanted("insight") {
        results.extend(insight(&state, &app, &rep, iterations).await?);
        results.extend(competitor_report(&state, &app, s, &rep, iterations).await?);
    }
    if wanted("reminders") {
        results.extend(reminders(&state, &app, &rep, iterations).await?);
    }
    if wanted("performance") {
        results.extend(crate::bench_performance::run(&state, &app, s, iterations).await?);
    }
    if wanted("api") {
        results.extend(crate::bench_api::run(&state, &app, "bench", iterations).await?);
    }

    println!();
    for stats in &results {
        stats.print();
    }
    println!("\ntargets on the 2-core reference machine, release, 100,000 customers / ~1,000,000 orders (p50):");
    println!("list <= 20 ms, search <= 20 ms p95, profile <= 5 ms (p95 <= 20 ms);");
    println!("board (5,000 open deals) <= 20 ms, stage move round trip <= 5 ms;");
    println!("insight overview, forecast, channel report and reminder center as a rep <= 20 ms;");
    println!("the reminder engine's full run <= 5 s, the badge count <= 5 ms, the insight batch <= 5 s;");
    println!("a manager's performance page <= 50 ms, the company's activity heatmap <= 100 ms;");
    println!("the API's list of 100 customers <= 10 ms, 1,000 orders in one bulk call <= 1 s");
    Ok(())
}

/// The customer list (pages, filters, search, as the admin and as a rep) and the profile.
async fn lists(state: &kehu_backend::AppState, app: &Router, s: &str, rep: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    let list = |q: ListQuery| ListArgs { query: q };
    let mut results = Vec::new();

    results.push(measure(app, s, "list: first page", ListCustomers::PATH, &[list(ListQuery::default())], iterations).await?);
    let deep: Vec<ListArgs> = [100, 1000, 2000, 3900]
        .into_iter()
        .map(|page| list(ListQuery { page, sort: ListSort::Name, ..Default::default() }))
        .collect();
    results.push(measure(app, s, "list: deep pages, by name", ListCustomers::PATH, &deep, iterations).await?);
    let filtered = vec![
        list(ListQuery { stage: Some(LifecycleStage::Customer), region: Some("华东".into()), ..Default::default() }),
        list(ListQuery { tag: Some("value:VIP".into()), sort: ListSort::Stale, ..Default::default() }),
        list(ListQuery { owner: Some(demo::DEMO_REPS[0].0.into()), page: 20, ..Default::default() }),
    ];
    results.push(measure(app, s, "list: filtered", ListCustomers::PATH, &filtered, iterations).await?);
    results.push(measure(app, rep, "list: as a rep (own + pool)", ListCustomers::PATH, &[list(ListQuery::default())], iterations).await?);
    let searches: Vec<ListArgs> = ["科技", "杭州", "远航", "zhang", "wang", "1380", "有限公司", "不存在的客户", "li.na", "生物医药 上海"]
        .into_iter()
        .map(|q| list(ListQuery { q: q.into(), ..Default::default() }))
        .collect();
    results.push(measure(app, s, "search (10 queries, zh + latin)", ListCustomers::PATH, &searches, iterations).await?);
    results.push(measure(app, rep, "search as a rep", ListCustomers::PATH, &searches, iterations).await?);

    let everything = kehu_domain::accounts::rules::Scope::All;
    let sample = state.directory.page(&ListQuery { per_page: 100, sort: ListSort::Name, page: 7, ..Default::default() }, &everything);
    let profiles: Vec<ProfileArgs> = sample.rows.into_iter().map(|r| ProfileArgs { id: r.id }).collect();
    if profiles.is_empty() {
        return Err("the bench store has no customers".into());
    }
    results.push(measure(app, s, "profile (100 customers)", GetProfile::PATH, &profiles, iterations).await?);
    // The profile's parts: its orders (by key, ids from the order book) and the rest.
    let mut orders = Vec::with_capacity(iterations);
    for i in 0..iterations {
        let rid = kehu_backend::store::ids::record_id(kehu_backend::store::customer_rows::CUSTOMER, &profiles[i % profiles.len()].id).ok_or("bad id")?;
        let started = Instant::now();
        kehu_backend::insight::orders::of_customer(state, &rid).await.map_err(|e| e.to_string())?;
        orders.push(started.elapsed());
    }
    results.push(Stats { name: "profile: its orders alone".into(), samples: orders });

    Ok(results)
}

/// How many open deals the board is measured with.
const BENCH_DEALS: usize = 5_000;

#[derive(Serialize)]
struct BoardArgs {
    query: BoardQuery,
}

#[derive(Serialize)]
struct MoveArgs {
    id: String,
    stage: String,
    version: i64,
}

/// The funnel: the board with 5,000 open deals (as the admin and as a rep), and a stage move
/// round trip (check the rules, save the move and its record, answer with the new card).
async fn pipeline(state: &kehu_backend::AppState, app: &Router, admin: &str, rep: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    let missing = BENCH_DEALS.saturating_sub(state.deals.open_count());
    if missing > 0 {
        let started = Instant::now();
        let boss = state.users.caller("bench").ok_or("the bench user is missing")?;
        let everything = kehu_domain::accounts::rules::Scope::All;
        // One deal per customer, over the first 5,000 by the default order.
        let pool: Vec<String> = (1..=50)
            .flat_map(|n| state.directory.page(&ListQuery { per_page: 100, page: n, ..Default::default() }, &everything).rows)
            .map(|r| r.id)
            .collect();
        if pool.is_empty() {
            return Err("the bench store has no customers for deals".into());
        }
        for i in 0..missing {
            let input = DealInput {
                customer_id: pool[i % pool.len()].clone(),
                title: format!("基准商机 {i}"),
                amount: format!("{}", 10_000 + (i * 7_919) % 990_000),
                expected_close: format!("2027-{:02}-15", 1 + i % 12),
                ..Default::default()
            };
            kehu_backend::pipeline::deals::create(state, &boss, &input).await.map_err(|e| e.to_string())?;
        }
        println!("created {missing} open deals in {:.1} s", started.elapsed().as_secs_f64());
    }
    let mut results = Vec::new();
    let all = [BoardArgs { query: BoardQuery::default() }];
    results.push(measure(app, admin, "board: 5,000 open deals", GetBoard::PATH, &all, iterations).await?);
    results.push(measure(app, rep, "board: as a rep", GetBoard::PATH, &all, iterations).await?);

    // Move one deal back and forth between the first two stages (which require nothing).
    let (_, body) = call_body(app, admin, GetBoard::PATH, &all[0]).await?;
    let board: Board = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    let first = board.columns.first().and_then(|c| c.cards.first()).ok_or("no deal in the first column")?;
    let stages: Vec<String> = board.pipeline.stages.iter().take(2).map(|s| s.key.clone()).collect();
    let (mut version, mut samples) = (first.version, Vec::with_capacity(iterations));
    for i in 0..iterations.max(5) {
        let args = MoveArgs { id: first.id.clone(), stage: stages[(i + 1) % stages.len()].clone(), version };
        let (elapsed, body) = call_body(app, admin, MoveDeal::PATH, &args).await?;
        let card: DealCard = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        version = card.version;
        samples.push(elapsed);
    }
    results.push(Stats { name: "stage move round trip".into(), samples });
    Ok(results)
}

/// Insight: sample orders through the CSV import on first use (about ten lines per
/// customer), loading the order book as a start does, the batch's computation alone and the
/// whole batch (computation, then storing the scores that changed), and the pages that read it.
async fn insight(state: &kehu_backend::AppState, app: &Router, rep: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    use kehu_backend::insight::{batch, demo as demo_orders};
    use kehu_ui::insight::api::{GetReport, LoadInsightOverview, RevenueForecast};
    if state.orders.counts().0 == 0 {
        let actor = state.users.caller("bench").ok_or("no bench user")?;
        demo_orders::ensure_catalogue(state).await.map_err(|e| e.to_string())?;
        let customers: Vec<String> = {
            let rows = state.directory.rows();
            rows.live().map(|(r, _)| r.id.clone()).collect()
        };
        let today = state.clock.today();
        let started = Instant::now();
        let csv = demo_orders::sample_csv(&customers, today, 2026, &demo_orders::BENCH_TRUTH);
        let t = demo_orders::BENCH_TRUTH;
        println!(
            "sample order file: {} lines, {:.0} MB, made in {:.1} s (purchases drawn from r={} α={} a={} b={})",
            csv.lines().count() - 1,
            csv.len() as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            t.r,
            t.alpha,
            t.a,
            t.b
        );
        let started = Instant::now();
        let report = kehu_backend::insight::import::import_unscored(state, &actor, &csv, false).await.map_err(|e| e.to_string())?;
        println!(
            "imported {} order lines ({} orders, {} refused) in {:.1} s",
            report.imported_lines, report.orders, report.rejected_lines, started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    state.reload_orders().await.map_err(|e| e.to_string())?;
    let (orders, lines) = state.orders.counts();
    println!("order book loaded from the store: {orders} orders, {lines} lines in {:.2} s", started.elapsed().as_secs_f64());
    let mut compute = Vec::new();
    let as_of = state.clock.today();
    for _ in 0..3 {
        let started = Instant::now();
        let histories = state.orders.histories(as_of);
        let run = batch::compute(&histories, as_of, &Default::default(), state.clock.now());
        compute.push(started.elapsed());
        println!(
            "insight batch, computation: {} customers scored, model fitted: {}, {} rules, {:.2} s",
            run.scores.len(),
            run.fit.as_ref().map(|f| format!("r={:.3} α={:.1} a={:.3} b={:.3} ({} iterations)", f.params.r, f.params.alpha, f.params.a, f.params.b, f.iterations)).unwrap_or_else(|| "no".into()),
            run.rules.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let mut whole = Vec::new();
    for _ in 0..3 {
        let s = batch::run(state).await.map_err(|e| e.to_string())?;
        whole.push(s.total);
        println!("insight batch, whole run: {} customers, {} score rows written, {:.2} s (computation {:.2} s)", s.customers, s.written, s.total.as_secs_f64(), s.compute.as_secs_f64());
    }
    let mut results = vec![
        Stats { name: "insight batch: computation".into(), samples: compute },
        Stats { name: "insight batch: whole run".into(), samples: whole },
    ];
    results.extend(forecast_repeats(state)?);
    results.push(measure(app, rep, "insight overview as a rep", LoadInsightOverview::PATH, &[serde_json::json!({ "window_days": 365 })], iterations).await?);
    results.push(measure(app, rep, "forecast as a rep", RevenueForecast::PATH, &[serde_json::json!({})], iterations.min(20)).await?);
    results.push(measure(app, rep, "channel report as a rep", GetReport::PATH, &[serde_json::json!({ "kind": "channels" })], iterations.min(20)).await?);
    Ok(results)
}

/// The competitor report (follow-ups of twelve months and the deals that name a competitor),
/// as a rep and as the admin, with the sample deals' competitors on the list.
async fn competitor_report(state: &kehu_backend::AppState, app: &Router, admin: &str, rep: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    use kehu_backend::insight::competitors;
    use kehu_domain::insight::competitors::CompetitorInput;
    use kehu_ui::insight::api::LoadCompetitorReport;
    if competitors::list(state).await.map_err(|e| e.to_string())?.is_empty() {
        let actor = state.users.caller("bench").ok_or("no bench user")?;
        for (name, aliases) in [("用友", "yonyou"), ("金蝶", "kingdee"), ("Salesforce", "SFDC"), ("纷享销客", "纷享")] {
            let input = CompetitorInput { name: name.into(), aliases: aliases.into() };
            competitors::add(state, &actor, &input).await.map_err(|e| e.to_string())?;
        }
    }
    let args = [serde_json::json!({})];
    Ok(vec![
        measure(app, rep, "competitor report as a rep", LoadCompetitorReport::PATH, &args, iterations.min(20)).await?,
        measure(app, admin, "competitor report as the admin", LoadCompetitorReport::PATH, &args, iterations.min(20)).await?,
    ])
}

/// The forecast's repeat purchases: worked out for every buyer once per run and day (what the
/// book keeps), and for one rep's buyers alone (what every forecast request did before).
fn forecast_repeats(state: &kehu_backend::AppState) -> Result<Vec<Stats>, String> {
    use kehu_backend::readmodel::insight_book::Repeats;
    use kehu_domain::insight::forecast::{forecast, Buyer};
    let run = state.insight.latest().ok_or("no insight run")?;
    let today = state.clock.now().with_timezone(&state.policy.offset.0).date_naive();
    let started = Instant::now();
    let repeats = Repeats::of(&run, today);
    let everyone = started.elapsed();
    let rep = state.users.caller(demo::DEMO_REPS[0].0).ok_or("no demo rep")?;
    let buyers: Vec<Buyer> = kehu_backend::access::visible_rows(state, &rep)
        .iter()
        .filter_map(|row| run.scores.get(&row.id))
        .filter_map(|s| run.buyer(s))
        .collect();
    let model = run.fit.as_ref().map(|f| f.params);
    let mut per_request = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(forecast(today, &[], &buyers, model.as_ref()));
        per_request.push(started.elapsed());
    }
    println!(
        "forecast repeats: {} buyers in all worked out in {:.0} ms (once per run and day); a rep's {} buyers alone (what each forecast request worked out before) below",
        repeats.by_customer.len(),
        everyone.as_secs_f64() * 1e3,
        buyers.len()
    );
    Ok(vec![
        Stats { name: "forecast repeats, every buyer".into(), samples: vec![everyone] },
        Stats { name: "forecast repeats, a rep's, per request".into(), samples: per_request },
    ])
}

/// Reminders: the engine's full run over every customer (the first run stores, reruns find
/// everything already there), the live badge's count, and a rep's reminder center.
async fn reminders(state: &kehu_backend::AppState, app: &Router, rep: &str, iterations: usize) -> Result<Vec<Stats>, String> {
    use kehu_backend::reminders::{center, engine};
    // As the server does every round: scores first, so the churn and repurchase reminders
    // are not taken away by a run that finds no scores yet (the store keeps only the rows).
    if state.insight.latest().is_none() {
        kehu_backend::insight::batch::run(state).await.map_err(|e| e.to_string())?;
    }
    let mut runs = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let made = engine::run(state).await.map_err(|e| e.to_string())?;
        runs.push(started.elapsed());
        println!("reminder engine full run: {made} reminders made by the rules in {:.2} s", started.elapsed().as_secs_f64());
    }
    let mut results = vec![Stats { name: "reminder engine: full run".into(), samples: runs }];
    let owner = demo::DEMO_REPS[0].0;
    // Counted in the store (the first time, and after each change to their reminders), then
    // kept until the next change or the next reminder falling due.
    let (mut fresh, mut kept) = (Vec::with_capacity(iterations), Vec::with_capacity(iterations));
    for _ in 0..iterations {
        state.live.changed_for(vec![owner.to_string()]);
        let started = Instant::now();
        center::due_count(state, owner).await.map_err(|e| e.to_string())?;
        fresh.push(started.elapsed());
        let started = Instant::now();
        center::due_count(state, owner).await.map_err(|e| e.to_string())?;
        kept.push(started.elapsed());
    }
    results.push(Stats { name: "badge count, after a change".into(), samples: fresh });
    results.push(Stats { name: "badge count, kept".into(), samples: kept });
    // The center reads the rep's open reminders once after each change to them, then
    // chooses and counts in memory until the next (see `reminders::center::mine`).
    let caller = state.users.caller(owner).ok_or("the demo rep is missing")?;
    let mut reread = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        state.live.changed_for(vec![owner.to_string()]);
        let started = Instant::now();
        center::mine(state, &caller, None).await.map_err(|e| e.to_string())?;
        reread.push(started.elapsed());
    }
    let mine = center::mine(state, &caller, None).await.map_err(|e| e.to_string())?;
    println!("the rep's reminder center: {} due, {} coming up", mine.due_total(), mine.upcoming_total());
    results.push(Stats { name: "reminder center as a rep, after a change".into(), samples: reread });
    results.push(measure(app, rep, "reminder center as a rep", ListReminders::PATH, &[serde_json::json!({})], iterations).await?);
    Ok(results)
}
