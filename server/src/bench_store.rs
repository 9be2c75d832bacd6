//! Where an import's store time goes (part of `kehu bench-import`): the rows a customer import
//! writes — customers, their contacts and one event each with its field changes, in
//! transactions of 500 as the import writes them — inserted by plain statements into fresh
//! databases that each lack one part of Kehu's schema (its ASSERT clauses, its indexes, the
//! event table's change feed, the field definitions), or written two transactions at a time.
//! What a variant saves against the first line is what that part costs.

use std::time::Instant;

use chrono::Utc;
use surrealdb::engine::any::{connect, Any};
use surrealdb::types::RecordId;
use surrealdb::Surreal;

use kehu_backend::events::Event;
use kehu_backend::store::customer_rows::{NewContact, NewCustomer};
use kehu_backend::store::events::{rows as event_rows, EventRow, APPEND};
use kehu_backend::store::migrations::MIGRATIONS;
use kehu_domain::audit::types::EventKind;

const BATCH: usize = 500;
/// Field changes per event: a created customer's event lists each field filled.
const CHANGES: usize = 12;

struct Batch {
    customers: Vec<NewCustomer>,
    contacts: Vec<NewContact>,
    events: Vec<EventRow>,
}

fn batches(rows: usize, with_changes: bool) -> Vec<Batch> {
    let now = Utc::now();
    (0..rows)
        .step_by(BATCH)
        .map(|start| {
            let range = start..(start + BATCH).min(rows);
            let customers: Vec<NewCustomer> = range
                .clone()
                .map(|i| NewCustomer {
                    id: RecordId::new("customer", format!("c{i}")),
                    kind: "company".into(),
                    name: format!("基准{i}号科技有限公司"),
                    name_key: format!("基准{i}号科技"),
                    industry: "软件".into(),
                    region: "华东".into(),
                    source: "官网".into(),
                    stage: "lead".into(),
                    owner: "bench".into(),
                    phone: format!("139{i:08}"),
                    phone_key: format!("139{i:08}"),
                    email: format!("c{i}@bench.example"),
                    email_key: format!("c{i}@bench.example"),
                    credit_code: String::new(),
                    credit_code_key: String::new(),
                    address: String::new(),
                    notes: format!("第 {i} 行"),
                    tags: vec!["VIP".into(), "展会".into()],
                    created_at: now,
                    updated_at: now,
                    last_contact_at: None,
                    version: 1,
                })
                .collect();
            let contacts = customers
                .iter()
                .enumerate()
                .map(|(n, c)| NewContact {
                    id: RecordId::new("contact", format!("p{}", start + n)),
                    customer: c.id.clone(),
                    name: format!("联系人{}", start + n),
                    title: "采购经理".into(),
                    phone: format!("138{:08}", start + n),
                    phone_key: format!("138{:08}", start + n),
                    email: String::new(),
                    email_key: String::new(),
                    birthday: Some(now),
                    created_at: now,
                })
                .collect();
            let events: Vec<Event> = customers
                .iter()
                .map(|c| {
                    let event = Event::new(EventKind::CustomerCreated, "bench", now).about(&c.name, &c.name);
                    if with_changes {
                        (0..CHANGES).fold(event, |e, f| e.change(&format!("field{f}"), "", c.name.clone()))
                    } else {
                        event
                    }
                })
                .collect();
            Batch { customers, contacts, events: event_rows(&events) }
        })
        .collect()
}

/// Kehu's schema with `variant`'s part taken out, statement by statement (a definition may
/// span lines; comments are left out, and no statement has a `;` inside a string).
fn schema(variant: &str) -> String {
    let all: String = MIGRATIONS.iter().flat_map(|m| m.sql.lines()).filter(|line| !line.trim_start().starts_with("--")).map(|line| format!("{line}\n")).collect();
    let ours = |statement: &str| [" ON customer ", " ON contact ", " ON event ", " ON TABLE customer ", " ON TABLE contact ", " ON TABLE event "].iter().any(|t| statement.contains(t));
    all.split(';')
        .map(str::trim)
        .filter(|statement| !statement.is_empty())
        .filter_map(|statement| match variant {
            "no asserts" if statement.starts_with("DEFINE FIELD") => Some(match statement.find("ASSERT") {
                Some(at) => statement[..at].to_string(),
                None => statement.to_string(),
            }),
            "no indexes" if statement.starts_with("DEFINE INDEX") && ours(statement) => None,
            "no change feed" => Some(statement.replace("CHANGEFEED 7d", "")),
            "schemaless" if statement.starts_with("DEFINE FIELD") && ours(statement) => None,
            "schemaless" => Some(statement.replace("SCHEMAFULL", "SCHEMALESS")),
            _ => Some(statement.to_string()),
        })
        .map(|statement| format!("{statement};\n"))
        .collect()
}

async fn write(db: &Surreal<Any>, batch: Batch) -> Result<(), String> {
    db.query(format!("BEGIN TRANSACTION; INSERT INTO customer $creates RETURN NONE; INSERT INTO contact $contacts RETURN NONE; {APPEND} COMMIT TRANSACTION;"))
        .bind(("creates", batch.customers))
        .bind(("contacts", batch.contacts))
        .bind(("events", batch.events))
        .await
        .and_then(|r| r.check())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// One variant into its own database of the store: seconds taken.
async fn variant(db: &Surreal<Any>, name: &str, rows: usize) -> Result<f64, String> {
    let database = name.replace(' ', "_");
    db.use_ns("bench").use_db(&database).await.map_err(|e| e.to_string())?;
    db.query(schema(name)).await.and_then(|r| r.check()).map_err(|e| format!("schema of {name}: {e}"))?;
    let work = batches(rows, name != "no field changes in events");
    let started = Instant::now();
    if name == "two transactions at a time" {
        let mut work = work.into_iter();
        loop {
            let (Some(a), b) = (work.next(), work.next()) else { break };
            let other = b.map(|b| {
                let (db, database) = (db.clone(), database.clone());
                tokio::spawn(async move {
                    // A clone of an embedded handle is a session of its own: it chooses again.
                    db.use_ns("bench").use_db(&database).await.map_err(|e| e.to_string())?;
                    write(&db, b).await
                })
            });
            write(&db, a).await?;
            if let Some(other) = other {
                other.await.map_err(|e| e.to_string())??;
            }
        }
    } else {
        for batch in work {
            write(&db, batch).await?;
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Prints each variant's time and rows per second for `rows` customers.
pub async fn run(dir: &str, rows: usize) -> Result<(), String> {
    let url = format!("surrealkv://{dir}-store-parts");
    println!("where the store's time goes ({rows} customers, each with a contact and an event, {BATCH} to a transaction):");
    // One handle: an embedded store is opened by one handle at a time.
    let db = connect(&url).await.map_err(|e| e.to_string())?;
    for name in ["as Kehu's schema", "two transactions at a time", "no asserts", "no indexes", "no change feed", "no field changes in events", "schemaless"] {
        let secs = variant(&db, name, rows).await?;
        println!("  {name:<28} {secs:>7.2} s  {:>8.0} rows/s", rows as f64 / secs.max(1e-9));
    }
    drop(db);
    let _ = std::fs::remove_dir_all(format!("{dir}-store-parts"));
    Ok(())
}
