//! Products, orders and insight against a real store: order entry with rights and field
//! errors, the CSV import (bad lines reported, good ones kept, a second import replacing
//! instead of doubling), and the batch: segments, the list filter, churn reminders, reports
//! within the caller's scope.

use chrono::{Duration, NaiveDate};
use kehu_backend::insight::batch;
use kehu_backend::reminders::center;
use kehu_backend::insight::competitors;
use kehu_backend::customers::contacts;
use kehu_backend::reminders::engine;
use kehu_backend::insight::import;
use kehu_backend::insight::orders;
use kehu_backend::insight::overview;
use kehu_backend::insight::reports;
use kehu_backend::customers::service;
use kehu_domain::customers::types::{CustomerInput, ListQuery};
use kehu_domain::error::{AppError, Problem};
use kehu_domain::insight::orders::ImportProblem;
use kehu_domain::insight::types::{Cell, OrderInput, OrderLineInput, ReportKind, Segment};
use kehu_domain::reminders::types::ReminderKind;

use crate::support::*;

fn line(product: &str, quantity: &str, amount: &str) -> OrderLineInput {
    OrderLineInput { product_id: product.into(), quantity: quantity.into(), amount: amount.into() }
}

async fn order_rows(c: &Company) -> i64 {
    let n: Option<i64> = c.state.db.query("(SELECT count() FROM sales_order GROUP ALL)[0].count").await.unwrap().take(0).unwrap();
    n.unwrap_or(0)
}

#[tokio::test]
async fn orders_are_checked_kept_and_shown_on_the_profile() {
    let c = company().await;
    let (rep_a, rep_b) = (c.caller(REP_A), c.caller(REP_B));
    let p = c.product.id.clone();
    let input = OrderInput { on: "2026-11-02".into(), order_no: "SO-1".into(), carrier: " 顺丰速运 ".into(), lines: vec![line(&p, "2", "240,000"), line(&p, "-1", "-120000")] };
    let list = orders::add(&c.state, &rep_a, &c.ca.id, &input).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].carrier, "顺丰速运");
    assert_eq!(list[0].total_cents, 12_000_000);
    assert_eq!(list[0].lines[0].product_name, "ERP");
    // Not theirs: the customer does not exist for rep B.
    assert_eq!(orders::add(&c.state, &rep_b, &c.ca.id, &input).await, Err(AppError::NotFound));
    // Tomorrow (the clock says 22 November), a sign typed wrong, a product that is not there.
    let bad = OrderInput { on: "2026-11-23".into(), order_no: String::new(), carrier: String::new(), lines: vec![line(&p, "1", "-5"), line("nope", "1", "5")] };
    let Err(AppError::Invalid(errors)) = orders::add(&c.state, &rep_a, &c.ca.id, &bad).await else { panic!("accepted") };
    let fields: Vec<(&str, &Problem)> = errors.iter().map(|e| (e.field.as_str(), &e.problem)).collect();
    assert_eq!(fields, vec![("on", &Problem::DateInFuture), ("lines.0.amount", &Problem::ReturnSign)]);
    let unknown = OrderInput { on: "2026-11-20".into(), order_no: String::new(), carrier: String::new(), lines: vec![line("nope", "1", "5")] };
    let Err(AppError::Invalid(errors)) = orders::add(&c.state, &rep_a, &c.ca.id, &unknown).await else { panic!("accepted") };
    assert_eq!(errors[0].field, "lines.0.product");
    // The profile carries the order (the timeline shows it), and removing it works once.
    let profile = service::profile(&c.state, &rep_a, &c.ca.id).await.unwrap();
    assert_eq!(profile.orders.len(), 1);
    let id = profile.orders[0].id.clone();
    assert_eq!(orders::remove(&c.state, &rep_b, &c.ca.id, &id).await, Err(AppError::NotFound));
    assert!(orders::remove(&c.state, &rep_a, &c.ca.id, &id).await.unwrap().is_empty());
    assert_eq!(orders::remove(&c.state, &rep_a, &c.ca.id, &id).await, Err(AppError::NotFound));
    assert_eq!(c.state.orders.counts(), (0, 0));
}

#[tokio::test]
async fn the_import_keeps_good_lines_reports_bad_ones_and_never_doubles() {
    let c = company().await;
    let rep_a = c.caller(REP_A);
    let text = format!(
        "客户,日期,产品,数量,金额,订单号\n\
         甲的客户科技,2026-01-05,ERP,1,\"120,000\",SO-1\n\
         {},2026-01-05,erp,-1,-20000,SO-1\n\
         乙的客户贸易,2026-01-05,ERP,1,100,\n\
         甲的客户科技,2027-01-01,ERP,1,5,\n\
         甲的客户科技,2026-02-01,WMS,1,5,\n\
         甲的客户科技,2026-02-01,ERP,1,-5,\n\
         甲的客户科技,2026-03-01\n",
        c.ca.id
    );
    let report = import::import(&c.state, &rep_a, &text, false).await.unwrap();
    assert_eq!((report.lines, report.imported_lines, report.rejected_lines, report.orders), (7, 2, 5, 1));
    let problems: Vec<(u64, ImportProblem)> = report.problems.clone();
    assert_eq!(problems[0], (4, ImportProblem::UnknownCustomer { reference: "乙的客户贸易".into() }));
    assert_eq!(problems[1].0, 5);
    assert_eq!(problems[2], (6, ImportProblem::UnknownProduct { name: "WMS".into() }));
    assert_eq!(problems[3], (7, ImportProblem::Field { field: "amount".into(), problem: Problem::ReturnSign }));
    assert_eq!(problems[4], (8, ImportProblem::MissingFields { expected: 6, got: 2 }));
    assert_eq!(order_rows(&c).await, 1);
    // The same file again replaces its order; asking for new products adds WMS — which only
    // those who keep the catalogue may ask (rep A's manager does).
    assert_eq!(import::import(&c.state, &rep_a, &text, true).await, Err(AppError::Forbidden));
    let again = import::import(&c.state, &c.caller(MGR_A), &text, true).await.unwrap();
    assert_eq!(again.imported_lines, 3);
    assert_eq!(order_rows(&c).await, 2);
    assert!(c.state.orders.product_by_name("wms").is_some());
    let mine = orders::list(&c.state, &rep_a, &c.ca.id).await.unwrap();
    let so1 = mine.iter().find(|o| o.order_no == "SO-1").unwrap();
    assert_eq!((so1.lines.len(), so1.total_cents), (2, 10_000_000));
    // A file without the needed headers imports nothing and says what is missing.
    let wrong = import::import(&c.state, &rep_a, "name,when\nx,y\n", false).await.unwrap();
    assert_eq!(wrong.missing_columns, vec!["customer", "date", "product", "quantity", "amount"]);
}

/// The page's import: the file is posted, the import runs as a job on the server, and its
/// status (progress, then the report) is for the user who started it only.
#[tokio::test]
async fn an_import_posted_from_the_page_runs_as_a_job_its_starter_follows() {
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use kehu_backend::accounts::sessions::SESSION_COOKIE;
    use kehu_backend::accounts::signin;
    use kehu_domain::insight::orders::ImportStatus;
    use tower::ServiceExt;
    let c = company().await;
    let (a, b) = (c.session(REP_A).await, c.session(REP_B).await);
    let post = |session: Option<&str>, body: String| {
        let mut request = Request::post("/api/import/orders").header(header::HOST, "kehu.test").header(header::ORIGIN, "http://kehu.test");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("{SESSION_COOKIE}={token}"));
        }
        c.app.clone().oneshot(request.body(Body::from(body)).unwrap())
    };
    let file = format!("customer,date,product,quantity,amount\n{},2026-01-05,ERP,1,100\n{},2026-01-06,ERP,1,oops\n", c.ca.id, c.ca.id);
    assert_eq!(post(None, file.clone()).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // Not UTF-8 (a GBK export, say): refused at once, with what to do.
    let bytes = Request::post("/api/import/orders")
        .header(header::HOST, "kehu.test")
        .header(header::COOKIE, format!("{SESSION_COOKIE}={a}"))
        .body(Body::from(vec![b'a', 0xff, 0xfe]))
        .unwrap();
    assert_eq!(c.app.clone().oneshot(bytes).await.unwrap().status(), StatusCode::BAD_REQUEST);

    let started = post(Some(&a), file).await.unwrap();
    assert_eq!(started.status(), StatusCode::ACCEPTED);
    let body = axum::body::to_bytes(started.into_body(), usize::MAX).await.unwrap();
    let job = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["job"].as_str().unwrap().to_string();
    let path = format!("/api/import/orders/{job}");
    let mut report = None;
    for _ in 0..100 {
        let (status, _, body) = get(&c.app, &path, Some(&format!("{SESSION_COOKIE}={a}"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        match serde_json::from_str::<ImportStatus>(&body).unwrap() {
            ImportStatus::Done(r) => {
                report = Some(r);
                break;
            }
            ImportStatus::Failed { error } => panic!("the import failed: {error}"),
            ImportStatus::CustomersDone(_) => panic!("an order import reported customers"),
            ImportStatus::Interrupted(p) => panic!("the import was interrupted at {p:?}"),
            ImportStatus::Waiting | ImportStatus::Running(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
    let report = report.expect("the import finished");
    assert_eq!((report.imported_lines, report.rejected_lines), (1, 1));
    assert_eq!(report.problems[0].0, 3);
    assert_eq!(order_rows(&c).await, 1);
    // Rep B cannot read rep A's job, nor can anybody signed out.
    let (status, _, _) = get(&c.app, &path, Some(&format!("{SESSION_COOKIE}={b}"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&c.app, &path, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Another replica on the same store answers the poll too (from the stored status), for
    // its starter only.
    let other = kehu_backend::AppState::on(c.state.db.clone(), c.state.clock.clone(), c.state.policy.clone()).await.unwrap();
    let other_app = kehu::http::router(other.clone(), &config());
    let a_there = signin::open_session(&other, REP_A).await.unwrap();
    let mut seen = None;
    for _ in 0..100 {
        let (status, _, body) = get(&other_app, &path, Some(&format!("{SESSION_COOKIE}={a_there}"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        if let ImportStatus::Done(r) = serde_json::from_str::<ImportStatus>(&body).unwrap() {
            seen = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(seen.expect("the other replica tells the job done"), report);
    let (status, _, _) = get(&other_app, &path, Some(&format!("{SESSION_COOKIE}={}", signin::open_session(&other, REP_B).await.unwrap()))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A job whose server stopped (nobody saves its status any more) is reported as interrupted
/// where it had come to, not forgotten and not "running" for ever.
#[tokio::test]
async fn an_import_whose_server_stopped_is_reported_interrupted() {
    use axum::http::StatusCode;
    use kehu_backend::accounts::sessions::SESSION_COOKIE;
    use kehu_backend::store::import_jobs;
    use kehu_domain::insight::orders::{ImportProgress, ImportStatus};
    let c = company().await;
    let progress = ImportProgress { lines_read: 5000, orders: 2000, orders_written: 800 };
    let running = serde_json::to_string(&ImportStatus::Running(progress)).unwrap();
    import_jobs::save(&c.state.db, "stopped-job", REP_A, running, false).await.unwrap();
    let cookie = format!("{SESSION_COOKIE}={}", c.session(REP_A).await);
    let status_of = async || {
        let (status, _, body) = get(&c.app, "/api/import/orders/stopped-job", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_str::<ImportStatus>(&body).unwrap()
    };
    assert_eq!(status_of().await, ImportStatus::Running(progress), "saved a moment ago: its server lives");
    c.state.db.query("UPDATE import_job:⟨stopped-job⟩ SET saved_at = time::now() - 1m").await.unwrap().check().unwrap();
    assert_eq!(status_of().await, ImportStatus::Interrupted(progress));
    let (status, _, _) = get(&c.app, "/api/import/orders/stopped-job", Some(&format!("{SESSION_COOKIE}={}", c.session(REP_B).await))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not another user's");
    // Forgotten a day after its last save.
    import_jobs::prune(&c.state.db, std::time::Duration::from_secs(30)).await.unwrap();
    let (status, _, _) = get(&c.app, "/api/import/orders/stopped-job", Some(&cookie)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Forty of rep A's customers buying every 30 days for a year; the last ten stopped four
/// months ago. As CSV, through the import.
async fn regular_buyers(c: &Company) -> Vec<String> {
    let boss = c.caller(BOSS);
    let mut ids = Vec::new();
    let mut csv = String::from("customer,date,product,quantity,amount\n");
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    for i in 0..40 {
        let input = CustomerInput { name: format!("常客{i:02}"), owner: REP_A.into(), region: "华东".into(), source: if i % 2 == 0 { "官网".into() } else { "展会".into() }, ..Default::default() };
        let customer = service::create(&c.state, &boss, &input, false).await.unwrap();
        let stop = if i >= 30 { 120 } else { 0 };
        let mut day = today - Duration::days(360 + i as i64);
        while day <= today - Duration::days(stop) {
            csv.push_str(&format!("{},{day},ERP,1,{}\n", customer.id, 1000 + i * 100));
            day += Duration::days(30);
        }
        ids.push(customer.id);
    }
    // Without the background rescoring: the test runs the batch and the reminders itself, and a
    // reminder run in the background would race the test's own.
    let report = import::import_unscored(&c.state, &boss, &csv, false).await.unwrap();
    assert_eq!(report.rejected_lines, 0, "{:?}", report.problems);
    ids
}

#[tokio::test]
async fn the_batch_scores_segments_and_warns_the_owner_of_customers_slipping_away() {
    let c = company().await;
    let ids = regular_buyers(&c).await;
    let summary = batch::run(&c.state).await.unwrap();
    assert_eq!(summary.customers, 40);
    assert_eq!(summary.written, 40);
    // Stored: one row per scored customer; a run with nothing changed writes nothing.
    let stored: Option<i64> = c.state.db.query("(SELECT count() FROM customer_score GROUP ALL)[0].count").await.unwrap().take(0).unwrap();
    assert_eq!(stored, Some(40));
    assert_eq!(batch::run(&c.state).await.unwrap().written, 0);

    let run = c.state.insight.latest().unwrap();
    let silent = &run.scores[&ids[35]];
    let churn = silent.churn.as_ref().expect("a monthly buyer silent for four months is warned");
    assert!(matches!(churn.reason, kehu_domain::insight::types::ChurnReason::LongSilence { usual_days: 30, .. }), "{churn:?}");
    let regular = &run.scores[&ids[3]];
    assert!(regular.churn.is_none());
    assert!(regular.repurchase.is_some());
    assert!(run.fit.is_some(), "forty repeat buyers are enough to fit the model");
    // Both are predicted; with buying this regular the model may see nobody dropping out.
    assert!(regular.p_alive_pct.unwrap() >= silent.p_alive_pct.unwrap());

    // The list filters by segment, within the caller's rights.
    let rep_a = c.caller(REP_A);
    let segment = regular.rfm.as_ref().unwrap().segment;
    let query = ListQuery { segment: Some(segment.as_str().into()), per_page: 100, ..Default::default() };
    let page = service::list(&c.state, &rep_a, &query);
    assert!(page.total > 0 && page.rows.iter().all(|r| run.scores[&r.id].rfm.as_ref().unwrap().segment == segment));
    assert_eq!(service::list(&c.state, &c.caller(REP_B), &query).total, 0);
    let nonsense = ListQuery { segment: Some("nonsense".into()), ..Default::default() };
    assert_eq!(service::list(&c.state, &rep_a, &nonsense).total, 0);

    // The overview counts every scored customer once; rep B sees none of them.
    let overview = overview::overview(&c.state, &rep_a, 365).unwrap();
    assert_eq!(overview.scored, 40);
    assert_eq!(overview.grid.iter().flatten().sum::<u32>(), 40);
    assert_eq!(overview.segments.iter().map(|s| s.customers).sum::<u32>(), 40);
    // Ten long silences for sure; the model may add a few more on its own.
    assert!(overview.churn_warnings >= 10);
    let silences = run.scores.values().filter(|s| matches!(s.churn.as_ref().map(|w| &w.reason), Some(kehu_domain::insight::types::ChurnReason::LongSilence { .. }))).count();
    assert_eq!(silences, 10);
    assert_eq!(overview::overview(&c.state, &c.caller(REP_B), 365).unwrap().scored, 0);
    assert_eq!(overview::overview(&c.state, &rep_a, 90).unwrap().window_days, 90);

    // Churn warnings reach the owner as reminders.
    engine::run(&c.state).await.unwrap();
    let mine = center::mine(&c.state, &rep_a, None).await.unwrap();
    let churn_reminders = mine.due.iter().filter(|r| r.kind == ReminderKind::Churn).count();
    assert_eq!(churn_reminders as u32, overview.churn_warnings);

    // Reports hold only what the caller may see.
    let channels = reports::report(&c.state, &rep_a, ReportKind::Channels);
    let customers: i64 = channels.rows.iter().map(|r| r[1].value() as i64).sum();
    assert_eq!(customers, 42, "rep A's 40 + the fixture's own customer + the pool customer");
    let official = channels.rows.iter().find(|r| r[0] == Cell::Text("官网".into())).unwrap();
    assert_eq!((official[1].clone(), official[2].clone()), (Cell::Count(20), Cell::Count(20)));
    let b_channels = reports::report(&c.state, &c.caller(REP_B), ReportKind::Channels);
    assert!(b_channels.rows.iter().all(|r| r[0] != Cell::Text("官网".into())));
    let products = reports::report(&c.state, &rep_a, ReportKind::Products);
    assert_eq!(products.rows.len(), 1);
    let csv = reports::report_csv(&products, |col| format!("{col:?}"));
    assert!(csv.lines().next().unwrap().contains("Product"));
    let risk = reports::report(&c.state, &rep_a, ReportKind::ChurnRisk);
    let at_risk: i64 = risk.rows.iter().map(|r| r[2].value() as i64).sum();
    assert_eq!(at_risk as u32, overview.churn_warnings);
    let _ = Segment::ALL;

    // The forecast: three months, repeat purchases from the model.
    let forecast = overview::forecast(&c.state, &rep_a);
    assert_eq!(forecast.months.len(), 3);
    assert!(forecast.months.iter().all(|m| m.repeat_purchases > 0.0));

    // After the batch, every buyer's repeats are worked out once in the background; the
    // forecast then reads them, and they add up to the model's over the rep's own buyers.
    let latest = c.state.insight.latest().unwrap();
    let today = c.state.clock.now().with_timezone(&c.state.policy.offset.0).date_naive();
    let waited = std::time::Instant::now();
    while c.state.insight.repeats(&latest, today).is_none() {
        assert!(waited.elapsed() < std::time::Duration::from_secs(10), "the forecast's repeats were not worked out after the batch");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let read = overview::forecast(&c.state, &rep_a);
    let buyers: Vec<kehu_domain::insight::forecast::Buyer> = kehu_backend::access::visible_rows(&c.state, &rep_a)
        .iter()
        .filter_map(|row| latest.scores.get(&row.id))
        .filter_map(|s| latest.buyer(s))
        .collect();
    let direct = kehu_domain::insight::forecast::forecast(today, &[], &buyers, latest.fit.as_ref().map(|f| &f.params));
    assert!(direct.buyers > 0);
    assert_eq!(read.buyers, direct.buyers);
    for (a, b) in read.months.iter().zip(&direct.months) {
        assert!((a.repeat_purchases - b.repeat_purchases).abs() < 1e-9, "{a:?} vs {b:?}");
        assert_eq!(a.repeat_cents, b.repeat_cents);
    }
    assert_eq!(read.months, forecast.months, "the forecast read from the worked-out repeats is the one made directly");

    // Its deals are the open deals of the customers the caller sees, each rep their own.
    for caller in [rep_a.clone(), c.caller(REP_B), c.caller(BOSS)] {
        let seen: std::collections::HashSet<String> = kehu_backend::access::visible_rows(&c.state, &caller).iter().map(|r| r.id.clone()).collect();
        let deals = c.state.deals.weighted_open(&c.state.policy.pipeline, |d| seen.contains(&d.customer_id));
        let direct = kehu_domain::insight::forecast::forecast(today, &deals, &[], None);
        let pipeline = |f: &kehu_domain::insight::forecast::Forecast| f.months.iter().map(|m| (m.pipeline_deals, m.pipeline_amount_cents)).collect::<Vec<_>>();
        assert_eq!(pipeline(&overview::forecast(&c.state, &caller)), pipeline(&direct), "{}", caller.user.username);
        if caller.user.username == BOSS {
            assert!(direct.months.iter().any(|m| m.pipeline_deals > 0), "the admin's forecast has deals to weigh");
        }
    }
}

#[tokio::test]
async fn competitors_are_found_in_notes_and_deals_and_counted_per_caller() {
    let c = company().await;
    let (boss, rep_a, rep_b) = (c.caller(BOSS), c.caller(REP_A), c.caller(REP_B));
    let input = kehu_domain::insight::competitors::CompetitorInput { name: "用友".into(), aliases: "Yonyou, U8".into() };
    assert_eq!(competitors::add(&c.state, &rep_a, &input).await, Err(AppError::Forbidden));
    competitors::add(&c.state, &boss, &input).await.unwrap();
    let again = competitors::add(&c.state, &boss, &input).await;
    assert!(matches!(again, Err(AppError::Invalid(ref e)) if e[0].problem == Problem::Duplicate));
    let note = |text: &str| kehu_domain::customers::types::TouchpointInput { summary: text.into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &rep_a, &c.ca.id, &note("客户在比较 yonyou 的报价")).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep_a, &c.ca.id, &note("U8 太旧了，想换")).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep_b, &c.cb.id, &note("用友也在跟这个客户")).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep_b, &c.cb.id, &note("SAPPHIRE 项目，与竞品无关")).await.unwrap();
    let mine = competitors::report(&c.state, &rep_a).await.unwrap();
    assert_eq!((mine.stats[0].mentions, mine.stats[0].customers), (2, 1));
    assert_eq!(mine.stats[0].some_customers[0].1, c.ca.name);
    assert_eq!(mine.by_month.len(), 12);
    assert_eq!(mine.by_month.last().unwrap().1, vec![2]);
    let all = competitors::report(&c.state, &boss).await.unwrap();
    assert_eq!((all.stats[0].mentions, all.stats[0].customers), (3, 2));
    let id = all.competitors[0].id.clone();
    assert!(competitors::remove(&c.state, &boss, &id).await.unwrap().is_empty());
}

/// The report's mentions are kept between requests: what changes after the first report —
/// a note, a deal that names a competitor and is lost (its timeline note too), a competitor
/// added (older notes matched against it), a merge — shows at once, for each caller as they
/// may see it, and what was kept is what matching everything again gives.
#[tokio::test]
async fn the_competitor_report_kept_between_requests_follows_notes_deals_merges_and_the_list() {
    use kehu_backend::customers::merge;
    use kehu_backend::pipeline::deals;
    use kehu_domain::insight::competitors::{CompetitorInput, CompetitorReport};
    use kehu_domain::pipeline::types::DealInput;
    let c = company().await;
    let (boss, rep_a, rep_b) = (c.caller(BOSS), c.caller(REP_A), c.caller(REP_B));
    let kingdee = CompetitorInput { name: "金蝶".into(), aliases: "Kingdee".into() };
    competitors::add(&c.state, &boss, &kingdee).await.unwrap();
    let of = |r: &CompetitorReport, name: &str| {
        let s = r.stats.iter().find(|s| s.name == name).expect("a listed competitor");
        (s.mentions, s.customers, s.deals_open, s.deals_lost)
    };
    let note = |text: &str| kehu_domain::customers::types::TouchpointInput { summary: text.into(), ..Default::default() };
    assert_eq!(of(&competitors::report(&c.state, &boss).await.unwrap(), "金蝶"), (0, 0, 0, 0));
    assert!(c.state.mentions.lock().await.is_built(), "matched for the first report");

    contacts::add_touchpoint(&c.state, &rep_a, &c.ca.id, &note("Kingdee 也来报价了")).await.unwrap();
    contacts::add_touchpoint(&c.state, &rep_b, &c.cb.id, &note("用友的人来过")).await.unwrap();
    let input = DealInput { customer_id: c.cb.id.clone(), title: "替换旧系统".into(), expected_close: "2026-12-31".into(), competitor: "金蝶".into(), ..Default::default() };
    let deal = deals::create(&c.state, &rep_b, &input).await.unwrap();
    assert_eq!(of(&competitors::report(&c.state, &boss).await.unwrap(), "金蝶"), (2, 2, 1, 0));
    // Lost: counted as lost, and its timeline note (which gives the reason) is a mention too.
    deals::close(&c.state, &rep_b, &deal.id, false, "客户选了金蝶", deal.version).await.unwrap();
    assert_eq!(of(&competitors::report(&c.state, &boss).await.unwrap(), "金蝶"), (3, 2, 0, 1));
    assert_eq!(of(&competitors::report(&c.state, &rep_a).await.unwrap(), "金蝶"), (1, 1, 0, 0), "rep A sees their own customer's");

    // Added after the notes were written: they are matched against it too.
    competitors::add(&c.state, &boss, &CompetitorInput { name: "用友".into(), aliases: String::new() }).await.unwrap();
    assert_eq!(of(&competitors::report(&c.state, &boss).await.unwrap(), "用友"), (1, 1, 0, 0));
    assert_eq!(of(&competitors::report(&c.state, &rep_a).await.unwrap(), "用友"), (0, 0, 0, 0));

    // cb merged into ca: what cb's notes and deal said is rep A's customer's now.
    merge::merge(&c.state, &boss, &c.ca.id, &c.cb.id).await.unwrap();
    let merged = competitors::report(&c.state, &boss).await.unwrap();
    assert_eq!(of(&merged, "金蝶"), (3, 1, 0, 1));
    assert_eq!(of(&competitors::report(&c.state, &rep_a).await.unwrap(), "用友"), (1, 1, 0, 0));

    c.state.mentions.lock().await.forget();
    assert_eq!(competitors::report(&c.state, &boss).await.unwrap(), merged, "the kept mentions are what matching again finds");
}
