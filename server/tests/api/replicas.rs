//! Two Kehu processes on one store: what one commits, the other shows — its list and search,
//! its board, the performance counts, badges, accounts and sessions — by following the event
//! feed. The second "process" here is a second application state over the same store, with
//! its own read models and caches: everything a second process has apart from its memory.

use std::time::{Duration, Instant};

use kehu_backend::accounts::{signin, users};
use kehu_backend::customers::{contacts, service};
use kehu_backend::insight::competitors;
use kehu_backend::live::Signal;
use kehu_backend::pipeline::deals;
use kehu_backend::reminders::center;
use kehu_backend::{replica, AppState};
use kehu_domain::accounts::types::Handover;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use kehu_domain::reminders::types::ReminderAction;

use crate::support::*;

/// A second replica on the company's store, following from now.
async fn second_replica(c: &Company) -> AppState {
    let after = replica::starting_point(&c.state.db).await.unwrap();
    assert!(after.is_some(), "the fixture's writes are in the feed");
    let other = AppState::on(c.state.db.clone(), c.state.clock.clone(), c.state.policy.clone()).await.unwrap();
    replica::start(other.clone(), after);
    other
}

/// Waits until `seen` holds on the other replica; how long that took. Gives up after 5 s (the
/// follower looks four times a second; the figure printed is what to compare with the 1 s aim).
async fn seen_within(what: &str, mut seen: impl AsyncFnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !seen().await {
        assert!(started.elapsed() < Duration::from_secs(5), "{what}: not seen on the other replica after 5 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let took = started.elapsed();
    println!("replica: {what} seen after {} ms", took.as_millis());
    took
}

#[tokio::test]
async fn what_one_replica_commits_the_other_shows() {
    let c = company().await;
    let b = second_replica(&c).await;
    let rep = c.caller(REP_A);

    // A new customer: in the other's list and search.
    let input = CustomerInput { name: "复制测试科技".into(), owner: REP_A.into(), region: "华东".into(), ..Default::default() };
    let made = service::create(&c.state, &rep, &input, false).await.unwrap();
    let rep_on_b = b.users.caller(REP_A).unwrap();
    seen_within("a new customer in the list and search", async || service::list(&b, &rep_on_b, &query("复制测试")).total == 1).await;

    // A follow-up: counted for its person, once, and the customer's last contact moves.
    let tally = |state: &AppState| state.performance.tally(REP_A, start().date_naive(), start().date_naive()).follow_ups;
    let before = tally(&b);
    let visit = TouchpointInput { kind: TouchpointKind::Call, author: "销售甲".into(), summary: "电话沟通".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &rep, &made.id, &visit).await.unwrap();
    seen_within("a follow-up in the performance counts", async || tally(&b) == before + 1).await;
    assert!(b.directory.row(&made.id).unwrap().last_contact_at.is_some());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(tally(&b), before + 1, "read again after later commits, still counted once");
    assert_eq!(tally(&c.state), before + 1, "and once on the replica that wrote it");

    // A follow-up naming a competitor: counted in the other's competitor report, whose
    // mentions are kept there since its first report.
    let competitor = kehu_domain::insight::competitors::CompetitorInput { name: "金蝶".into(), aliases: String::new() };
    competitors::add(&c.state, &c.caller(BOSS), &competitor).await.unwrap();
    let boss_on_b = b.users.caller(BOSS).unwrap();
    assert_eq!(competitors::report(&b, &boss_on_b).await.unwrap().stats[0].mentions, 0);
    let named = TouchpointInput { kind: TouchpointKind::Call, author: "销售甲".into(), summary: "金蝶也在跟".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &rep, &made.id, &named).await.unwrap();
    seen_within("a follow-up in the competitor report", async || competitors::report(&b, &boss_on_b).await.unwrap().stats[0].mentions == 1).await;

    // A stage move: on the other's board.
    let deal = deals::view(&c.state, &rep, &c.da.id).await.unwrap().deal;
    deals::move_to(&c.state, &rep, &c.da.id, "needs", deal.version).await.unwrap();
    seen_within("a stage move on the board", async || b.deals.open_where(|d| d.id == c.da.id).first().is_some_and(|d| d.stage == "needs")).await;

    // A reminder handled: the rep's badge on the other replica is told to recount.
    let mut signals = b.live.subscribe();
    center::act(&c.state, &rep, &c.ra, &ReminderAction::Done, None).await.unwrap();
    seen_within("a handled reminder reaching the badge", async || loop {
        match signals.try_recv() {
            Ok(Signal::Users(users)) if users.contains(&REP_A.to_string()) => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    })
    .await;

    // Signed in on one, served by the other; signed out on one, refused by the other.
    let token = signin::open_session(&c.state, REP_A).await.unwrap();
    assert_eq!(signin::still_signed_in(&b, &token).await.unwrap().user.username, REP_A);
    signin::logout(&c.state, &token).await.unwrap();
    seen_within("a sign-out", async || matches!(signin::still_signed_in(&b, &token).await, Err(AppError::Unauthorized))).await;

    // A deactivated rep: inactive on the other, their session there ends, their customers
    // moved to whom they were handed.
    let rep_b_token = signin::open_session(&b, REP_B).await.unwrap();
    assert!(signin::still_signed_in(&b, &rep_b_token).await.is_ok());
    users::deactivate_user(&c.state, &c.caller(BOSS), REP_B, &Handover::ToUser(REP_A.into())).await.unwrap();
    seen_within("a deactivated account", async || b.users.get(REP_B).is_some_and(|u| !u.user.active)).await;
    seen_within("the deactivated rep's session", async || signin::still_signed_in(&b, &rep_b_token).await.is_err()).await;
    seen_within("the handed-over customer", async || b.directory.row(&c.cb.id).is_some_and(|row| row.owner == REP_A)).await;
}

#[tokio::test]
async fn a_bulk_write_on_one_replica_reloads_the_other() {
    let c = company().await;
    let b = second_replica(&c).await;
    kehu_backend::demo::load(&c.state, 300, 40, 7).await.unwrap();
    let a = &c.state;
    assert!(a.directory.len() > 300 && a.deals.open_count() > 1 && a.orders.counts().0 > 0, "the demo company is loaded");
    seen_within("the demo company's customers, deals and orders", async || {
        b.directory.len() == a.directory.len() && b.deals.open_count() == a.deals.open_count() && b.orders.counts() == a.orders.counts()
    })
    .await;
    assert_eq!(b.performance.counts(), a.performance.counts());
}

#[tokio::test]
async fn background_work_runs_on_one_replica_and_moves_when_its_holder_dies() {
    use kehu_backend::replica::lease;
    use kehu_backend::store::leases;
    let c = company().await;
    let a = c.state.clone();
    let b = AppState::on(a.db.clone(), a.clock.clone(), a.policy.clone()).await.unwrap();
    assert!(a.jobs.is_mine() && b.jobs.is_mine(), "a process alone does its background work without a lease");

    // The store's answer: taken by the first, refused to the second, renewed by the first,
    // and the second's once the first's time ran out.
    let short = Duration::from_millis(300);
    assert_eq!(leases::take(&a.db, "t", "first", short).await.unwrap(), "first");
    assert_eq!(leases::take(&a.db, "t", "second", short).await.unwrap(), "first");
    assert_eq!(leases::take(&a.db, "t", "first", short).await.unwrap(), "first");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(leases::take(&a.db, "t", "second", short).await.unwrap(), "second");

    // Two keepers: exactly one replica does the work.
    let keeper_a = lease::keep(a.db.clone(), a.jobs.clone(), short);
    let keeper_b = lease::keep(b.db.clone(), b.jobs.clone(), short);
    seen_within("one holder of the background work", async || a.jobs.is_mine() != b.jobs.is_mine()).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert!(a.jobs.is_mine() != b.jobs.is_mine(), "still exactly one after several renewals");
    let (holder, keeper, other) = if a.jobs.is_mine() { (&a, keeper_a, &b) } else { (&b, keeper_b, &a) };
    assert_ne!(holder.jobs.holder(), other.jobs.holder());

    // The holder dies (its keeper stops renewing): the other takes the work over, and its
    // ten-minute round is told to run at once.
    let mut gains = other.jobs.gains();
    assert_eq!(gains.has_changed().ok(), Some(false), "not gained yet");
    keeper.abort();
    seen_within("the background work moving to the other replica", async || other.jobs.is_mine()).await;
    tokio::time::timeout(Duration::from_secs(1), gains.changed()).await.expect("the taking over is told").unwrap();
    lease::let_go(&other.db, &other.jobs).await;
    assert!(!other.jobs.is_mine(), "handed back at a clean stop");
}
