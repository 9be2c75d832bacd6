//! Do-not-disturb windows against a real store: checked input that writes nothing when
//! wrong, rights, the audit trail, and merges carrying them.

use kehu_backend::reminders::dnd;
use kehu_backend::customers::merge;
use kehu_backend::customers::service;
use kehu_domain::error::{AppError, Problem};
use kehu_domain::reminders::dnd::DndInput;
use kehu_domain::reminders::types::DndRule;

use crate::support::*;

fn week(reason: &str) -> DndInput {
    DndInput { from: "2026-11-23".into(), to: "2026-11-29".into(), reason: reason.into(), ..Default::default() }
}

#[tokio::test]
async fn windows_are_checked_kept_and_audited() {
    let c = company().await;
    let a = c.caller(REP_A);
    let backwards = DndInput { from: "2026-11-29".into(), to: "2026-11-23".into(), ..week("出差") };
    let Err(AppError::Invalid(errors)) = dnd::add(&c.state, &a, &c.ca.id, &backwards).await else { panic!("must be refused") };
    assert_eq!(errors[0].field, "to");
    assert_eq!(errors[0].problem, Problem::EndBeforeStart);
    let both = DndInput { not_before: "09:00".into(), ..week("出差") };
    assert!(matches!(dnd::add(&c.state, &a, &c.ca.id, &both).await, Err(AppError::Invalid(_))));
    assert!(dnd::list(&c.state, &a, &c.ca.id).await.unwrap().is_empty(), "nothing written");

    let saved = dnd::add(&c.state, &a, &c.ca.id, &week("客户出差一周")).await.unwrap();
    assert_eq!(saved.len(), 1);
    assert!(matches!(saved[0].rule, DndRule::Dates { .. }));
    let hours = DndInput { not_before: "09:30".into(), reason: "不要太早打电话".into(), ..Default::default() };
    assert_eq!(dnd::add(&c.state, &a, &c.ca.id, &hours).await.unwrap().len(), 2);
    // Only those who may see the customer see its windows; only its editors change them.
    assert_eq!(dnd::list(&c.state, &c.caller(REP_B), &c.ca.id).await, Err(AppError::NotFound));
    assert_eq!(dnd::list(&c.state, &c.caller(MGR_A), &c.ca.id).await.unwrap().len(), 2);
    assert_eq!(dnd::remove(&c.state, &c.caller(REP_B), &c.ca.id, &saved[0].id).await, Err(AppError::NotFound));
    // A window id from another customer is not found under this one.
    assert_eq!(dnd::remove(&c.state, &c.caller(BOSS), &c.cb.id, &saved[0].id).await, Err(AppError::NotFound));
    assert_eq!(dnd::remove(&c.state, &a, &c.ca.id, &saved[0].id).await.unwrap().len(), 1);
    let history = kehu_backend::store::events::of_customer(&c.state.db, &c.ca.id, &|u: &str| u.to_string()).await.unwrap();
    assert_eq!(history.iter().filter(|h| h.changes.iter().any(|ch| ch.field == "dnd")).count(), 3, "two added, one removed");
}

#[tokio::test]
async fn a_merge_carries_the_windows() {
    let c = company().await;
    let boss = c.caller(BOSS);
    dnd::add(&c.state, &boss, &c.cb.id, &week("春节前不联系")).await.unwrap();
    merge::merge(&c.state, &boss, &c.ca.id, &c.cb.id).await.unwrap();
    let carried = dnd::list(&c.state, &boss, &c.ca.id).await.unwrap();
    assert_eq!(carried.iter().map(|w| w.reason.as_str()).collect::<Vec<_>>(), vec!["春节前不联系"]);
    assert_eq!(service::profile(&c.state, &boss, &c.cb.id).await.map(|_| ()), Err(AppError::NotFound));
}
