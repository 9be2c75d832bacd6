//! The lead pool: claiming (with limits and races), assigning, returning, automatic
//! recycling with notifications, and merging.

use chrono::Duration;
use kehu_backend::customers::contacts;
use kehu_backend::customers::merge;
use kehu_backend::store::notifications;
use kehu_backend::customers::pool;
use kehu_backend::customers::service;
use kehu_backend::Clock;
use kehu_domain::customers::pool::POOL;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;

use crate::support::*;

#[tokio::test]
async fn claiming_takes_a_pool_customer_once_and_up_to_the_limit() {
    let c = company().await;
    let (a, b) = (c.caller(REP_A), c.caller(REP_B));
    let claimed = pool::claim(&c.state, &a, &c.cp.id).await.unwrap();
    assert_eq!(claimed.owner, REP_A);
    // The second claim loses, and B is told only that it is gone: it is A's now, not B's to see.
    assert_eq!(pool::claim(&c.state, &b, &c.cp.id).await, Err(AppError::NotFound));
    assert_eq!(service::profile(&c.state, &b, &c.cp.id).await, Err(AppError::NotFound));
    // Someone who can still see it (A's manager) learns it is taken.
    assert!(matches!(pool::claim(&c.state, &c.caller(MGR_A), &c.cp.id).await, Err(AppError::Conflict(_))));
    let profile = service::profile(&c.state, &a, &c.cp.id).await.unwrap();
    assert!(profile.timeline[0].summary.contains("领取"), "the claim is on the timeline");

    // A rep at their limit cannot claim.
    let boss = c.caller(BOSS);
    let another = service::create(&c.state, &boss, &CustomerInput { name: "又一个公海客户".into(), ..Default::default() }, false).await.unwrap();
    let mut limited = c.caller(REP_B);
    limited.user.max_customers = 1;
    assert_eq!(pool::claim(&c.state, &limited, &another.id).await, Err(AppError::LimitReached { max: 1 }));
}

#[tokio::test]
async fn returning_needs_a_reason_and_lands_in_the_pool() {
    let c = company().await;
    let a = c.caller(REP_A);
    assert!(matches!(pool::release(&c.state, &a, &c.ca.id, "  ").await, Err(AppError::Invalid(_))));
    let back = pool::release(&c.state, &a, &c.ca.id, "客户已转向竞品").await.unwrap();
    assert_eq!(back.owner, "");
    let in_pool = service::list(&c.state, &c.caller(REP_B), &ListQuery { owner: Some(POOL.into()), ..Default::default() });
    assert!(in_pool.rows.iter().any(|r| r.id == c.ca.id), "now every rep can see and claim it");
    let note = &service::profile(&c.state, &a, &c.ca.id).await.unwrap().timeline[0];
    assert!(note.summary.contains("客户已转向竞品"));
}

#[tokio::test]
async fn untended_customers_are_recycled_and_owners_told() {
    let (clock, now) = Clock::manual(start());
    let c = company_with(clock).await;
    let a = c.caller(REP_A);
    // Rep B follows up their customer on day 20; rep A never touches theirs.
    *now.lock().unwrap() = start() + Duration::days(20);
    let t = TouchpointInput { summary: "电话".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &c.caller(REP_B), &c.cb.id, &t).await.unwrap();
    *now.lock().unwrap() = start() + Duration::days(31);
    let rules = c.state.policy.recycle;
    assert_eq!(pool::recycle_stale(&c.state, &rules).await.unwrap(), 1);
    assert_eq!(service::profile(&c.state, &a, &c.ca.id).await.unwrap().customer.owner, "");
    assert_eq!(service::profile(&c.state, &c.caller(REP_B), &c.cb.id).await.unwrap().customer.owner, REP_B);
    let told = notifications::of_user(&c.state.db, REP_A).await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!((told[0].customer.as_str(), told[0].detail.as_str()), (c.ca.id.as_str(), "30"));
    assert_eq!(notifications::unread_count(&c.state.db, REP_A).await.unwrap(), 1);
    // Running again (a restart, a second tick) changes nothing and tells nobody twice.
    assert_eq!(pool::recycle_stale(&c.state, &rules).await.unwrap(), 0);
    assert_eq!(notifications::of_user(&c.state.db, REP_A).await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_admin_merges_two_records_of_one_customer() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let t = TouchpointInput { summary: "乙那边的跟进".into(), ..Default::default() };
    contacts::add_touchpoint(&c.state, &boss, &c.cb.id, &t).await.unwrap();
    service::add_tag(&c.state, &boss, &c.cb.id, &Tag::new(TagDimension::Value, "VIP")).await.unwrap();
    let merged = merge::merge(&c.state, &boss, &c.ca.id, &c.cb.id).await.unwrap();
    assert!(merged.tags.contains(&Tag::new(TagDimension::Value, "VIP")));
    let profile = service::profile(&c.state, &boss, &c.ca.id).await.unwrap();
    assert!(profile.timeline.iter().any(|t| t.summary == "乙那边的跟进"), "the timeline came along");
    assert_eq!(profile.contacts.len(), 1, "A's contact is still there");
    assert_eq!(service::profile(&c.state, &boss, &c.cb.id).await, Err(AppError::NotFound));
    assert_eq!(service::list(&c.state, &boss, &query("乙的客户")).total, 0);
    assert!(matches!(merge::merge(&c.state, &boss, &c.ca.id, &c.ca.id).await, Err(AppError::Invalid(_))));
}
