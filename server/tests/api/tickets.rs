//! Service tickets against a real store: a rep hands a problem to service, the ticket is
//! worked to solved with its SLA counted in working time, rights, stale writes, the timeline.

use chrono::{Duration, TimeZone, Utc};
use kehu_backend::aftersales::tickets;
use kehu_backend::clock::Clock;
use kehu_domain::audit::types::EventKind;
use kehu_domain::error::{AppError, Problem};
use kehu_domain::service::sla::ClockState;
use kehu_domain::service::tickets::{Priority, TicketStatus};
use kehu_domain::service::types::{TicketAction, TicketInput};

use crate::support::*;

fn complaint() -> TicketInput {
    TicketInput {
        title: "发货延迟两周".into(),
        description: "客户说货还没到".into(),
        kind: "complaint".into(),
        priority: "high".into(),
        category: "物流".into(),
        assignee: MGR_A.into(),
        order_id: String::new(),
    }
}

#[tokio::test]
async fn a_rep_hands_a_complaint_to_service_and_it_is_worked_to_solved() {
    // Monday 2026-11-23 09:00 in Beijing.
    let (clock, now) = Clock::manual(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap());
    let c = company_with(clock).await;
    let rep = c.caller(REP_A);

    let Err(AppError::Invalid(errors)) = tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { category: String::new(), ..complaint() }).await else {
        panic!("a complaint without a category must be refused")
    };
    assert_eq!((errors[0].field.as_str(), &errors[0].problem), ("category", &Problem::Required));
    let Err(AppError::Invalid(errors)) = tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { assignee: "nobody".into(), ..complaint() }).await else {
        panic!("an unknown assignee must be refused")
    };
    assert_eq!(errors[0].field, "assignee");
    assert!(tickets::of_customer(&c.state, &rep, &c.ca.id).await.unwrap().is_empty(), "nothing written");

    let opened = tickets::open(&c.state, &rep, &c.ca.id, &complaint()).await.unwrap();
    assert_eq!((opened.status, opened.priority, opened.assignee_name.as_str()), (TicketStatus::New, Priority::High, "经理甲"));
    // 高: first reply within 2 working hours, solved within 8.
    let first = opened.first_response.unwrap();
    assert_eq!((first.target_minutes, first.state), (120, ClockState::Running));
    assert_eq!(first.deadline, Some(Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap()));

    // Half an hour later the manager replies to the customer and starts work.
    *now.lock().unwrap() += Duration::minutes(30);
    let mgr = c.caller(MGR_A);
    let note = TicketAction::Note { body: "已联系物流，明天送达".into(), to_customer: true };
    let replied = tickets::act(&c.state, &mgr, &opened.id, &note).await.unwrap();
    assert_eq!(replied.first_response.unwrap().state, ClockState::Met);
    assert_eq!(replied.first_response.unwrap().used_minutes, 30);
    let working = tickets::act(&c.state, &mgr, &opened.id, &TicketAction::Move { status: TicketStatus::InProgress, resolution: String::new() }).await.unwrap();
    assert_eq!(working.status, TicketStatus::InProgress);

    // Waiting for the customer pauses the resolution clock overnight.
    let waiting = tickets::act(&c.state, &mgr, &opened.id, &TicketAction::Move { status: TicketStatus::WaitingCustomer, resolution: String::new() }).await.unwrap();
    *now.lock().unwrap() += Duration::hours(24);
    let paused = tickets::get(&c.state, &mgr, &waiting.id).await.unwrap().resolution_clock.unwrap();
    assert_eq!((paused.state, paused.used_minutes), (ClockState::Paused, 30));

    // Solving needs a resolution; a refused move writes nothing.
    let solve = |resolution: &str| TicketAction::Move { status: TicketStatus::Solved, resolution: resolution.into() };
    assert!(matches!(tickets::act(&c.state, &mgr, &opened.id, &solve(" ")).await, Err(AppError::Invalid(_))));
    let solved = tickets::act(&c.state, &mgr, &opened.id, &solve("补发，客户已签收")).await.unwrap();
    assert_eq!((solved.status, solved.resolution.as_str()), (TicketStatus::Solved, "补发，客户已签收"));
    assert_eq!(solved.resolution_clock.unwrap().state, ClockState::Met);
    let back_to_new = TicketAction::Move { status: TicketStatus::New, resolution: String::new() };
    assert!(matches!(tickets::act(&c.state, &mgr, &opened.id, &back_to_new).await, Err(AppError::Invalid(_))));
    assert_eq!(solved.history.len(), 4);

    // The customer's timeline tells the story.
    let log = kehu_backend::store::events::of_customer(&c.state.db, &c.ca.id, &|u: &str| u.to_string()).await.unwrap();
    let kinds: Vec<EventKind> = log.iter().map(|e| e.kind).filter(|k| matches!(k, EventKind::TicketOpened | EventKind::TicketUpdated | EventKind::TicketNoteAdded)).collect();
    assert_eq!(kinds.len(), 5, "opened, reply, in progress, waiting, solved: {kinds:?}");
    assert!(log.iter().any(|e| e.kind == EventKind::TicketNoteAdded && e.changes.iter().any(|ch| ch.field == "reply")));
}

#[tokio::test]
async fn tickets_follow_the_customers_rights() {
    let c = company().await;
    let rep_a = c.caller(REP_A);
    let rep_b = c.caller(REP_B);
    let opened = tickets::open(&c.state, &rep_a, &c.ca.id, &TicketInput { assignee: String::new(), ..complaint() }).await.unwrap();
    // Rep B neither sees rep A's customer nor its tickets, nor opens one on it.
    assert_eq!(tickets::of_customer(&c.state, &rep_b, &c.ca.id).await, Err(AppError::NotFound));
    assert_eq!(tickets::get(&c.state, &rep_b, &opened.id).await, Err(AppError::NotFound));
    assert!(matches!(tickets::open(&c.state, &rep_b, &c.ca.id, &complaint()).await, Err(AppError::NotFound)));
    let note = TicketAction::Note { body: "看看".into(), to_customer: false };
    assert_eq!(tickets::act(&c.state, &rep_b, &opened.id, &note).await, Err(AppError::NotFound));
    // A rep may give a ticket to a manager, but not to another rep outside their sight.
    assert!(matches!(tickets::act(&c.state, &rep_a, &opened.id, &TicketAction::Assign { assignee: REP_B.into() }).await, Err(AppError::Invalid(_))));
    assert_eq!(tickets::act(&c.state, &rep_a, &opened.id, &TicketAction::Assign { assignee: MGR_B.into() }).await.unwrap().assignee, MGR_B);
    // Manager B, not seeing rep A's customers, works the ticket given to them, with the
    // customer's profile beside it (read only).
    let note_b = TicketAction::Note { body: "我来处理".into(), to_customer: false };
    assert_eq!(tickets::act(&c.state, &c.caller(MGR_B), &opened.id, &note_b).await.unwrap().notes.len(), 1);
    assert!(kehu_backend::customers::service::profile(&c.state, &c.caller(MGR_B), &c.ca.id).await.is_ok());
    let tag = kehu_domain::customers::types::Tag::new(kehu_domain::customers::types::TagDimension::Value, "VIP");
    assert_eq!(kehu_backend::customers::service::add_tag(&c.state, &c.caller(MGR_B), &c.ca.id, &tag).await.map(|_| ()), Err(AppError::Forbidden));
    let given = tickets::act(&c.state, &c.caller(BOSS), &opened.id, &TicketAction::Assign { assignee: MGR_A.into() }).await.unwrap();
    assert_eq!(given.assignee, MGR_A);
    assert_eq!(tickets::get(&c.state, &c.caller(MGR_B), &opened.id).await, Err(AppError::NotFound), "no longer theirs");
    assert_eq!(kehu_backend::customers::service::profile(&c.state, &c.caller(MGR_B), &c.ca.id).await.map(|_| ()), Err(AppError::NotFound));
    // A made-up ticket id is not found.
    assert_eq!(tickets::get(&c.state, &rep_a, "nope").await, Err(AppError::NotFound));
    assert_eq!(tickets::get(&c.state, &rep_a, "../customer").await, Err(AppError::NotFound));
}

#[tokio::test]
async fn a_move_from_a_status_that_changed_meanwhile_writes_nothing() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let opened = tickets::open(&c.state, &boss, &c.ca.id, &complaint()).await.unwrap();
    let tid = kehu_backend::store::ids::record_id(kehu_backend::store::tickets::TICKET, &opened.id).unwrap();
    let patch = kehu_backend::store::tickets::TicketPatch { status: Some("closed".into()), ..Default::default() };
    // Someone else already moved it on: the store refuses a change made from "in progress".
    let stale = kehu_backend::store::tickets::update(&c.state.db, &tid, TicketStatus::InProgress, patch, &[]).await;
    assert!(matches!(stale.map_err(AppError::from), Err(AppError::TicketChanged)));
    assert_eq!(tickets::get(&c.state, &boss, &opened.id).await.unwrap().status, TicketStatus::New);
}

#[tokio::test]
async fn the_admin_sets_the_calendar_and_policies_and_the_clocks_follow() {
    use kehu_backend::aftersales::settings;
    // Monday 2026-11-23 09:00 in Beijing.
    let c = company_with(Clock::fixed(Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap())).await;
    let boss = c.caller(BOSS);
    let mut input = settings::settings(&c.state, &boss).await.unwrap();
    // Only admins change them; a bad entry names its field and writes nothing.
    assert_eq!(settings::save(&c.state, &c.caller(MGR_A), &input).await, Err(AppError::Forbidden));
    input.calendar.holidays = "2026-11-23 公司年会\n十一月".into();
    let Err(AppError::Invalid(errors)) = settings::save(&c.state, &boss, &input).await else { panic!("a bad line must be refused") };
    assert_eq!((errors[0].field.as_str(), &errors[0].problem), ("holidays", &Problem::BadLine { line: 2 }));
    assert_eq!(settings::settings(&c.state, &boss).await.unwrap().calendar.holidays, "");

    // Monday is a company holiday, and 高 tickets get a first reply within half an hour.
    input.calendar.holidays = "2026-11-23 公司年会".into();
    let high = input.policies.iter_mut().find(|p| p.priorities == ["high"]).unwrap();
    high.first_response_hours = "0.5".into();
    let saved = settings::save(&c.state, &boss, &input).await.unwrap();
    assert_eq!(saved.calendar.holidays, "2026-11-23");
    let opened = tickets::open(&c.state, &boss, &c.ca.id, &complaint()).await.unwrap();
    let first = opened.first_response.unwrap();
    assert_eq!(first.target_minutes, 30);
    // Counted from Tuesday 09:00: due 09:30 Beijing.
    assert_eq!(first.deadline, Some(Utc.with_ymd_and_hms(2026, 11, 24, 1, 30, 0).unwrap()));
    let log = kehu_backend::store::events::recent(&c.state.db, 50, &|u: &str| u.to_string()).await.unwrap();
    let change = log.iter().find(|e| e.kind == EventKind::ServiceSettingsSaved).expect("the change is logged");
    assert!(change.changes.iter().any(|ch| ch.field == "holidays" && ch.after == "2026-11-23"));
    assert_eq!(log.iter().filter(|e| e.kind == EventKind::ServiceSettingsSaved).count(), 1, "the refused save wrote nothing");
}

#[tokio::test]
async fn the_queue_shows_mine_unassigned_and_all_i_may_see_most_urgent_first() {
    use kehu_domain::service::types::QueueScope;
    let c = company().await;
    let (rep_a, rep_b, mgr_a) = (c.caller(REP_A), c.caller(REP_B), c.caller(MGR_A));
    let low = TicketInput { title: "咨询发票".into(), kind: "question".into(), priority: "low".into(), category: String::new(), assignee: MGR_A.into(), ..complaint() };
    let urgent = TicketInput { title: "系统宕机".into(), kind: "incident".into(), priority: "urgent".into(), category: String::new(), assignee: MGR_A.into(), ..complaint() };
    tickets::open(&c.state, &rep_a, &c.ca.id, &low).await.unwrap();
    tickets::open(&c.state, &rep_a, &c.ca.id, &urgent).await.unwrap();
    let nobodys = tickets::open(&c.state, &rep_b, &c.cb.id, &TicketInput { assignee: String::new(), ..complaint() }).await.unwrap();

    let titles = |list: Vec<kehu_domain::service::types::Ticket>| list.into_iter().map(|t| t.title).collect::<Vec<_>>();
    // The urgent one's deadline is nearer: it comes first.
    assert_eq!(titles(tickets::queue(&c.state, &mgr_a, QueueScope::Mine).await.unwrap()), vec!["系统宕机", "咨询发票"]);
    // Rep B's unassigned ticket is not in sight of manager A nor rep A; rep B and the admin see it.
    assert!(tickets::queue(&c.state, &mgr_a, QueueScope::Unassigned).await.unwrap().is_empty());
    assert!(tickets::queue(&c.state, &rep_a, QueueScope::All).await.unwrap().iter().all(|t| t.id != nobodys.id));
    assert_eq!(titles(tickets::queue(&c.state, &rep_b, QueueScope::Unassigned).await.unwrap()), vec!["发货延迟两周"]);
    assert_eq!(tickets::queue(&c.state, &c.caller(BOSS), QueueScope::All).await.unwrap().len(), 3);
    // A solved ticket leaves the queue.
    let first = tickets::queue(&c.state, &mgr_a, QueueScope::Mine).await.unwrap().remove(0);
    tickets::act(&c.state, &mgr_a, &first.id, &TicketAction::Move { status: TicketStatus::Solved, resolution: "重启".into() }).await.unwrap();
    assert_eq!(titles(tickets::queue(&c.state, &mgr_a, QueueScope::Mine).await.unwrap()), vec!["咨询发票"]);
}

#[tokio::test]
async fn sla_warnings_reach_the_assignee_and_their_manager_and_go_when_the_clock_stops() {
    use kehu_backend::store::reminders::open_since;
    // Monday 2026-11-23 09:00 in Beijing.
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 1, 0, 0).unwrap();
    let c = company_with(Clock::fixed(at)).await;
    let urgent = TicketInput { title: "系统宕机".into(), kind: "incident".into(), priority: "urgent".into(), category: String::new(), assignee: REP_A.into(), ..complaint() };
    let opened = tickets::open(&c.state, &c.caller(REP_A), &c.ca.id, &urgent).await.unwrap();
    let sla = |owner: &'static str| {
        let db = c.state.db.clone();
        async move {
            let mut list: Vec<(String, chrono::DateTime<Utc>)> =
                open_since(&db, owner, at - Duration::days(1)).await.unwrap().into_iter().filter(|r| r.kind == "sla").map(|r| (r.subject, r.due)).collect();
            list.sort_by_key(|x| x.1);
            list
        }
    };
    // 紧急: first reply within 1 h (warned at 80 %: 09:48), solved within 4 h (warned at
    // 12:42 after lunch? 80 % of 240 min is 192: 09:00 + 180 to noon, 12 more from 13:30).
    let rep = sla(REP_A).await;
    assert_eq!(rep.len(), 4, "{rep:?}");
    assert_eq!(rep[0].1, Utc.with_ymd_and_hms(2026, 11, 23, 1, 48, 0).unwrap());
    assert!(rep[0].0.contains("系统宕机") && rep[0].0.contains("首次响应"));
    assert_eq!(rep[1].1, Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap());
    assert_eq!(rep[2].1, Utc.with_ymd_and_hms(2026, 11, 23, 5, 42, 0).unwrap());
    assert_eq!(sla(MGR_A).await.len(), 4, "the team's manager is told too");
    assert!(sla(MGR_B).await.is_empty());

    // A reply to the customer stops the first-response clock; waiting pauses the other.
    let mgr = c.caller(MGR_A);
    tickets::act(&c.state, &mgr, &opened.id, &TicketAction::Note { body: "已收到，正在排查".into(), to_customer: true }).await.unwrap();
    assert_eq!(sla(REP_A).await.len(), 2);
    tickets::act(&c.state, &mgr, &opened.id, &TicketAction::Move { status: TicketStatus::WaitingCustomer, resolution: String::new() }).await.unwrap();
    assert!(sla(REP_A).await.is_empty() && sla(MGR_A).await.is_empty());
    // Back to work: the resolution warnings return, for whoever has the ticket now.
    tickets::act(&c.state, &mgr, &opened.id, &TicketAction::Assign { assignee: MGR_B.into() }).await.unwrap();
    tickets::act(&c.state, &c.caller(MGR_B), &opened.id, &TicketAction::Move { status: TicketStatus::InProgress, resolution: String::new() }).await.unwrap();
    assert!(sla(REP_A).await.is_empty());
    assert_eq!(sla(MGR_B).await.len(), 2);
    // A full reminder run keeps them as they are.
    kehu_backend::reminders::engine::run(&c.state).await.unwrap();
    assert_eq!(sla(MGR_B).await.len(), 2);
}

#[tokio::test]
async fn a_service_agent_sees_the_customers_of_their_teams_tickets_read_only_and_no_deal_amounts() {
    use kehu_backend::customers::service;
    use kehu_backend::pipeline::deals;
    use kehu_domain::service::types::QueueScope;
    let c = company().await;
    let svc = c.caller(SVC);
    // Without a ticket, rep B's customer does not exist for them.
    assert_eq!(service::profile(&c.state, &svc, &c.cb.id).await.map(|_| ()), Err(AppError::NotFound));
    // Rep B hands a problem to the service desk (nobody yet): the agent sees it in the queue
    // and the customer's profile, and takes it.
    let opened = tickets::open(&c.state, &c.caller(REP_B), &c.cb.id, &TicketInput { assignee: String::new(), ..complaint() }).await.unwrap();
    assert_eq!(tickets::queue(&c.state, &svc, QueueScope::Unassigned).await.unwrap().len(), 1);
    assert!(service::profile(&c.state, &svc, &c.cb.id).await.is_ok());
    let taken = tickets::act(&c.state, &svc, &opened.id, &TicketAction::Assign { assignee: SVC.into() }).await.unwrap();
    assert_eq!(taken.assignee, SVC);
    tickets::act(&c.state, &svc, &opened.id, &TicketAction::Note { body: "已致电客户".into(), to_customer: true }).await.unwrap();
    // Read only: no edits of the customer, no deals, no board.
    let edit = kehu_domain::customers::types::CustomerInput::from_customer(&c.cb);
    assert_eq!(service::update(&c.state, &svc, &c.cb.id, &edit, c.cb.version, false).await.map(|_| ()), Err(AppError::Forbidden));
    assert_eq!(deals::of_customer(&c.state, &svc, &c.cb.id).await.map(|_| ()), Err(AppError::Forbidden));
    assert_eq!(deals::view(&c.state, &svc, &c.da.id).await.map(|_| ()), Err(AppError::Forbidden));
    // Given to someone outside their team, the ticket and its customer leave their sight.
    tickets::act(&c.state, &c.caller(BOSS), &opened.id, &TicketAction::Assign { assignee: MGR_B.into() }).await.unwrap();
    assert_eq!(tickets::get(&c.state, &svc, &opened.id).await.map(|_| ()), Err(AppError::NotFound));
    assert_eq!(service::profile(&c.state, &svc, &c.cb.id).await.map(|_| ()), Err(AppError::NotFound));
    // A customer a service agent adds goes to the pool, for sales to claim.
    let input = kehu_domain::customers::types::CustomerInput { name: "来电新客户".into(), ..Default::default() };
    let walk_in = service::create(&c.state, &svc, &input, false).await.unwrap();
    assert_eq!(walk_in.owner, "");
    assert_eq!(kehu_backend::customers::pool::claim(&c.state, &svc, &walk_in.id).await.map(|_| ()), Err(AppError::Forbidden));
}

#[tokio::test]
async fn a_won_deal_of_a_category_that_needs_installing_opens_an_installation_ticket() {
    use kehu_domain::service::tickets::TicketKind;
    let c = company().await;
    let (boss, rep) = (c.caller(BOSS), c.caller(REP_A));
    // The admin names 软件 (the fixture's ERP) as needing installation.
    let mut settings = kehu_backend::aftersales::settings::settings(&c.state, &boss).await.unwrap();
    settings.installation_categories = "硬件\n软件".into();
    kehu_backend::aftersales::settings::save(&c.state, &boss, &settings).await.unwrap();

    c.win_the_erp_deal().await;

    let list = tickets::of_customer(&c.state, &rep, &c.ca.id).await.unwrap();
    assert_eq!(list.len(), 1, "one installation ticket");
    let t = &list[0];
    assert_eq!((t.kind, t.title.as_str(), t.assignee.as_str(), t.status), (TicketKind::Installation, "安装验收：ERP 一期", "", TicketStatus::New));
    assert_eq!(t.description, "合同 HT-9（2027-01-01 – 2027-12-31）\nERP × 1");
    // It waits in the service queue, unassigned.
    let queue = tickets::queue(&c.state, &c.caller(SVC), kehu_domain::service::types::QueueScope::Unassigned).await.unwrap();
    assert!(queue.iter().any(|q| q.id == t.id));
}

#[tokio::test]
async fn a_ticket_given_to_a_team_goes_to_its_least_busy_member_and_tickets_merge() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let options = tickets::form_options(&c.state, &rep).await.unwrap();
    assert!(options.teams.iter().any(|(key, _)| key == "@east"), "{:?}", options.teams);
    // East's service agent takes team tickets (the only one there).
    let to_team = TicketInput { assignee: "@east".into(), ..complaint() };
    let first = tickets::open(&c.state, &rep, &c.ca.id, &to_team).await.unwrap();
    assert_eq!(first.assignee, SVC);
    assert!(matches!(tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { assignee: "@nowhere".into(), ..complaint() }).await, Err(AppError::Invalid(_))));
    let second = tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { title: "又催了一次".into(), description: "客户再次来电".into(), ..complaint() }).await.unwrap();

    // Merging: into a ticket of another customer or into itself is refused.
    let mgr = c.caller(MGR_A);
    let elsewhere = tickets::open(&c.state, &c.caller(BOSS), &c.cb.id, &complaint()).await.unwrap();
    for into in [elsewhere.id.as_str(), second.id.as_str(), "ticket-that-is-not"] {
        let result = tickets::act(&c.state, &mgr, &second.id, &TicketAction::Merge { into: into.into() }).await;
        assert!(matches!(result, Err(AppError::Invalid(_))), "{into}: {result:?}");
    }
    let kept = tickets::act(&c.state, &mgr, &second.id, &TicketAction::Merge { into: first.id.clone() }).await.unwrap();
    assert_eq!(kept.id, first.id);
    assert!(kept.notes.iter().any(|n| n.body.contains("又催了一次") && n.body.contains("客户再次来电")), "{:?}", kept.notes);
    let merged = tickets::get(&c.state, &mgr, &second.id).await.unwrap();
    assert_eq!((merged.status, merged.merged_into.as_str()), (TicketStatus::Closed, first.id.as_str()));
    // The merged ticket takes nothing more, not even a note or a reopening.
    for action in [TicketAction::Note { body: "还有".into(), to_customer: false }, TicketAction::Move { status: TicketStatus::InProgress, resolution: String::new() }] {
        let Err(AppError::Invalid(errors)) = tickets::act(&c.state, &mgr, &second.id, &action).await else { panic!("a merged ticket must refuse work") };
        assert_eq!(errors[0].problem, Problem::TicketMerged);
    }
    // The queue no longer shows it; the team's next ticket still goes to the agent.
    let mine = tickets::queue(&c.state, &c.caller(SVC), kehu_domain::service::types::QueueScope::Mine).await.unwrap();
    assert_eq!(mine.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec![first.id.as_str()]);
}

/// Complaints are joined to the orders they are about (the customer's latest before the
/// complaint): the Pareto says which products and which carrier, on the page and in the CSV.
#[tokio::test]
async fn complaints_are_joined_to_the_orders_they_are_about() {
    use kehu_backend::insight::orders;
    use kehu_domain::insight::types::{OrderInput, OrderLineInput};
    let c = company().await;
    let rep = c.caller(REP_A);
    let line = OrderLineInput { product_id: c.product.id.clone(), quantity: "1".into(), amount: "120000".into() };
    let delivered = OrderInput { on: "2026-11-10".into(), order_no: "SO-9".into(), carrier: "顺丰速运".into(), lines: vec![line.clone()] };
    let first = orders::add(&c.state, &rep, &c.ca.id, &delivered).await.unwrap()[0].id.clone();
    // A later order by another carrier: a complaint naming nothing is about it (the latest),
    // one naming the first is about the first.
    let later = OrderInput { on: "2026-11-15".into(), order_no: "SO-10".into(), carrier: "德邦快递".into(), lines: vec![line.clone()] };
    orders::add(&c.state, &rep, &c.ca.id, &later).await.unwrap();
    tickets::open(&c.state, &rep, &c.ca.id, &complaint()).await.unwrap();
    let named = tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { order_id: first.clone(), ..complaint() }).await.unwrap();
    assert_eq!((named.order_id.as_str(), named.order_label.as_str()), (first.as_str(), "2026-11-10 · ERP"));
    // Another customer's order is not one a ticket may name; nothing is written.
    let theirs = orders::add(&c.state, &c.caller(BOSS), &c.cb.id, &OrderInput { order_no: "SO-11".into(), ..later.clone() }).await.unwrap()[0].id.clone();
    let refused = tickets::open(&c.state, &rep, &c.ca.id, &TicketInput { order_id: theirs, ..complaint() }).await;
    assert!(matches!(&refused, Err(AppError::Invalid(e)) if e[0].field == "order_id"), "{refused:?}");
    assert_eq!(tickets::of_customer(&c.state, &rep, &c.ca.id).await.unwrap().len(), 2);

    let report = kehu_backend::aftersales::reports::report(&c.state, &c.caller(BOSS)).await.unwrap();
    assert_eq!(report.pareto[0].reason, "物流");
    assert_eq!(report.pareto[0].products, vec![("ERP".to_string(), 2)]);
    assert_eq!(report.pareto[0].carriers, vec![("德邦快递".to_string(), 1), ("顺丰速运".to_string(), 1)]);
    tickets::open(&c.state, &rep, &c.ca.id, &complaint()).await.unwrap();
    let report = kehu_backend::aftersales::reports::report(&c.state, &c.caller(BOSS)).await.unwrap();
    assert_eq!(report.pareto[0].carriers, vec![("德邦快递".to_string(), 2), ("顺丰速运".to_string(), 1)]);
    let cookie = format!("{}={}", kehu_backend::accounts::sessions::SESSION_COOKIE, c.session(BOSS).await);
    let (status, _, body) = get(&c.app, "/api/service-report/pareto.csv", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(body.contains("物流,3,100.0,100.0,华北 3,ERP 3,德邦快递 2; 顺丰速运 1"), "{body}");
}

/// Merging two customers carries the tickets over: on the kept customer's profile at once,
/// and in the store for the next start.
#[tokio::test]
async fn a_merged_customers_tickets_go_with_it() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let opened = tickets::open(&c.state, &c.caller(REP_A), &c.ca.id, &complaint()).await.unwrap();
    kehu_backend::customers::merge::merge(&c.state, &boss, &c.cb.id, &c.ca.id).await.unwrap();
    let moved = tickets::of_customer(&c.state, &boss, &c.cb.id).await.unwrap();
    assert_eq!(moved.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec![opened.id.as_str()]);
    let stored = kehu_backend::store::tickets::all(&c.state.db).await.unwrap();
    assert!(stored.iter().all(|t| t.customer_key() == c.cb.id), "the store moved them too");
    // The ticket is still worked where it now belongs.
    let note = TicketAction::Note { body: "已联系客户".into(), to_customer: true };
    tickets::act(&c.state, &c.caller(MGR_A), &opened.id, &note).await.unwrap();
}
