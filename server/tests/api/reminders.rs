//! Reminders against a real store: the engine's idempotence across reruns and restarts and
//! its catch-up after downtime (on disk, with a clock the test moves), handling with rights
//! and the live signal, do-not-disturb moving a reminder, the calendar feed, the live stream.

use std::time::Duration as StdDuration;

use chrono::{DateTime, TimeZone, Utc};
use futures::StreamExt;
use kehu_domain::accounts::types::UserInput;
use kehu_backend::live::Signal;
use kehu_backend::reminders::care_dates;
use kehu_backend::reminders::center;
use kehu_backend::customers::contacts;
use kehu_backend::reminders::dnd;
use kehu_backend::reminders::engine;
use kehu_backend::reminders::feed;
use kehu_backend::customers::merge;
use kehu_backend::customers::service;
use kehu_backend::accounts::users;
use kehu_backend::AppState;
use kehu_backend::Clock;
use kehu_backend::store::reminders::{self as reminder_store, ReminderRecord};
use kehu_domain::customers::types::*;
use kehu_domain::error::{AppError, Problem};
use kehu_domain::reminders::care_dates::CareDateInput;
use kehu_domain::reminders::dnd::DndInput;
use kehu_domain::reminders::types::{ReminderAction, ReminderKind};

use crate::support::*;

async fn row_count(state: &AppState) -> i64 {
    let n: Option<i64> = state.db.query("(SELECT count() FROM reminder GROUP ALL)[0].count").await.unwrap().take(0).unwrap();
    n.unwrap_or(0)
}

/// Opens the store at `url`, waiting for a previous handle to let go of its lock.
async fn open(url: &str, clock: Clock) -> AppState {
    for _ in 0..100 {
        match AppState::open(url, None, clock.clone()).await {
            Ok(state) => return state,
            Err(e) if e.to_string().contains("locked") => tokio::time::sleep(StdDuration::from_millis(100)).await,
            Err(e) => panic!("opening failed: {e}"),
        }
    }
    panic!("the store was not released within 10 s")
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

#[tokio::test]
async fn the_engine_is_idempotent_across_restarts_and_catches_up_after_downtime() {
    let dir = std::env::temp_dir().join(format!("kehu-reminders-{}", std::process::id()));
    // A store left by an earlier run whose process had the same id would already hold the
    // test's user: the directory is removed first.
    let _ = std::fs::remove_dir_all(&dir);
    let url = format!("surrealkv://{}", dir.display());
    // 16:00 in Beijing on 22 November 2026.
    let (clock, now) = Clock::manual(at(2026, 11, 22, 8));
    let customer = {
        let state = open(&url, clock.clone()).await;
        let input = UserInput { username: "wang".into(), display_name: "王芳".into(), password: PASSWORD.into(), ..Default::default() };
        users::create_user_unchecked(&state, "test", &input).await.unwrap();
        let rep = state.users.caller("wang").unwrap();
        let customer = service::create(&state, &rep, &CustomerInput { name: "提醒测试公司".into(), owner: "wang".into(), ..Default::default() }, false)
            .await
            .unwrap();
        // A birthday in two days (inside the horizon), one in five weeks (beyond it).
        for (name, birthday) in [("李娜", "1990-11-24"), ("赵强", "1985-12-28")] {
            let contact = ContactInput { name: name.into(), birthday: birthday.into(), ..Default::default() };
            contacts::add_contact(&state, &rep, &customer.id, &contact).await.unwrap();
        }
        let first = engine::run(&state).await.unwrap();
        let stored = row_count(&state).await;
        assert_eq!(stored, 1, "only the birthday within 30 days is stored");
        assert_eq!(engine::run(&state).await.unwrap(), first);
        assert_eq!(row_count(&state).await, stored, "a rerun adds nothing");
        let mine = center::mine(&state, &rep, None).await.unwrap();
        assert!(mine.due.is_empty());
        assert_eq!(mine.upcoming.len(), 1);
        assert_eq!(mine.upcoming[0].kind, ReminderKind::Birthday);
        assert_eq!(mine.upcoming[0].subject, "李娜");
        // Due at 09:00 Beijing time, stored in UTC.
        assert_eq!(mine.upcoming[0].due, at(2026, 11, 24, 1));
        // Handled ahead of time: it must stay handled whatever runs later.
        center::act(&state, &rep, &mine.upcoming[0].id, &ReminderAction::Done, None).await.unwrap();
        customer.id
    };

    // The server comes back after 44 days down, on 5 January 2027.
    *now.lock().unwrap() = at(2027, 1, 5, 8);
    let state = open(&url, clock.clone()).await;
    let rep = state.users.caller("wang").unwrap();
    engine::run(&state).await.unwrap();
    let mine = center::mine(&state, &rep, None).await.unwrap();
    let due: Vec<_> = mine.due.iter().map(|r| (r.kind, r.subject.as_str(), r.customer_id.as_str())).collect();
    assert_eq!(due, vec![(ReminderKind::Birthday, "赵强", customer.as_str())], "the birthday that passed while down is caught up");
    assert_eq!(center::due_count(&state, "wang").await.unwrap(), 1);
    let stored = row_count(&state).await;
    assert_eq!(stored, 2, "the done one is kept, not added again");
    // A restart (the same clock) and a rerun change nothing.
    drop(state);
    let state = open(&url, clock).await;
    engine::run(&state).await.unwrap();
    assert_eq!(row_count(&state).await, stored);
    assert_eq!(center::due_count(&state, "wang").await.unwrap(), 1);
    drop(state);
    // The store was the test's own (kept when an assertion fails, to be looked at).
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn handling_is_checked_and_tells_the_owners_pages() {
    let c = company().await;
    let a = c.caller(REP_A);
    let mut signals = c.state.live.subscribe();
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 1);
    assert_eq!(center::due_count(&c.state, REP_B).await.unwrap(), 0);
    // Someone who cannot see the customer cannot see the reminder either.
    let b = c.caller(REP_B);
    assert_eq!(center::act(&c.state, &b, &c.ra, &ReminderAction::Done, None).await, Err(AppError::NotFound));
    // A snooze into the past, or one that is not a time, is refused and changes nothing.
    for (until, problem) in [("2026-11-01T09:00", Problem::NotInFuture), ("soon", Problem::InvalidDate)] {
        let Err(AppError::Invalid(errors)) = center::act(&c.state, &a, &c.ra, &ReminderAction::Snooze { until: until.into() }, None).await else {
            panic!("{until} must be refused")
        };
        assert_eq!(errors[0].problem, problem);
    }
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 1);
    // Snoozed to tomorrow 10:00 local: no longer due, listed as coming, the owner's pages told.
    let mine = center::act(&c.state, &a, &c.ra, &ReminderAction::Snooze { until: "2026-11-23T10:00".into() }, None).await.unwrap();
    assert!(mine.due.is_empty());
    assert_eq!(mine.upcoming[0].due, at(2026, 11, 23, 2));
    assert!(mine.upcoming[0].snoozed);
    match signals.try_recv() {
        Ok(Signal::Users(users)) => assert_eq!(users.as_slice(), [REP_A.to_string()]),
        other => panic!("expected a signal for rep A, got {other:?}"),
    }
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 0);
    // The manager of A's team may handle it too; handling it twice is harmless.
    center::act(&c.state, &c.caller(MGR_A), &c.ra, &ReminderAction::Dismiss, None).await.unwrap();
    let again = center::act(&c.state, &a, &c.ra, &ReminderAction::Done, None).await.unwrap();
    assert!(again.due.is_empty() && again.upcoming.is_empty());
}

#[tokio::test]
async fn the_center_lists_the_first_hundred_counts_all_by_kind_and_narrows_to_one_kind() {
    let c = company().await;
    let a = c.caller(REP_A);
    let customer = surrealdb::types::RecordId::new("customer", c.ca.id.clone());
    let record = |key: String, kind: &str, due: DateTime<Utc>| ReminderRecord {
        id: reminder_store::reminder_id(&key),
        kind: kind.into(),
        customer: customer.clone(),
        owner: REP_A.into(),
        subject: key,
        rule_due: due,
        due,
        moved_by: None,
        snoozed: false,
        status: "open".into(),
        created_at: start(),
        announce_at: None,
    };
    // 150 churn warnings due over the last 150 hours, 3 birthdays coming; the fixture's
    // next step (due an hour ago) makes 151 due.
    let mut fresh: Vec<_> = (0..150).map(|i| record(format!("churn:{i}"), "churn", start() - chrono::Duration::hours(2 + i))).collect();
    fresh.extend((1..=3).map(|d| record(format!("birthday:{d}"), "birthday", start() + chrono::Duration::days(d))));
    reminder_store::sync(&c.state.db, Vec::new(), fresh).await.unwrap();

    let all = center::mine(&c.state, &a, None).await.unwrap();
    assert_eq!((all.due.len(), all.due_total()), (100, 151), "the first hundred listed, all counted");
    assert!(all.due.windows(2).all(|w| w[0].due <= w[1].due), "oldest first");
    assert_eq!(all.due[0].subject, "churn:149");
    assert_eq!((all.upcoming.len(), all.upcoming_total()), (3, 3));
    let counts: Vec<_> = all.counts.iter().map(|k| (k.kind, k.due, k.upcoming)).collect();
    assert_eq!(counts, vec![(ReminderKind::Birthday, 0, 3), (ReminderKind::NextStep, 1, 0), (ReminderKind::Churn, 150, 0)]);

    let steps = center::mine(&c.state, &a, Some(ReminderKind::NextStep)).await.unwrap();
    assert_eq!(steps.due.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), vec![c.ra.as_str()]);
    assert!(steps.upcoming.is_empty());
    assert_eq!((steps.due_total(), steps.counts.len()), (1, 3), "the counts of every kind stay, to switch to another");

    // Handled while narrowed: the answer keeps the narrowing.
    let after = center::act(&c.state, &a, &c.ra, &ReminderAction::Done, Some(ReminderKind::Churn)).await.unwrap();
    assert_eq!(after.only, Some(ReminderKind::Churn));
    assert_eq!((after.due.len(), after.due_total()), (100, 150));
    assert!(after.due.iter().all(|r| r.kind == ReminderKind::Churn) && after.upcoming.is_empty());
    assert!(after.counts.iter().all(|k| k.kind != ReminderKind::NextStep), "a kind with none left drops out");
    // Another rep sees none of it.
    let theirs = center::mine(&c.state, &c.caller(REP_B), None).await.unwrap();
    assert!(theirs.due.is_empty() && theirs.counts.is_empty());
}

#[tokio::test]
async fn a_do_not_disturb_window_moves_a_reminder_and_says_why() {
    // 08:00 in Beijing on 23 November: the next step planned for today falls due at 09:00.
    let c = company_with(Clock::fixed(at(2026, 11, 23, 0))).await;
    let a = c.caller(REP_A);
    let hours = DndInput { not_before: "14:00".into(), reason: "上午开会".into(), ..Default::default() };
    dnd::add(&c.state, &a, &c.ca.id, &hours).await.unwrap();
    let step = TouchpointInput { summary: "电话沟通".into(), next_step: "发送报价".into(), next_step_on: "2026-11-23".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &a, &c.ca.id, &step).await.unwrap();
    let mine = center::mine(&c.state, &a, None).await.unwrap();
    let next = mine.upcoming.iter().find(|r| r.kind == ReminderKind::NextStep).expect("the next step is coming");
    assert_eq!(next.rule_due, at(2026, 11, 23, 1), "09:00 local by the rule");
    assert_eq!(next.due, at(2026, 11, 23, 6), "moved to 14:00 local");
    assert!(next.moved_by.as_deref().is_some_and(|m| m.contains("上午开会")));
    // The window removed: the reminder goes back to the rule's time.
    let windows = dnd::list(&c.state, &a, &c.ca.id).await.unwrap();
    dnd::remove(&c.state, &a, &c.ca.id, &windows[0].id).await.unwrap();
    let mine = center::mine(&c.state, &a, None).await.unwrap();
    let next = mine.upcoming.iter().find(|r| r.kind == ReminderKind::NextStep).unwrap();
    assert_eq!((next.due, next.moved_by.clone()), (at(2026, 11, 23, 1), None));
}

#[tokio::test]
async fn the_calendar_feed_needs_its_secret_and_can_be_revoked() {
    let c = company().await;
    let a = c.caller(REP_A);
    assert!(!feed::feed(&c.state, &a).await.unwrap().active);
    let made = feed::new_feed(&c.state, &a).await.unwrap();
    let path = made.new_path.clone().expect("the address is shown once");
    assert!(!feed::feed(&c.state, &a).await.unwrap().new_path.is_some(), "never shown again");
    let (status, headers, body) = get(&c.app, &path, None).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(body.contains("UID:test:ra@kehu\r\n"));
    assert!(body.contains("甲的客户科技"));
    // A wrong secret, another shape of path, and a replaced or revoked secret: 404.
    let wrong = format!("/calendar/{}.ics", "0".repeat(64));
    assert_eq!(get(&c.app, &wrong, None).await.0, axum::http::StatusCode::NOT_FOUND);
    assert_eq!(get(&c.app, "/calendar/..%2F..%2Fetc.ics", None).await.0, axum::http::StatusCode::NOT_FOUND);
    let replaced = feed::new_feed(&c.state, &a).await.unwrap().new_path.unwrap();
    assert_eq!(get(&c.app, &path, None).await.0, axum::http::StatusCode::NOT_FOUND);
    assert_eq!(get(&c.app, &replaced, None).await.0, axum::http::StatusCode::OK);
    feed::revoke_feed(&c.state, &a).await.unwrap();
    assert_eq!(get(&c.app, &replaced, None).await.0, axum::http::StatusCode::NOT_FOUND);
}

async fn next_event(body: &mut axum::body::BodyDataStream) -> String {
    let chunk = tokio::time::timeout(StdDuration::from_secs(5), body.next()).await.expect("an event in time");
    String::from_utf8(chunk.expect("the stream goes on").expect("a chunk").to_vec()).expect("UTF-8")
}

#[tokio::test]
async fn the_live_stream_starts_with_the_count_and_follows_changes() {
    use tower::ServiceExt;
    let c = company().await;
    let unauthorised = axum::http::Request::get("/api/live/reminders").body(axum::body::Body::empty()).unwrap();
    assert_eq!(c.app.clone().oneshot(unauthorised).await.unwrap().status(), axum::http::StatusCode::UNAUTHORIZED);
    let session = c.session(REP_A).await;
    let request = axum::http::Request::get("/api/live/reminders")
        .header(axum::http::header::COOKIE, format!("{}={session}", kehu_backend::accounts::sessions::SESSION_COOKIE))
        .body(axum::body::Body::empty())
        .unwrap();
    let response = c.app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), axum::http::StatusCode::OK);
    assert!(response.headers()[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = response.into_body().into_data_stream();
    let first = next_event(&mut body).await;
    assert!(first.contains("event: reminders") && first.contains("data: 1"), "{first}");
    assert!(first.contains("retry: 1000"));
    center::act(&c.state, &c.caller(REP_A), &c.ra, &ReminderAction::Done, None).await.unwrap();
    let second = next_event(&mut body).await;
    assert!(second.contains("data: 0"), "{second}");
    // Stopping the server ends the stream, so a graceful shutdown does not wait on it.
    c.state.live.shutdown();
    let end = tokio::time::timeout(StdDuration::from_secs(5), body.next()).await.expect("the stream ends");
    assert!(end.is_none());
}

#[tokio::test]
async fn a_care_date_reminds_the_owner_and_moves_with_a_merge() {
    let c = company().await;
    let a = c.caller(REP_A);
    // Refused by field, nothing written.
    let bad = CareDateInput { label: "司庆".into(), date: "02-30".into() };
    let Err(AppError::Invalid(errors)) = care_dates::add(&c.state, &a, &c.ca.id, &bad).await else { panic!("must be refused") };
    assert_eq!((errors[0].field.as_str(), errors[0].problem.clone()), ("date", Problem::InvalidDate));
    assert!(care_dates::list(&c.state, &a, &c.ca.id).await.unwrap().is_empty());
    assert_eq!(care_dates::add(&c.state, &c.caller(REP_B), &c.ca.id, &bad).await, Err(AppError::NotFound));
    // 5 December is within the 30 days ahead of 22 November: a care-date reminder is coming.
    let founding = CareDateInput { label: "司庆".into(), date: "12-05".into() };
    let saved = care_dates::add(&c.state, &a, &c.ca.id, &founding).await.unwrap();
    assert_eq!((saved[0].month, saved[0].day), (12, 5));
    let mine = center::mine(&c.state, &a, None).await.unwrap();
    let care_reminder = mine.upcoming.iter().find(|r| r.kind == ReminderKind::CareDate).expect("the care date is coming");
    assert_eq!((care_reminder.subject.as_str(), care_reminder.due), ("司庆", at(2026, 12, 5, 1)));
    // Merged into B's customer: the date and its reminder go with it, to B's owner.
    let boss = c.caller(BOSS);
    merge::merge(&c.state, &boss, &c.cb.id, &c.ca.id).await.unwrap();
    assert_eq!(care_dates::list(&c.state, &boss, &c.cb.id).await.unwrap().len(), 1);
    let theirs = center::mine(&c.state, &c.caller(REP_B), None).await.unwrap();
    assert!(theirs.upcoming.iter().any(|r| r.kind == ReminderKind::CareDate && r.customer_id == c.cb.id));
    assert!(center::mine(&c.state, &a, None).await.unwrap().upcoming.iter().all(|r| r.kind != ReminderKind::CareDate));
    // Removed: its pending reminder goes too.
    let id = care_dates::list(&c.state, &boss, &c.cb.id).await.unwrap()[0].id.clone();
    care_dates::remove(&c.state, &boss, &c.cb.id, &id).await.unwrap();
    let theirs = center::mine(&c.state, &c.caller(REP_B), None).await.unwrap();
    assert!(theirs.upcoming.iter().all(|r| r.kind != ReminderKind::CareDate));
}

#[tokio::test]
async fn a_reminder_counts_as_due_from_its_very_second() {
    // The store's datetime index collates a whole second after that second's fractions
    // (surrealdb#7493): a reminder due at 10:00:00 must still count at 10:00:00.300, and one
    // due at a fraction of a second must count within that second too.
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap();
    let (clock, now) = Clock::manual(at - chrono::Duration::minutes(5));
    let c = company_with(clock).await;
    let customer = surrealdb::types::RecordId::new("customer", c.ca.id.clone());
    let record = |key: &str, due: DateTime<Utc>| ReminderRecord {
        id: reminder_store::reminder_id(key),
        kind: "next_step".into(),
        customer: customer.clone(),
        owner: REP_B.into(),
        subject: key.into(),
        rule_due: due,
        due,
        moved_by: None,
        snoozed: false,
        status: "open".into(),
        created_at: at,
        announce_at: Some(due),
    };
    let fraction = at + chrono::Duration::seconds(30) + chrono::Duration::milliseconds(400);
    reminder_store::sync(&c.state.db, Vec::new(), vec![record("whole", at), record("fraction", fraction)]).await.unwrap();
    *now.lock().unwrap() = at + chrono::Duration::milliseconds(300);
    assert_eq!(center::due_count(&c.state, REP_B).await.unwrap(), 1, "due at the whole second");
    *now.lock().unwrap() = fraction + chrono::Duration::milliseconds(100);
    assert_eq!(center::due_count(&c.state, REP_B).await.unwrap(), 2, "due within its second");
    let told = kehu_backend::reminders::announcer::announce_due(&c.state, *now.lock().unwrap()).await.unwrap();
    assert_eq!(told, [REP_B], "both announced when they fall due");
}

/// The keys of every open reminder the kept list holds, and the store's own, sorted.
async fn kept_and_stored(state: &AppState, owner: &str) -> (Vec<String>, Vec<String>) {
    let far = start() + chrono::Duration::days(3650);
    let keys = |list: &kehu_domain::reminders::open_list::OpenList| {
        let window = list.window(far, far, None, usize::MAX);
        let mut keys = window.due;
        keys.sort();
        keys
    };
    let kept = state.live.open.get(owner).expect("the center's list is kept");
    (keys(&kept), keys(&reminder_store::open_of(&state.db, owner).await.unwrap()))
}

#[tokio::test]
async fn the_center_kept_between_changes_follows_time_passing_and_every_change() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let a = c.caller(REP_A);
    let mine = center::mine(&c.state, &a, None).await.unwrap();
    assert_eq!(mine.due.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [c.ra.as_str()]);
    let upcoming_before = mine.upcoming.len();
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 1, "the badge counts from the kept list");

    // Snoozed to 18:00 Beijing time (two hours on): coming up, and the badge says so at once.
    let mine = center::act(&c.state, &a, &c.ra, &ReminderAction::Snooze { until: "2026-11-22T18:00".into() }, None).await.unwrap();
    assert!(mine.due.is_empty());
    assert_eq!(mine.upcoming[0].id, c.ra);
    assert_eq!(mine.counts.iter().map(|k| k.upcoming).sum::<u32>() as usize, upcoming_before + 1);
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 0);

    // Time passes the snooze with nobody writing anything: the kept list is still kept, and
    // the center and the badge see the reminder due again.
    *now.lock().unwrap() = start() + chrono::Duration::hours(3);
    assert!(c.state.live.open.get(REP_A).is_some());
    let mine = center::mine(&c.state, &a, None).await.unwrap();
    assert_eq!(mine.due.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [c.ra.as_str()]);
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 1);

    // A new customer of rep A with a birthday the day after tomorrow: its reminder is made
    // by the change itself, and the center, kept until then, shows it.
    let customer = service::create(&c.state, &a, &CustomerInput { name: "生日客户".into(), owner: REP_A.into(), ..Default::default() }, false)
        .await
        .unwrap();
    let contact = ContactInput { name: "周洁".into(), birthday: "1991-11-24".into(), ..Default::default() };
    contacts::add_contact(&c.state, &a, &customer.id, &contact).await.unwrap();
    let mine = center::mine(&c.state, &a, Some(ReminderKind::Birthday)).await.unwrap();
    assert_eq!(mine.upcoming.iter().map(|r| (r.subject.as_str(), r.customer_id.as_str())).collect::<Vec<_>>(), [("周洁", customer.id.as_str())]);
    assert!(mine.due.is_empty(), "narrowed to birthdays");
    assert!(mine.counts.iter().any(|k| k.kind == ReminderKind::NextStep && k.due == 1), "the counts cover every kind");

    // Done: gone from the list and the badge.
    let mine = center::act(&c.state, &a, &c.ra, &ReminderAction::Done, None).await.unwrap();
    assert!(mine.due.is_empty());
    assert_eq!(center::due_count(&c.state, REP_A).await.unwrap(), 0);
    let (kept, stored) = kept_and_stored(&c.state, REP_A).await;
    assert_eq!(kept, stored, "the kept list is the store's");
    // Another rep's list is their own.
    center::mine(&c.state, &c.caller(REP_B), None).await.unwrap();
    let (kept, stored) = kept_and_stored(&c.state, REP_B).await;
    assert_eq!(kept, stored);
    assert!(!kept.iter().any(|k| k == &c.ra));
}

#[tokio::test]
async fn a_full_run_hands_reminders_left_with_a_former_owner_to_the_customers_owner() {
    let c = company().await;
    // As a failed refresh after a hand-over would leave them: reminders about rep A's
    // customer still with rep B, one open and one already handled.
    let record = |key: &str, status: &str| ReminderRecord {
        id: reminder_store::reminder_id(key),
        kind: "next_step".into(),
        customer: surrealdb::types::RecordId::new("customer", c.ca.id.clone()),
        owner: REP_B.into(),
        subject: key.into(),
        rule_due: start() - chrono::Duration::hours(2),
        due: start() - chrono::Duration::hours(2),
        moved_by: None,
        snoozed: false,
        status: status.into(),
        created_at: start(),
        announce_at: None,
    };
    reminder_store::sync(&c.state.db, Vec::new(), vec![record("test:astray", "open"), record("test:handled", "done")]).await.unwrap();
    engine::run(&c.state).await.unwrap();
    let owner_of = |key: &'static str| {
        let db = c.state.db.clone();
        async move { reminder_store::get(&db, &reminder_store::reminder_id(key)).await.unwrap().expect("kept").owner }
    };
    assert_eq!(owner_of("test:astray").await, REP_A, "the open one follows its customer");
    assert_eq!(owner_of("test:handled").await, REP_B, "a handled one stays with who had it");
    assert_eq!(owner_of("test:ra").await, REP_A);
    assert!(center::mine(&c.state, &c.caller(REP_B), None).await.unwrap().due.is_empty());
    assert_eq!(center::mine(&c.state, &c.caller(REP_A), None).await.unwrap().due.len(), 2);
}

#[tokio::test]
async fn many_reminders_the_rules_no_longer_make_are_deleted_in_pieces_and_nothing_else() {
    let c = company().await;
    // 1,203 pending reminders no rule makes (more than two pieces of 500), one already due
    // (the fixture's `ra`) and one snoozed: only the pending ones go.
    let record = |key: String, due: DateTime<Utc>, snoozed: bool| ReminderRecord {
        id: reminder_store::reminder_id(&key),
        kind: "next_step".into(),
        customer: surrealdb::types::RecordId::new("customer", c.ca.id.clone()),
        owner: REP_A.into(),
        subject: key.clone(),
        rule_due: due,
        due,
        moved_by: None,
        snoozed,
        status: "open".into(),
        created_at: start(),
        announce_at: None,
    };
    let later = start() + chrono::Duration::days(3);
    let mut stale: Vec<ReminderRecord> = (0..1203).map(|i| record(format!("test:stale{i:04}"), later, false)).collect();
    stale.push(record("test:snoozed".into(), later, true));
    reminder_store::sync(&c.state.db, Vec::new(), stale).await.unwrap();
    let before = row_count(&c.state).await;
    engine::run(&c.state).await.unwrap();
    assert_eq!(row_count(&c.state).await, before - 1203, "every stale one deleted, nothing else");
    let kept = reminder_store::statuses(&c.state.db, vec![reminder_store::reminder_id("test:snoozed"), reminder_store::reminder_id(&c.ra)]).await.unwrap();
    assert_eq!(kept.len(), 2, "the snoozed and the due one stay: {kept:?}");
    let mine = center::mine(&c.state, &c.caller(REP_A), None).await.unwrap();
    assert!(mine.upcoming.iter().all(|r| !r.id.starts_with("test:stale")));
    // A rerun finds nothing more to do.
    engine::run(&c.state).await.unwrap();
    assert_eq!(row_count(&c.state).await, before - 1203);
}
