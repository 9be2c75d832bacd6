//! `kehu bench-tickets`: the service desk over many tickets — the queues, a customer's
//! tickets, the after-sales report (SLA clocks of every ticket counted in working time) and a
//! note's round trip, through the whole HTTP stack without a network; and how long the ticket
//! book takes to load at start-up. The store (customers, service agents, tickets spread over
//! a year, about 5 % open) is generated on first use and kept for the next run. Build in
//! release (`./kehu.sh bench-tickets`) for figures worth reporting.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use kehu_backend::accounts::signin;
use kehu_backend::customers::demo;
use kehu_backend::events::Event;
use kehu_backend::store::ids::{key_of, new_id, record_id};
use kehu_backend::store::tickets::{self as ticket_store, HistoryRow, NoteRow, TicketRecord, TICKET};
use kehu_domain::accounts::types::Role;
use kehu_domain::audit::types::EventKind;
use kehu_domain::rng::Rng;
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};
use kehu_domain::service::types::{QueueScope, TicketAction};
use kehu_ui::aftersales::api::{ActOnTicket, CustomerTickets, ServiceReport, TicketQueue};
use leptos::server_fn::ServerFn;

use crate::bench_measure::{ensure_user, measure, Stats};
use crate::cli::StoreArgs;
use crate::config::Config;
use crate::http;
use crate::serve::open_state;

/// Service agents the tickets are given to.
const AGENTS: usize = 20;
/// Tickets written per transaction while generating.
const BATCH: usize = 1_000;
const CATEGORIES: [&str; 6] = ["物流", "质量", "服务态度", "价格", "功能", "其他"];

pub async fn run(mut args: StoreArgs, tickets: usize, customers: usize, iterations: usize) -> Result<(), String> {
    if args.data.is_none() {
        args.data = Some(format!("surrealkv://target/bench-tickets-{tickets}"));
    }
    let config = Config::load(&args.overrides())?;
    println!("kehu bench-tickets: {tickets} tickets on {customers} customers in {} ({} build)", config.data_url, if cfg!(debug_assertions) { "debug" } else { "release" });
    let started = Instant::now();
    let state = open_state(&config).await?;
    println!("open store, directory and ticket book: {:.2} s ({} customers, {} tickets)", started.elapsed().as_secs_f64(), state.directory.len(), state.tickets.len());

    if state.directory.len() < customers {
        let started = Instant::now();
        demo::load(&state, customers - state.directory.len(), 2026).await.map_err(|e| e.to_string())?;
        state.reload_directory().await.map_err(|e| e.to_string())?;
        println!("generated customers in {:.1} s", started.elapsed().as_secs_f64());
    }
    ensure_user(&state, "bench", Role::Admin).await?;
    for n in 1..=AGENTS {
        ensure_user(&state, &agent(n), Role::Service).await?;
    }
    if state.tickets.len() < tickets {
        let started = Instant::now();
        generate(&state, tickets - state.tickets.len()).await?;
        println!("generated tickets in {:.1} s", started.elapsed().as_secs_f64());
    }

    // The ticket book as a start loads it.
    let mut loads = Vec::new();
    for _ in 0..3 {
        let started = Instant::now();
        let all = ticket_store::all(&state.db).await.map_err(|e| e.to_string())?;
        state.tickets.load(all);
        loads.push(started.elapsed());
    }
    let open = state.tickets.open().len();
    println!("ticket book: {} tickets, {open} open", state.tickets.len());

    let admin = signin::open_session(&state, "bench").await.map_err(|e| e.to_string())?;
    let agent_session = signin::open_session(&state, &agent(1)).await.map_err(|e| e.to_string())?;
    let rep = signin::open_session(&state, demo::DEMO_REPS[0].0).await.map_err(|e| e.to_string())?;
    let app = http::router(state.clone(), &config);
    let scope = |scope: QueueScope| serde_json::json!({ "scope": scope });

    let mut results = vec![Stats { name: "ticket book load (start-up)".into(), samples: loads }];
    results.push(measure(&app, &admin, "queue: all open, as admin", TicketQueue::PATH, &[scope(QueueScope::All)], iterations).await?);
    results.push(measure(&app, &agent_session, "queue: mine, as an agent", TicketQueue::PATH, &[scope(QueueScope::Mine)], iterations).await?);
    results.push(measure(&app, &agent_session, "queue: unassigned, as an agent", TicketQueue::PATH, &[scope(QueueScope::Unassigned)], iterations).await?);
    results.push(measure(&app, &rep, "queue: all, as a rep", TicketQueue::PATH, &[scope(QueueScope::All)], iterations).await?);
    let customers_with_tickets: Vec<serde_json::Value> =
        state.tickets.all().iter().step_by(997).take(100).map(|t| serde_json::json!({ "customer_id": t.customer_key() })).collect();
    results.push(measure(&app, &admin, "a customer's tickets (100 customers)", CustomerTickets::PATH, &customers_with_tickets, iterations).await?);
    // The first report after a start counts every ticket's clocks; later ones only those
    // that can still move (open, or not yet answered).
    let mut first = Vec::new();
    for _ in 0..3 {
        let all = ticket_store::all(&state.db).await.map_err(|e| e.to_string())?;
        state.tickets.load(all);
        let (elapsed, _) = crate::bench_measure::call_body(&app, &admin, ServiceReport::PATH, &serde_json::json!({})).await?;
        first.push(elapsed);
    }
    results.push(Stats { name: "after-sales report, first after a start".into(), samples: first });
    results.push(measure(&app, &admin, "after-sales report (SLA of every ticket)", ServiceReport::PATH, &[serde_json::json!({})], iterations.min(30)).await?);
    let target = state.tickets.open().first().map(|t| key_of(&t.id)).ok_or("no open ticket")?;
    let note = serde_json::json!({ "ticket_id": target, "action": TicketAction::Note { body: "基准备注".into(), to_customer: false } });
    results.push(measure(&app, &admin, "note on a ticket, round trip", ActOnTicket::PATH, &[note], iterations.min(50)).await?);

    println!();
    for stats in &results {
        stats.print();
    }
    println!("\ntarget on the 2-core reference machine: ticket list and SLA report over 100,000 tickets <= 50 ms server time");
    Ok(())
}

fn agent(n: usize) -> String {
    format!("agent{n:02}")
}

/// `count` tickets over the last year: one in twenty open (from the last two weeks, a tenth
/// of those given to nobody), the rest solved, most then closed; a fifth complaints.
async fn generate(state: &kehu_backend::AppState, count: usize) -> Result<(), String> {
    let customers: Vec<(String, String)> = {
        let rows = state.directory.rows();
        rows.live().map(|(r, _)| (r.id.clone(), r.name.clone())).collect()
    };
    if customers.is_empty() {
        return Err("the bench store has no customers".into());
    }
    let now = state.clock.now();
    let mut rng = Rng(2026 + count as u64);
    let mut made = 0;
    while made < count {
        let size = BATCH.min(count - made);
        let mut rows = Vec::with_capacity(size);
        let mut events = Vec::with_capacity(size);
        for i in made..made + size {
            let (customer, name) = &customers[rng.below(customers.len())];
            let record = ticket(&mut rng, i, customer, now).ok_or("bad generated id")?;
            events.push(Event::new(EventKind::TicketOpened, "bench", record.created_at).about(customer, name).change("ticket", "", record.title.clone()));
            rows.push(record);
        }
        ticket_store::insert_many(&state.db, rows, &events).await.map_err(|e| e.to_string())?;
        made += size;
    }
    let all = ticket_store::all(&state.db).await.map_err(|e| e.to_string())?;
    state.tickets.load(all);
    Ok(())
}

fn ticket(rng: &mut Rng, i: usize, customer: &str, now: DateTime<Utc>) -> Option<TicketRecord> {
    let open = i % 20 == 0;
    let age_minutes = if open { rng.below(14 * 24 * 60) } else { 14 * 24 * 60 + rng.below(351 * 24 * 60) };
    let created_at = now - Duration::minutes(age_minutes as i64);
    let kind = *rng.weighted(&[(TicketKind::Question, 40), (TicketKind::Incident, 25), (TicketKind::Complaint, 20), (TicketKind::Installation, 10), (TicketKind::Return, 5)]);
    let priority = *rng.weighted(&[(Priority::Low, 20), (Priority::Normal, 50), (Priority::High, 25), (Priority::Urgent, 5)]);
    let replied = created_at + Duration::minutes(10 + rng.below(8 * 60) as i64);
    let solved = replied + Duration::minutes(30 + rng.below(72 * 60) as i64);
    let at = |status: TicketStatus, at: DateTime<Utc>| HistoryRow { status: status.key().into(), at };
    let mut history = vec![at(TicketStatus::New, created_at)];
    let (status, first_reply_at) = if open {
        match rng.below(3) {
            0 => (TicketStatus::New, None),
            1 if replied < now => {
                history.push(at(TicketStatus::InProgress, replied));
                (TicketStatus::InProgress, Some(replied))
            }
            _ if replied < now => {
                history.push(at(TicketStatus::InProgress, replied));
                history.push(at(TicketStatus::WaitingCustomer, replied + Duration::minutes(5)));
                (TicketStatus::WaitingCustomer, Some(replied))
            }
            _ => (TicketStatus::New, None),
        }
    } else {
        history.push(at(TicketStatus::InProgress, replied));
        history.push(at(TicketStatus::Solved, solved));
        if rng.chance(70) {
            history.push(at(TicketStatus::Closed, solved + Duration::days(7)));
            (TicketStatus::Closed, Some(replied))
        } else {
            (TicketStatus::Solved, Some(replied))
        }
    };
    let assignee = if open && rng.chance(10) { String::new() } else { agent(1 + rng.below(AGENTS)) };
    let notes = first_reply_at
        .map(|at| vec![NoteRow { author: assignee.clone(), at, body: "已收到，正在处理，预计 24 小时内答复。".into(), to_customer: true }])
        .unwrap_or_default();
    Some(TicketRecord {
        id: new_id(TICKET),
        customer: record_id(kehu_backend::store::customer_rows::CUSTOMER, customer)?,
        title: format!("基准工单 {i}"),
        description: "客户反馈的问题描述，基准数据。".into(),
        kind: kind.key().into(),
        priority: priority.key().into(),
        status: status.key().into(),
        category: if kind == TicketKind::Complaint { CATEGORIES[rng.below(CATEGORIES.len())].into() } else { String::new() },
        assignee,
        resolution: if status.is_open() { String::new() } else { "已解决".into() },
        created_by: "bench".into(),
        created_at,
        first_reply_at,
        history,
        notes,
        merged_into: None,
        sales_order: None,
    })
}
