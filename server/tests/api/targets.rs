//! Targets and performance (目标/业绩) against a real store: who sees and sets which target,
//! the history of a changed target, cascading a year so the sums add up, progress and the
//! leaderboard moving with a won deal and its payment, the warnings and milestones as
//! reminders, and the leaderboard as a download.

use chrono::Duration;
use kehu_backend::customers::contacts;
use kehu_backend::pipeline::money;
use kehu_backend::reminders::{center, engine};
use kehu_backend::targets::{activity, progress, service};
use kehu_backend::Clock;
use kehu_domain::customers::types::{TouchpointInput, TouchpointKind};
use kehu_domain::error::AppError;
use kehu_domain::pipeline::types::MoneyOnDateInput;
use kehu_domain::reminders::types::{ReminderAction, ReminderKind};
use kehu_domain::targets::types::Metric;
use kehu_domain::targets::view::{CascadeInput, TargetInput, TargetsPage};

use crate::support::*;

fn target(metric: &str, holder: &str, period: &str, amount: &str) -> TargetInput {
    TargetInput { metric: metric.into(), holder: holder.into(), period: period.into(), amount: amount.into() }
}

fn holders(page: &TargetsPage) -> Vec<String> {
    page.rows.iter().map(|r| r.holder.clone()).collect()
}

fn row<'a>(page: &'a TargetsPage, holder: &str) -> &'a kehu_domain::targets::view::TargetRow {
    page.rows.iter().find(|r| r.holder == holder).unwrap_or_else(|| panic!("no row for {holder} in {:?}", holders(page)))
}

#[tokio::test]
async fn each_role_sees_its_own_part_of_the_tree_and_bad_input_changes_nothing() {
    let c = company().await;
    let rep = service::page(&c.state, &c.caller(REP_A), 2026, "signed").await.unwrap();
    assert_eq!(holders(&rep), vec!["person:rep_a"]);
    let manager = holders(&service::page(&c.state, &c.caller(MGR_A), 2026, "signed").await.unwrap());
    assert!(manager.contains(&"region:华东".into()) && manager.contains(&"team:east".into()) && manager.contains(&"person:rep_a".into()), "{manager:?}");
    assert!(!manager.iter().any(|h| h == "company" || h == "team:south" || h == "person:rep_b" || h == "person:svc"), "{manager:?}");
    let boss = holders(&service::page(&c.state, &c.caller(BOSS), 2026, "signed").await.unwrap());
    assert_eq!(boss.first().map(String::as_str), Some("company"));
    assert!(boss.contains(&"person:rep_b".into()));
    assert!(matches!(service::page(&c.state, &c.caller(SVC), 2026, "signed").await, Err(AppError::Forbidden)));

    let admin = c.caller(BOSS);
    for bad in [
        target("signed", "team:east", "2026", "十万"),
        target("signed", "team:east", "2026", "-5"),
        target("follow_ups", "team:east", "2026", "2.5"),
        target("signed", "team:nowhere", "2026", "100"),
        target("signed", "team:east", "2026-13", "100"),
        target("signed", "team:east", "2040", "100"),
        target("mood", "team:east", "2026", "100"),
    ] {
        assert!(matches!(service::set(&c.state, &admin, &bad).await, Err(AppError::Invalid(_))), "{bad:?} was accepted");
    }
    let page = service::page(&c.state, &admin, 2026, "signed").await.unwrap();
    assert!(page.rows.iter().all(|r| r.year.is_none() && r.months.iter().all(Option::is_none)), "a refused target was written");
}

#[tokio::test]
async fn a_changed_target_keeps_what_it_was_and_says_so_in_the_audit_log() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let admin = c.caller(BOSS);
    service::set(&c.state, &admin, &target("signed", "region:华东", "2026", "800000")).await.unwrap();
    *now.lock().unwrap() = start() + Duration::days(3);
    let page = service::set(&c.state, &admin, &target("signed", "region:华东", "2026", "900000.50")).await.unwrap();
    let region = row(&page, "region:华东");
    assert_eq!(region.year, Some(90_000_050));
    let days: Vec<(String, i64)> = region.history.iter().map(|(d, a)| (d.to_string(), *a)).collect();
    assert_eq!(days, vec![("2026-11-22".to_string(), 80_000_000), ("2026-11-25".to_string(), 90_000_050)]);
    // Setting the same amount again writes nothing.
    let again = service::set(&c.state, &admin, &target("signed", "region:华东", "2026", "900000.5")).await.unwrap();
    assert_eq!(row(&again, "region:华东").history.len(), 2);
    let audit: Vec<String> = c
        .state
        .db
        .query("SELECT VALUE changes[0].before + ' → ' + changes[0].after FROM event WHERE kind = 'target_set' ORDER BY at")
        .await
        .unwrap()
        .take(0)
        .unwrap();
    assert_eq!(audit, vec![" → 800000.00".to_string(), "800000.00 → 900000.50".to_string()]);
}

#[tokio::test]
async fn cascading_a_year_makes_the_months_quarters_and_children_add_up() {
    let c = company().await;
    let admin = c.caller(BOSS);
    service::set(&c.state, &admin, &target("signed", "region:华东", "2026", "1000000")).await.unwrap();
    let cascade = |holder: &str, months: bool, children: bool| CascadeInput {
        metric: "signed".into(),
        holder: holder.into(),
        year: 2026,
        into_months: months,
        into_children: children,
        by_last_year: false,
    };
    let page = service::cascade(&c.state, &admin, &cascade("region:华东", true, true)).await.unwrap();
    let region = row(&page, "region:华东");
    assert_eq!(region.months_gap, Some(0));
    assert_eq!(region.quarters_gap, Some(0));
    assert_eq!(region.children_gap, Some(0));
    // 1,000,000 into 12 months: whole cents, nothing lost.
    assert_eq!(region.months.iter().flatten().sum::<i64>(), 100_000_000);
    assert_eq!(row(&page, "team:east").year, Some(100_000_000));

    // The manager splits their team's year among its people (a manager and a rep).
    let manager = c.caller(MGR_A);
    let page = service::cascade(&c.state, &manager, &cascade("team:east", false, true)).await.unwrap();
    assert_eq!(row(&page, "person:rep_a").year, Some(50_000_000));
    assert_eq!(row(&page, "person:mgr_a").year, Some(50_000_000));
    assert_eq!(row(&page, "team:east").children_gap, Some(0));
    // A change below shows as a gap above.
    let page = service::set(&c.state, &manager, &target("signed", "person:rep_a", "2026", "600000")).await.unwrap();
    assert_eq!(row(&page, "team:east").children_gap, Some(10_000_000));
    assert!(matches!(service::cascade(&c.state, &manager, &cascade("region:华东", true, false)).await, Err(AppError::Forbidden)));
    // Another team's manager does not learn the team is there.
    assert!(matches!(service::cascade(&c.state, &c.caller(MGR_B), &cascade("team:east", true, false)).await, Err(AppError::NotFound)));
}

#[tokio::test]
async fn progress_and_the_leaderboard_move_when_a_deal_is_won_and_paid() {
    let c = company().await;
    let admin = c.caller(BOSS);
    service::set(&c.state, &admin, &target("signed", "person:rep_a", "2026-11", "150000")).await.unwrap();
    service::set(&c.state, &admin, &target("collected", "person:rep_a", "2026-11", "50000")).await.unwrap();
    let rep = c.caller(REP_A);
    let before = progress::page(&c.state, &rep, "2026-11").await.unwrap();
    let signed = |p: &kehu_domain::targets::view::PerformancePage, m: Metric| p.progress.iter().find(|r| r.metric == m && r.holder == "person:rep_a").map(|r| r.pace.actual);
    assert_eq!(signed(&before, Metric::Signed), Some(0));

    c.win_the_erp_deal().await;
    money::add_money(&c.state, &rep, &c.da.id, &MoneyOnDateInput { date: "2026-11-21".into(), amount: "30000".into() }, true).await.unwrap();

    let after = progress::page(&c.state, &rep, "2026-11").await.unwrap();
    assert_eq!(signed(&after, Metric::Signed), Some(12_000_000));
    assert_eq!(signed(&after, Metric::Collected), Some(3_000_000));
    // 80 % of the month's target on the 22nd of 30 days: not behind by more than 10 points.
    let row = after.progress.iter().find(|r| r.metric == Metric::Signed).unwrap();
    assert_eq!(row.pace.actual_percent, 80.0);
    assert!(!row.behind, "{row:?}");
    // A rep's leaderboard is their team's people; rep A leads it now.
    let names: Vec<&str> = after.board.iter().map(|r| r.username.as_str()).collect();
    assert_eq!(names.first(), Some(&REP_A), "{names:?}");
    assert!(!names.contains(&REP_B) && names.contains(&MGR_A), "{names:?}");
    assert_eq!(after.board[0].tally.won, 1);
    assert_eq!(after.board[0].collection_rate, Some(25.0));
    assert!(after.board[0].score > after.board[1].score);
    // Rep B's manager sees neither rep A's board row nor their progress.
    let other = progress::page(&c.state, &c.caller(MGR_B), "2026-11").await.unwrap();
    assert!(!other.board.iter().any(|r| r.username == REP_A) && other.progress.is_empty());
    assert!(matches!(progress::page(&c.state, &c.caller(SVC), "2026-11").await, Err(AppError::Forbidden)));
    // The year counts it too, and the team's activity shows the rep's follow-up habits.
    let year = progress::page(&c.state, &admin, "2026").await.unwrap();
    assert_eq!(year.board.iter().find(|r| r.username == REP_A).map(|r| r.tally.signed), Some(12_000_000));
    assert!(activity::page(&c.state, &rep, "person:rep_b", "2026-11").await.is_err());
}

#[tokio::test]
async fn a_rep_behind_pace_and_their_manager_are_told_once_and_milestones_are_announced() {
    let c = company().await;
    let admin = c.caller(BOSS);
    let badge = center::due_count(&c.state, REP_A).await.unwrap();
    service::set(&c.state, &admin, &target("signed", "person:rep_a", "2026-11", "1000000")).await.unwrap();
    engine::run(&c.state).await.unwrap();
    engine::run(&c.state).await.unwrap();
    // The header's badge counts the warning (once, however often the engine runs).
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), badge + 1);
    let rep = c.caller(REP_A);
    let targets = |mine: kehu_domain::reminders::types::MyReminders| -> Vec<(String, String)> {
        mine.due.into_iter().chain(mine.upcoming).filter(|r| r.kind == ReminderKind::Target).map(|r| (r.id, r.subject)).collect()
    };
    let told = targets(center::mine(&c.state, &rep, None).await.unwrap());
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].1.contains("落后进度"), "{told:?}");
    let manager = targets(center::mine(&c.state, &c.caller(MGR_A), None).await.unwrap());
    assert_eq!(manager.len(), 1, "{manager:?}");
    assert!(manager[0].1.contains("销售甲"), "{manager:?}");
    assert!(targets(center::mine(&c.state, &c.caller(MGR_B), None).await.unwrap()).is_empty());

    // Someone else cannot handle it; its person can.
    assert!(matches!(center::act(&c.state, &c.caller(REP_B), &told[0].0, &ReminderAction::Done, None).await, Err(AppError::NotFound)));
    assert!(matches!(center::act(&c.state, &c.caller(MGR_A), &told[0].0, &ReminderAction::Done, None).await, Err(AppError::NotFound)));
    center::act(&c.state, &rep, &told[0].0, &ReminderAction::Done, None).await.unwrap();
    engine::run(&c.state).await.unwrap();
    assert!(targets(center::mine(&c.state, &rep, None).await.unwrap()).is_empty(), "a handled warning came back");

    // Two follow-ups a month: the first is half, announced as it is logged.
    service::set(&c.state, &admin, &target("follow_ups", "person:rep_a", "2026-11", "2")).await.unwrap();
    let call = TouchpointInput { kind: TouchpointKind::Call, summary: "电话沟通需求".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &rep, &c.ca.id, &call).await.unwrap();
    let now = targets(center::mine(&c.state, &rep, None).await.unwrap());
    assert!(now.iter().any(|(_, s)| s.contains("跟进次数目标完成 50%")), "{now:?}");
    contacts::add_touchpoint(&c.state, &rep, &c.ca.id, &call).await.unwrap();
    let now = targets(center::mine(&c.state, &rep, None).await.unwrap());
    for m in [50, 90, 100] {
        assert_eq!(now.iter().filter(|(_, s)| s.contains(&format!("跟进次数目标完成 {m}%"))).count(), 1, "{now:?}");
    }
}

#[tokio::test]
async fn the_leaderboard_downloads_as_csv_and_xlsx_for_who_may_see_it() {
    let c = company().await;
    c.win_the_erp_deal().await;
    let cookie = |token: String| format!("{}={token}", kehu_backend::accounts::sessions::SESSION_COOKIE);
    let manager = cookie(c.session(MGR_A).await);
    let (status, headers, body) = get(&c.app, "/api/performance/board.csv?period=2026-11", Some(&manager)).await;
    assert_eq!(status, 200, "{body}");
    assert!(headers["content-disposition"].to_str().unwrap().contains("kehu-leaderboard-2026-11.csv"));
    let first = body.lines().nth(1).unwrap_or_default();
    assert!(first.starts_with("1,销售甲,120000,"), "{body}");
    let (status, headers, _) = get(&c.app, "/api/performance/board.xlsx?period=2026-11", Some(&manager)).await;
    assert_eq!(status, 200);
    assert!(headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let service = cookie(c.session(SVC).await);
    assert_eq!(get(&c.app, "/api/performance/board.csv", Some(&service)).await.0, 403);
    assert_eq!(get(&c.app, "/api/performance/board.csv", None).await.0, 401);
    assert_eq!(get(&c.app, "/api/performance/board.pdf", Some(&manager)).await.0, 404);
}
