//! The customer import against a real store: the dry run and the import agree, the modes,
//! duplicates against the store and within the file, rights (a rep's own book, a manager's
//! team, colleagues' customers refused), undo (including customers changed since), GBK and
//! XLSX files, bad files that write nothing, and the HTTP routes with their job.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use kehu_backend::customers::import;
use kehu_backend::customers::service;
use kehu_backend::files::xlsx::{self, Cell};
use kehu_backend::accounts::sessions::SESSION_COOKIE;
use kehu_domain::customers::import::*;
use kehu_domain::customers::types::*;
use kehu_domain::error::{AppError, FieldError, Problem};
use kehu_domain::i18n::Lang;
use kehu_domain::insight::orders::ImportStatus;
use tower::ServiceExt;

use crate::support::*;

fn settings(mapping: &[Option<ImportField>], mode: ImportMode, keys: &[DedupeKey]) -> ImportSettings {
    ImportSettings { mapping: mapping.to_vec(), mode, keys: keys.to_vec(), ..Default::default() }
}

const HEADER: &str = "客户名称,手机,负责人,标签,联系人,生日\n";

fn guessed(csv: &str, mode: ImportMode) -> ImportSettings {
    let headings: Vec<String> = csv.lines().next().unwrap().split(',').map(String::from).collect();
    settings(&guess_mapping(&headings), mode, &[DedupeKey::Mobile, DedupeKey::Name])
}

async fn customers_named(c: &Company, caller: &str, q: &str) -> Vec<CustomerRow> {
    service::list(&c.state, &c.caller(caller), &query(q)).rows
}

#[tokio::test]
async fn the_dry_run_tells_what_the_import_then_does_and_undo_takes_it_back() {
    let c = company().await;
    let mgr = c.caller(MGR_A);
    let csv = format!(
        "{HEADER}甲的客户科技有限公司,+86 138-0013-8000,,展会,,\n\
         新客户一号,13900001111,rep_a,\"VIP，行为:价格敏感\",王芳,1990-05-01\n\
         新客户一号,,,,,\n\
         ,13900002222,,,,\n\
         乙的客户贸易,13900003333,,,,\n\
         不认识的负责人,13900004444,nobody,,,\n"
    );
    let s = guessed(&csv, ImportMode::CreateAndFill);
    let dry = import::dry_run(&c.state, &mgr, csv.as_bytes(), &s).await.unwrap();
    assert_eq!(
        dry.counts,
        PlanCounts { create: 1, update: 1, skip_duplicate: 0, skip_not_found: 0, duplicate_in_file: 1, refuse: 3 },
        "{dry:?}"
    );
    assert_eq!(dry.repeated, vec![(4, 3)]);
    let refused: Vec<(u64, &str, Problem)> = dry.refused.iter().map(|(l, p)| (*l, p[0].field.as_str(), p[0].problem.clone())).collect();
    assert_eq!(
        refused,
        vec![(5, "name", Problem::Required), (6, "name", Problem::OwnedByColleague), (7, "owner", Problem::UnknownChoice)],
        "another team's customer is not the manager's to change; an unknown owner is named"
    );
    // The error sheet: the refused rows as they were, with the reason in the reader's language.
    let sheet = import::error_rows(&c.state, &mgr, csv.as_bytes(), &s, Lang::Zh).await.unwrap();
    assert_eq!(sheet.len(), 4);
    assert_eq!(sheet[0].last().unwrap(), "错误原因");
    assert_eq!(sheet[3][0], "不认识的负责人");
    assert!(sheet[3].last().unwrap().starts_with("负责人: "), "{:?}", sheet[3]);
    assert_eq!(customers_named(&c, BOSS, "新客户一号").await.len(), 0, "a dry run writes nothing");

    let summary = import::run(&c.state, &mgr, csv.as_bytes(), &s, "客户.csv", &|_| {}).await.unwrap();
    assert_eq!(summary.counts, dry.counts);
    let new = customers_named(&c, MGR_A, "新客户一号").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].owner, REP_A, "the owner named in the row, within the manager's team");
    let profile = service::profile(&c.state, &c.caller(REP_A), &new[0].id).await.unwrap();
    assert_eq!(profile.customer.tags.len(), 2);
    assert_eq!(profile.contacts[0].name, "王芳");
    // The update filled the empty phone, added the tag, kept the name; both are in the log
    // as part of the import.
    let ca = service::profile(&c.state, &mgr, &c.ca.id).await.unwrap().customer;
    assert_eq!((ca.name.as_str(), ca.phone.as_str(), ca.version), ("甲的客户科技", "+86 138-0013-8000", c.ca.version + 1));
    assert!(ca.tags.iter().any(|t| t.label == "展会"));
    let log = kehu_backend::audit::customer_history(&c.state, &mgr, &c.ca.id).await.unwrap();
    assert!(log.iter().any(|e| e.changes.iter().any(|ch| ch.field == "import" && ch.after == summary.id)), "{log:?}");
    assert_eq!(import::recent(&c.state, &mgr).await.unwrap()[0].id, summary.id);
    // The duplicate is now found by its mobile number however it is written.
    let again = import::dry_run(&c.state, &mgr, "客户名称,手机\n别的名字,13800138000\n".as_bytes(), &guessed("客户名称,手机\n", ImportMode::CreateOnly)).await.unwrap();
    assert_eq!(again.counts.skip_duplicate, 1);

    // Another user cannot undo it; its importer can, once.
    assert_eq!(import::undo(&c.state, &c.caller(REP_A), &summary.id).await, Err(AppError::NotFound));
    let undone = import::undo(&c.state, &mgr, &summary.id).await.unwrap();
    assert_eq!((undone.removed, undone.restored, undone.left_alone.len()), (1, 1, 0));
    assert_eq!(customers_named(&c, BOSS, "新客户一号").await.len(), 0);
    let ca = service::profile(&c.state, &mgr, &c.ca.id).await.unwrap().customer;
    assert_eq!(ca.phone, "", "put back as it was");
    assert!(!ca.tags.iter().any(|t| t.label == "展会"));
    assert!(matches!(import::undo(&c.state, &mgr, &summary.id).await, Err(AppError::Invalid(_))), "undone once");
    assert!(import::recent(&c.state, &mgr).await.unwrap()[0].undone_at.is_some());
}

#[tokio::test]
async fn undo_leaves_alone_what_changed_since() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let csv = format!("{HEADER}甲的客户科技,13800138000,,,,\n后来改过的新客户,13900001111,,,,\n没动过的新客户,13900005555,,,,\n");
    let s = guessed(&csv, ImportMode::CreateAndOverwrite);
    let summary = import::run(&c.state, &boss, csv.as_bytes(), &s, "a.csv", &|_| {}).await.unwrap();
    assert_eq!((summary.counts.create, summary.counts.update), (2, 1));
    // Someone edits the updated customer and one of the new ones afterwards.
    let ca = service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer;
    let edit = CustomerInput { industry: "制造业".into(), ..CustomerInput::from_customer(&ca) };
    service::update(&c.state, &boss, &ca.id, &edit, ca.version, true).await.unwrap();
    let changed = customers_named(&c, BOSS, "后来改过的新客户").await.remove(0);
    let full = service::profile(&c.state, &boss, &changed.id).await.unwrap().customer;
    service::update(&c.state, &boss, &full.id, &CustomerInput { notes: "打过电话".into(), ..CustomerInput::from_customer(&full) }, full.version, true).await.unwrap();

    let undone = import::undo(&c.state, &boss, &summary.id).await.unwrap();
    assert_eq!((undone.removed, undone.restored), (1, 0));
    let mut left: Vec<&str> = undone.left_alone.iter().map(|(_, name)| name.as_str()).collect();
    left.sort();
    assert_eq!(left, vec!["后来改过的新客户", "甲的客户科技"]);
    assert_eq!(customers_named(&c, BOSS, "没动过的新客户").await.len(), 0);
    assert_eq!(customers_named(&c, BOSS, "后来改过的新客户").await.len(), 1);
    let ca = service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer;
    assert_eq!((ca.phone.as_str(), ca.industry.as_str()), ("13800138000", "制造业"), "left as the colleague saved it");
}

#[tokio::test]
async fn a_rep_imports_into_their_own_book_within_their_limit() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let csv = format!("{HEADER}我的新客户,13900001111,,,,\n给别人的客户,13900002222,rep_b,,,\n");
    let s = guessed(&csv, ImportMode::CreateOnly);
    let dry = import::dry_run(&c.state, &rep, csv.as_bytes(), &s).await.unwrap();
    assert_eq!((dry.counts.create, dry.counts.refuse), (1, 1));
    assert_eq!(dry.refused[0].1, vec![FieldError::new("owner", Problem::UnknownChoice)]);
    // A default owner other than themselves is refused as a whole.
    let other = ImportSettings { default_owner: REP_B.into(), ..s.clone() };
    assert!(matches!(import::dry_run(&c.state, &rep, csv.as_bytes(), &other).await, Err(AppError::Invalid(e)) if e[0].field == "default_owner"));
    // A colleague's customer found in the file is a duplicate whose id the rep is not told.
    let theirs = format!("{HEADER}乙的客户贸易,,,,,\n");
    let prepared = import::dry_run(&c.state, &rep, theirs.as_bytes(), &s).await.unwrap();
    assert_eq!(prepared.counts.skip_duplicate, 1);
    // Beyond the limit (100 in the fixture, one owned): nothing is written.
    let mut many = String::from(HEADER);
    for i in 0..100 {
        many.push_str(&format!("批量客户{i},,,,,\n"));
    }
    assert_eq!(import::run(&c.state, &rep, many.as_bytes(), &s, "many.csv", &|_| {}).await, Err(AppError::LimitReached { max: 100 }));
    assert_eq!(customers_named(&c, BOSS, "批量客户").await.len(), 0);
    let done = import::run(&c.state, &rep, csv.as_bytes(), &s, "mine.csv", &|_| {}).await.unwrap();
    assert_eq!(done.counts.create, 1);
    assert_eq!(customers_named(&c, REP_A, "我的新客户").await[0].owner, REP_A);
}

#[tokio::test]
async fn gbk_and_xlsx_files_import_like_utf8() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let csv = format!("{HEADER}广州某某贸易有限公司,13900001111,,,,\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let preview = import::preview(&c.state, &gbk, "").await.unwrap();
    assert_eq!((preview.encoding.as_str(), preview.headings[0].as_str(), preview.rows), ("GB18030", "客户名称", 1));
    assert_eq!(preview.mapping[0], Some(ImportField::Name));
    let s = settings(&preview.mapping, ImportMode::CreateOnly, &[DedupeKey::Name]);
    import::run(&c.state, &boss, &gbk, &s, "gbk.csv", &|_| {}).await.unwrap();
    assert_eq!(customers_named(&c, BOSS, "广州某某贸易").await.len(), 1);
    // The mapping the person used is offered next time for the same headings.
    let custom = settings(&[Some(ImportField::Name), None, None, None, None, None], ImportMode::CreateOnly, &[DedupeKey::Name]);
    import::run(&c.state, &boss, csv.as_bytes(), &custom, "again.csv", &|_| {}).await.unwrap();
    let preview = import::preview(&c.state, csv.as_bytes(), "").await.unwrap();
    assert!(preview.remembered);
    assert_eq!(preview.mapping, custom.mapping);

    let text = |s: &str| Cell::Text(s.into());
    let book = xlsx::write(&[
        ("说明", vec![vec![text("这页不是客户")]]),
        ("客户", vec![vec![text("公司名称"), text("Mobile"), text("生日"), text("联系人")], vec![text("深圳表格科技"), text("13900009999"), Cell::Date(chrono::NaiveDate::from_ymd_opt(1988, 3, 4).unwrap()), text("陈晨")]]),
    ])
    .unwrap();
    let preview = import::preview(&c.state, &book, "客户").await.unwrap();
    assert_eq!(preview.sheets, vec!["说明".to_string(), "客户".to_string()]);
    assert_eq!(preview.sample[0][2], "1988-03-04", "a date as Excel stores it");
    let s = ImportSettings { sheet: "客户".into(), ..settings(&preview.mapping, ImportMode::CreateOnly, &[DedupeKey::Mobile]) };
    import::run(&c.state, &boss, &book, &s, "book.xlsx", &|_| {}).await.unwrap();
    let row = customers_named(&c, BOSS, "深圳表格科技").await.remove(0);
    let profile = service::profile(&c.state, &boss, &row.id).await.unwrap();
    assert_eq!(profile.contacts[0].birthday, chrono::NaiveDate::from_ymd_opt(1988, 3, 4));
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_and_write_nothing() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let s = settings(&[Some(ImportField::Name)], ImportMode::CreateOnly, &[DedupeKey::Name]);
    let field_of = |r: Result<DryRun, AppError>| match r {
        Err(AppError::Invalid(e)) => (e[0].field.clone(), e[0].problem.clone()),
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!(field_of(import::dry_run(&c.state, &boss, b"", &s).await), ("file".into(), Problem::Required));
    assert_eq!(field_of(import::dry_run(&c.state, &boss, &[0, 159, 146, 150, 0, 1, 2, 255], &s).await), ("file".into(), Problem::NotText));
    assert_eq!(field_of(import::dry_run(&c.state, &boss, "客户名称\n".as_bytes(), &s).await), ("rows".into(), Problem::Required));
    assert_eq!(field_of(import::dry_run(&c.state, &boss, "客户名称\n,\n".as_bytes(), &s).await), ("rows".into(), Problem::Required));
    let wide = format!("客户名称{}\n甲\n", ",x".repeat(1_000_000));
    assert_eq!(field_of(import::dry_run(&c.state, &boss, wide.as_bytes(), &s).await), ("file".into(), Problem::TooMany { max: 500 }));
    // No name column mapped, a field twice, more fields than columns.
    let phone_only = settings(&[Some(ImportField::Phone)], ImportMode::CreateOnly, &[]);
    assert_eq!(field_of(import::dry_run(&c.state, &boss, "手机\n138\n".as_bytes(), &phone_only).await), ("mapping".into(), Problem::Required));
    let twice = settings(&[Some(ImportField::Name), Some(ImportField::Name)], ImportMode::CreateOnly, &[]);
    assert_eq!(field_of(import::dry_run(&c.state, &boss, "a,b\nx,y\n".as_bytes(), &twice).await), ("mapping".into(), Problem::Duplicate));
    // Broken quoting: that row is refused, the others go in.
    let broken = "客户名称\n好客户\n\"坏客户\n".as_bytes();
    let dry = import::dry_run(&c.state, &boss, broken, &s).await.unwrap();
    assert_eq!((dry.counts.create, dry.counts.refuse), (1, 1), "{dry:?}");
    assert_eq!(customers_named(&c, BOSS, "好客户").await.len(), 0);
    assert_eq!(c.state.directory.len(), 3, "nothing was written");
}

/// The routes as the page uses them: preview, dry run, error sheet, the import as a job.
#[tokio::test]
async fn the_routes_preview_check_and_import_as_a_job() {
    let c = company().await;
    let session = c.session(MGR_A).await;
    let post = |path: String, body: Vec<u8>| {
        let app = c.app.clone();
        let session = session.clone();
        async move {
            let request = Request::post(path)
                .header(header::HOST, "kehu.test")
                .header(header::ORIGIN, "http://kehu.test")
                .header(header::COOKIE, format!("{SESSION_COOKIE}={session}"))
                .body(Body::from(body))
                .unwrap();
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
            (status, bytes.to_vec())
        }
    };
    let csv = format!("{HEADER}网页导入的客户,13900001111,,,,\n,,,,李四,明天\n").into_bytes();
    let (status, body) = post("/api/import/customers/preview".into(), csv.clone()).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let preview: ImportPreview = serde_json::from_slice(&body).unwrap();
    let s = settings(&preview.mapping, ImportMode::CreateOnly, &[DedupeKey::Mobile]);
    let q = serde_urlencoded::to_string([("settings", serde_json::to_string(&s).unwrap()), ("file", "网页.csv".into())]).unwrap();
    let (status, body) = post(format!("/api/import/customers/check?{q}"), csv.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let dry: DryRun = serde_json::from_slice(&body).unwrap();
    assert_eq!((dry.counts.create, dry.counts.refuse), (1, 1));
    let (status, body) = post(format!("/api/import/customers/errors?{q}"), csv.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let sheet = String::from_utf8(body).unwrap();
    assert!(sheet.starts_with('\u{feff}') && sheet.contains("李四"), "{sheet}");
    let (status, body) = post("/api/import/customers/check?settings=nonsense".into(), csv.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{}", String::from_utf8_lossy(&body));

    let (status, body) = post(format!("/api/import/customers?{q}"), csv.clone()).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let job = serde_json::from_slice::<serde_json::Value>(&body).unwrap()["job"].as_str().unwrap().to_string();
    let cookie = format!("{SESSION_COOKIE}={session}");
    let summary = loop {
        let (status, _, body) = get(&c.app, &format!("/api/import/customers/{job}"), Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        match serde_json::from_str::<ImportStatus>(&body).unwrap() {
            ImportStatus::CustomersDone(summary) => break summary,
            ImportStatus::Failed { error } => panic!("{error:?}"),
            _ => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
        }
    };
    assert_eq!((summary.counts.create, summary.file.as_str()), (1, "网页.csv"));
    assert_eq!(customers_named(&c, MGR_A, "网页导入的客户").await[0].owner, MGR_A, "the importer owns rows without an owner");
    // Signed out: nothing.
    let request = Request::post("/api/import/customers/preview").header(header::HOST, "kehu.test").header(header::ORIGIN, "http://kehu.test").body(Body::from(csv)).unwrap();
    assert_eq!(c.app.clone().oneshot(request).await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

/// The workbook the browser test uploads, written by Kehu's own XLSX writer (set
/// `KEHU_WRITE_FIXTURES=1` to write it again); here it must read as that test expects.
#[tokio::test]
async fn the_browser_tests_workbook_reads_as_expected() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/fixtures/customers.xlsx");
    let text = |s: &str| Cell::Text(s.into());
    let rows = vec![
        vec![text("公司名称"), text("联系人"), text("座机"), text("等级")],
        vec![text("浏览器导入科技有限公司"), text("赵敏"), text("010-62345678"), text("VIP")],
        vec![text("浏览器导入二号"), text("钱多"), text("13900007777"), text("普通")],
        vec![text(""), text(""), text("12"), text("")],
    ];
    if std::env::var_os("KEHU_WRITE_FIXTURES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, xlsx::write(&[("客户", rows)]).unwrap()).unwrap();
    }
    let c = company().await;
    let book = std::fs::read(&path).expect("end2end/fixtures/customers.xlsx (KEHU_WRITE_FIXTURES=1 writes it)");
    let preview = import::preview(&c.state, &book, "").await.unwrap();
    assert_eq!(preview.rows, 3);
    assert_eq!(preview.mapping, vec![Some(ImportField::Name), Some(ImportField::ContactName), Some(ImportField::Phone), None], "the browser test maps 等级 itself");
}

/// A batch planned against a customer someone saves before it is written writes nothing at
/// all — not its updates, not its new customers — and says so, so the import plans it again.
#[tokio::test]
async fn a_batch_with_a_customer_changed_since_its_plan_writes_nothing() {
    use kehu_backend::store::customer_import::{write_batch, Batch, Update};
    use kehu_backend::store::customer_rows::{CustomerPatch, NewCustomer, CUSTOMER};
    use kehu_backend::store::ids::{new_id, record_id};
    let c = company().await;
    let boss = c.caller(BOSS);
    let ca = service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer;
    let rid = record_id(CUSTOMER, &ca.id).unwrap();
    let now = c.state.clock.now();
    let renamed = CustomerInput { name: "批次改名".into(), ..CustomerInput::from_customer(&ca) };
    let fresh = CustomerInput { name: "批次新客户".into(), owner: BOSS.into(), ..Default::default() };
    let batch = |expected: i64| {
        let mut patch = CustomerPatch::from_input(&renamed, now);
        patch.version = expected + 1;
        Batch {
            creates: vec![NewCustomer::from_input(new_id(CUSTOMER), &fresh, now)],
            updates: vec![Update { id: rid.clone(), patch, add_tags: vec!["source:批次".into()], expected }],
            ..Default::default()
        }
    };
    let import = new_id("customer_import");
    assert!(!write_batch(&c.state.db, &import, batch(ca.version - 1)).await.unwrap(), "a stale version is refused");
    let db_name = |name: &str| c.state.db.query("SELECT VALUE name FROM customer WHERE name = $n").bind(("n", name.to_string()));
    let found: Vec<String> = db_name("批次新客户").await.unwrap().take(0).unwrap();
    assert!(found.is_empty(), "nothing of the batch was written");
    assert!(write_batch(&c.state.db, &import, batch(ca.version)).await.unwrap());
    let found: Vec<String> = db_name("批次改名").await.unwrap().take(0).unwrap();
    assert_eq!(found, ["批次改名"]);
    let found: Vec<String> = db_name("批次新客户").await.unwrap().take(0).unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn an_address_column_fills_the_address_and_undo_takes_it_back() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let csv = "客户名称,所在省市,详细地址\n甲的客户科技,广东,深圳市南山区科技园路 1 号\n";
    let s = guessed(csv, ImportMode::CreateAndFill);
    assert_eq!(s.mapping, vec![Some(ImportField::Name), Some(ImportField::Region), Some(ImportField::Address)]);
    let summary = import::run(&c.state, &boss, csv.as_bytes(), &s, "地址.csv", &|_| {}).await.unwrap();
    assert_eq!(summary.counts.update, 1);
    let ca = service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer;
    assert_eq!((ca.address.as_str(), ca.region.as_str()), ("深圳市南山区科技园路 1 号", "华北"), "filled where empty, kept where not");
    import::undo(&c.state, &boss, &summary.id).await.unwrap();
    assert_eq!(service::profile(&c.state, &boss, &c.ca.id).await.unwrap().customer.address, "");
}

#[tokio::test]
async fn a_file_of_several_batches_is_written_whole_and_undone_whole() {
    let c = company().await;
    let boss = c.caller(BOSS);
    // Three batches (500, 500, 50), written two at a time.
    let rows = 1_050;
    let mut csv = String::from(HEADER);
    for i in 0..rows {
        csv.push_str(&format!("批量客户{i}号,139{i:08},rep_a,,联系人{i},\n"));
    }
    let s = guessed(&csv, ImportMode::CreateOnly);
    let reported = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = reported.clone();
    let summary = import::run(&c.state, &boss, csv.as_bytes(), &s, "many.csv", &move |p| seen.lock().unwrap().push(p.orders_written)).await.unwrap();
    assert_eq!(summary.counts.create, rows as u64);
    let reported = reported.lock().unwrap().clone();
    assert!(reported.windows(2).all(|w| w[0] <= w[1]), "progress only goes forward: {reported:?}");
    assert_eq!(reported.last(), Some(&(rows as u64)));
    assert_eq!(service::list(&c.state, &boss, &query("批量客户")).total, rows as u64);
    let last = customers_named(&c, BOSS, "批量客户1049号").await.remove(0);
    assert_eq!(last.owner, REP_A);
    let profile = service::profile(&c.state, &boss, &last.id).await.unwrap();
    assert_eq!(profile.contacts[0].name, "联系人1049");

    let undone = import::undo(&c.state, &boss, &summary.id).await.unwrap();
    assert_eq!((undone.removed, undone.restored), (rows as u64, 0));
    assert_eq!(service::list(&c.state, &boss, &query("批量客户")).total, 0);
}

#[tokio::test]
async fn an_imports_customers_get_their_reminders_and_lose_them_with_undo_and_no_one_elses_are_worked_out() {
    use kehu_backend::reminders::center;
    use kehu_backend::store::reminders::{self as reminder_store, ReminderRecord};
    use kehu_domain::reminders::types::ReminderKind;

    let c = company().await;
    let rep = c.caller(REP_A);
    // A reminder the rules do not make, still theirs (not yet due by the rule), of a customer
    // the file does not name: a run over everyone would take it away as obsolete; the
    // import's own run never looks at it.
    let elsewhere = ReminderRecord {
        id: reminder_store::reminder_id("test:elsewhere"),
        kind: "next_step".into(),
        customer: surrealdb::types::RecordId::new("customer", c.ca.id.clone()),
        owner: REP_A.into(),
        subject: "别处的提醒".into(),
        rule_due: start() + chrono::Duration::days(3),
        due: start() + chrono::Duration::days(3),
        moved_by: None,
        snoozed: false,
        status: "open".into(),
        created_at: start(),
        announce_at: None,
    };
    reminder_store::sync(&c.state.db, Vec::new(), vec![elsewhere]).await.unwrap();
    let subjects = |mine: &kehu_domain::reminders::types::MyReminders, kind: ReminderKind| -> Vec<String> {
        mine.upcoming.iter().filter(|r| r.kind == kind).map(|r| r.subject.clone()).collect()
    };

    let before = center::mine(&c.state, &rep, None).await.unwrap();
    assert!(subjects(&before, ReminderKind::NextStep).contains(&"别处的提醒".to_string()), "{before:?}");
    // The clock stands at 22 November 2026: a birthday on the 25th is within the horizon.
    let csv = format!("{HEADER}生日客户,13900005555,rep_a,,李娜,1990-11-25\n没有生日的客户,13900006666,rep_a,,,\n");
    let summary = import::run(&c.state, &rep, csv.as_bytes(), &guessed(&csv, ImportMode::CreateOnly), "生日.csv", &|_| {}).await.unwrap();
    assert_eq!(summary.counts.create, 2, "{summary:?}");
    let mine = center::mine(&c.state, &rep, None).await.unwrap();
    assert_eq!(subjects(&mine, ReminderKind::Birthday), vec!["李娜".to_string()], "the imported contact's birthday is coming");
    assert!(subjects(&mine, ReminderKind::NextStep).contains(&"别处的提醒".to_string()), "another customer's reminders were not worked out");

    import::undo(&c.state, &rep, &summary.id).await.unwrap();
    let mine = center::mine(&c.state, &rep, None).await.unwrap();
    assert!(subjects(&mine, ReminderKind::Birthday).is_empty(), "the removed customer's birthday reminder goes with it");
    assert!(subjects(&mine, ReminderKind::NextStep).contains(&"别处的提醒".to_string()));
}
