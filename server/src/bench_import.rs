//! `kehu bench-import`: the customer import end to end on a fresh store — a file of N
//! customers with contacts imported into an empty store, then a second file (half of it the
//! same customers with changes, half new) checked (the dry run) and imported against the N
//! now there — with rows per second for each, and the same first file loaded into SQLite by
//! Python (one transaction, the same indexes) as the reference for what the machine can do.
//! Build in release (`./kehu.sh bench-import`) for figures worth reporting.

use std::time::Instant;

use kehu_backend::accounts::users;
use kehu_backend::customers::import;
use kehu_domain::accounts::types::{Role, UserInput};
use kehu_domain::customers::normalize::credit_code_check;
use kehu_domain::customers::import::{guess_mapping, DedupeKey, ImportMode, ImportSettings};

use crate::cli::StoreArgs;
use crate::config::Config;
use crate::serve::open_state;

const HEADER: &str = "客户名称,手机,邮箱,统一社会信用代码,行业,地区,来源,标签,联系人,职务,联系人手机,生日,备注\n";
const INDUSTRIES: [&str; 6] = ["制造业", "软件", "零售", "医疗", "教育", "物流"];
const REGIONS: [&str; 6] = ["华东", "华北", "华南", "西南", "华中", "东北"];

/// A well-formed 统一社会信用代码 for `i`: "91" and 15 digits, then its check character.
fn credit_code(i: usize) -> String {
    let body = format!("91{i:015}");
    let check = credit_code_check(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// Row `i` of a file: a company, its mobile, e-mail, credit code and a contact. `variant`
/// changes what an update would fill.
fn row(i: usize, variant: usize) -> String {
    let industry = if variant == 0 { "" } else { INDUSTRIES[i % INDUSTRIES.len()] };
    let region = REGIONS[i % REGIONS.len()];
    let code = credit_code(i);
    let (month, day) = (i % 9 + 1, i % 9 + 10);
    format!("基准{i}号科技有限公司,139{i:08},c{i}@bench.example,{code},{industry},{region},官网,\"VIP，展会\",联系人{i},采购经理,138{i:08},1985-0{month}-{day},第 {i} 行\n")
}

fn file(range: std::ops::Range<usize>, variant: usize) -> String {
    let mut text = String::with_capacity(range.len() * 160 + HEADER.len());
    text.push_str(HEADER);
    for i in range {
        text.push_str(&row(i, variant));
    }
    text
}

pub async fn run(mut args: StoreArgs, rows: usize) -> Result<(), String> {
    let dir = format!("target/bench-import-{}", std::process::id());
    if args.data.is_none() {
        args.data = Some(format!("surrealkv://{dir}"));
    }
    let config = Config::load(&args.overrides())?;
    println!("kehu bench-import: {rows} rows into {} ({} build)", config.data_url, if cfg!(debug_assertions) { "debug" } else { "release" });
    let state = open_state(&config).await?;
    let input = UserInput { username: "bench".into(), display_name: "Bench".into(), role: Role::Admin, password: kehu_backend::accounts::passwords::new_token().map_err(|e| e.to_string())?, ..Default::default() };
    users::create_user_unchecked(&state, "bench", &input).await.map_err(|e| e.to_string())?;
    let caller = state.users.caller("bench").ok_or("no bench user")?;

    let first = file(0..rows, 0);
    let headings: Vec<String> = HEADER.trim_end().split(',').map(String::from).collect();
    let settings = ImportSettings {
        mapping: guess_mapping(&headings),
        mode: ImportMode::CreateAndFill,
        keys: vec![DedupeKey::Mobile, DedupeKey::CreditCode, DedupeKey::Name],
        ..Default::default()
    };
    let rate = |n: usize, secs: f64| n as f64 / secs.max(1e-9);

    let started = Instant::now();
    let dry = import::dry_run(&state, &caller, first.as_bytes(), &settings).await.map_err(|e| e.to_string())?;
    println!("dry run, empty store:        {:>7.2} s  ({} to create)", started.elapsed().as_secs_f64(), dry.counts.create);
    let started = Instant::now();
    let done = import::run(&state, &caller, first.as_bytes(), &settings, "bench-1.csv", &|_| {}).await.map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    println!("import into an empty store:  {secs:>7.2} s  {:>8.0} rows/s  ({} created)", rate(rows, secs), done.counts.create);

    // Half the same customers (their empty industry to fill), half new.
    let second = file(rows / 2..rows + rows / 2, 1);
    let started = Instant::now();
    let dry = import::dry_run(&state, &caller, second.as_bytes(), &settings).await.map_err(|e| e.to_string())?;
    println!(
        "dry run against {rows} existing: {:>7.2} s  ({} to create, {} to update)",
        started.elapsed().as_secs_f64(),
        dry.counts.create,
        dry.counts.update
    );
    let started = Instant::now();
    let done = import::run(&state, &caller, second.as_bytes(), &settings, "bench-2.csv", &|_| {}).await.map_err(|e| e.to_string())?;
    let secs = started.elapsed().as_secs_f64();
    println!(
        "import against {rows} existing: {secs:>7.2} s  {:>8.0} rows/s  ({} created, {} updated)",
        rate(rows, secs),
        done.counts.create,
        done.counts.update
    );
    let started = Instant::now();
    let undone = import::undo(&state, &caller, &done.id).await.map_err(|e| e.to_string())?;
    println!("undo of that import:         {:>7.2} s  ({} removed, {} restored)", started.elapsed().as_secs_f64(), undone.removed, undone.restored);

    // A small file into the large book: what it costs should follow the file, not the book.
    let small = 200.min(rows);
    let third = file(rows * 3..rows * 3 + small, 1);
    let started = Instant::now();
    let done = import::run(&state, &caller, third.as_bytes(), &settings, "bench-3.csv", &|_| {}).await.map_err(|e| e.to_string())?;
    println!("{small} new rows into {rows} existing: {:>7.2} s  ({} created)", started.elapsed().as_secs_f64(), done.counts.create);
    let started = Instant::now();
    let undone = import::undo(&state, &caller, &done.id).await.map_err(|e| e.to_string())?;
    println!("undo of those {small}:         {:>7.2} s  ({} removed)", started.elapsed().as_secs_f64(), undone.removed);

    // The reference: the first file into SQLite by Python, one transaction, the same indexes.
    let csv = format!("{dir}-reference.csv");
    std::fs::write(&csv, &first).map_err(|e| format!("writing {csv}: {e}"))?;
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/bench_import_sqlite.py");
    match std::process::Command::new("python3").arg(&script).arg(&csv).output() {
        Ok(out) if out.status.success() => print!("{}", String::from_utf8_lossy(&out.stdout)),
        Ok(out) => println!("SQLite reference failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(e) => println!("SQLite reference not run (python3: {e})"),
    }
    let _ = std::fs::remove_file(&csv);
    crate::bench_store::run(&dir, rows).await?;
    drop(state);
    if args.data.as_deref() == Some(&format!("surrealkv://{dir}")) {
        let _ = std::fs::remove_dir_all(&dir);
    }
    println!("target on the 2-core reference machine: >= 20,000 rows/s end to end, the dry run <= 3 s");
    Ok(())
}
