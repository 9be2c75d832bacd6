//! Visit check-in (外勤签到) against a real store: a visit carries the phone's position from the
//! page and from the outbox, a call or an impossible position is refused and nothing is
//! logged; a day's visits are the rep's own, the manager's team's, everyone's for the admin.

use axum::http::StatusCode;
use kehu_backend::customers::service;
use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::customers::types::{GeoPoint, Touchpoint, TouchpointInput, TouchpointKind};
use kehu_domain::customers::visits::DayVisits;
use kehu_domain::error::AppError;
use kehu_ui::customers::api::{DayVisits as DayVisitsFn, LogFollowUp};
use leptos::server_fn::ServerFn;
use serde_json::json;

use crate::support::*;

const SHANGHAI: GeoPoint = GeoPoint { lat: 31.2304, lng: 121.4737, accuracy_m: 25 };

fn visit(key: &str, customer: &str, user: &str, kind: TouchpointKind, position: Option<GeoPoint>) -> serde_json::Value {
    let follow_up = KeyedFollowUp {
        key: key.into(),
        customer_id: customer.into(),
        customer_name: String::new(),
        user: user.into(),
        input: TouchpointInput { kind, summary: "上门拜访，见了采购".into(), position, ..Default::default() },
        written_at: start(),
    };
    json!({ "follow_up": follow_up })
}

async fn day_of(c: &Company, user: &str, day: &str) -> (StatusCode, String) {
    let session = c.session(user).await;
    call(&c.app, DayVisitsFn::PATH, Some(&session), json!({ "day": day })).await
}

fn visits(body: &str) -> DayVisits {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn a_visit_is_checked_in_where_the_phone_was() {
    let c = company().await;
    let session = c.session(REP_A).await;
    let (status, body) = call(&c.app, LogFollowUp::PATH, Some(&session), visit("check-in-key-0001", &c.ca.id, REP_A, TouchpointKind::Visit, Some(SHANGHAI))).await;
    assert!(status.is_success(), "{body}");
    let logged: Touchpoint = serde_json::from_str(&body).unwrap();
    assert_eq!(logged.position, Some(SHANGHAI));
    let profile = service::profile(&c.state, &c.caller(BOSS), &c.ca.id).await.unwrap();
    assert_eq!(profile.timeline.iter().find(|t| t.id == logged.id).and_then(|t| t.position), Some(SHANGHAI), "kept in the store");

    // From the outbox too (written offline, sent later).
    let (status, body) = call(&c.app, "/api/outbox/follow-ups", Some(&session), visit("check-in-key-0002", &c.ca.id, REP_A, TouchpointKind::Visit, Some(SHANGHAI))["follow_up"].clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // A call does not check in, and a position off the globe is no position: refused, nothing logged.
    let before = service::profile(&c.state, &c.caller(BOSS), &c.ca.id).await.unwrap().timeline.len();
    for (key, kind, at) in [
        ("check-in-key-0003", TouchpointKind::Call, SHANGHAI),
        ("check-in-key-0004", TouchpointKind::Visit, GeoPoint { lat: 95.0, ..SHANGHAI }),
    ] {
        let (status, body) = call(&c.app, LogFollowUp::PATH, Some(&session), visit(key, &c.ca.id, REP_A, kind, Some(at))).await;
        assert!(matches!(error_of(status, &body), Some(AppError::Invalid(ref f)) if f[0].field == "position"), "{body}");
    }
    assert_eq!(service::profile(&c.state, &c.caller(BOSS), &c.ca.id).await.unwrap().timeline.len(), before);
}

#[tokio::test]
async fn a_days_visits_are_seen_by_whom_they_concern() {
    let c = company().await;
    let a = c.session(REP_A).await;
    let b = c.session(REP_B).await;
    let (s1, b1) = call(&c.app, LogFollowUp::PATH, Some(&a), visit("day-visit-key-0001", &c.ca.id, REP_A, TouchpointKind::Visit, Some(SHANGHAI))).await;
    let (s2, b2) = call(&c.app, LogFollowUp::PATH, Some(&b), visit("day-visit-key-0002", &c.cb.id, REP_B, TouchpointKind::Visit, None)).await;
    let (s3, b3) = call(&c.app, LogFollowUp::PATH, Some(&a), visit("day-visit-key-0003", &c.ca.id, REP_A, TouchpointKind::Call, None)).await;
    assert!(s1.is_success() && s2.is_success() && s3.is_success(), "{b1} {b2} {b3}");

    let day = start().date_naive().to_string();
    let names = |body: &str| -> Vec<String> { visits(body).visits.into_iter().map(|v| format!("{}:{}", v.by, v.customer_name)).collect() };
    let (_, body) = day_of(&c, REP_A, &day).await;
    assert_eq!(names(&body), vec![format!("{REP_A}:甲的客户科技")], "own visits only, and no call");
    assert_eq!(visits(&body).visits[0].position, Some(SHANGHAI));
    let (_, body) = day_of(&c, MGR_A, &day).await;
    assert_eq!(names(&body), vec![format!("{REP_A}:甲的客户科技")], "the team's");
    let (_, body) = day_of(&c, MGR_B, &day).await;
    assert_eq!(names(&body), vec![format!("{REP_B}:乙的客户贸易")]);
    let (_, body) = day_of(&c, BOSS, &day).await;
    assert_eq!(visits(&body).visits.len(), 2, "everyone's");
    let (_, body) = day_of(&c, SVC, &day).await;
    assert!(visits(&body).visits.is_empty());
    // Another day has none; an empty day is today; a day that is not a date is refused.
    let (_, body) = day_of(&c, BOSS, "2026-11-21").await;
    assert!(visits(&body).visits.is_empty());
    let (_, body) = day_of(&c, BOSS, "").await;
    assert_eq!(visits(&body).day, Some(start().date_naive()));
    let (status, body) = day_of(&c, BOSS, "2026-13-40").await;
    assert!(matches!(error_of(status, &body), Some(AppError::Invalid(ref f)) if f[0].field == "day"), "{body}");
}
