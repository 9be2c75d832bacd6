//! One person's data: exported whole, erased everywhere it was kept (the customer, contacts,
//! follow-ups, the history) while orders and deals stay; admins only; the erasure logged
//! without the erased values.

use axum::http::StatusCode;
use kehu_backend::customers::{contacts, personal_data, service};
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;

use crate::support::*;

#[tokio::test]
async fn a_person_is_exported_then_erased_everywhere_but_the_books() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let person = CustomerInput { kind: CustomerKind::Person, name: "张三丰".into(), phone: "13912345678".into(), email: "zsf@example.cn".into(), notes: "喜欢太极".into(), owner: REP_A.into(), ..Default::default() };
    let p = service::create(&c.state, &boss, &person, true).await.unwrap();
    contacts::add_contact(&c.state, &boss, &p.id, &ContactInput { name: "张三丰".into(), phone: "13912345678".into(), birthday: "1970-04-09".into(), ..Default::default() }).await.unwrap();
    let line = kehu_domain::insight::types::OrderLineInput { product_id: c.product.id.clone(), quantity: "1".into(), amount: "5000".into() };
    let order = kehu_domain::insight::types::OrderInput { on: "2026-11-01".into(), order_no: String::new(), carrier: String::new(), lines: vec![line] };
    kehu_backend::insight::orders::add(&c.state, &boss, &p.id, &order).await.unwrap();

    // Admins only: a rep who owns the customer may not.
    assert_eq!(personal_data::export(&c.state, &c.caller(REP_A), &p.id, None).await, Err(AppError::Forbidden));
    assert_eq!(personal_data::erase(&c.state, &c.caller(MGR_A), &p.id, None).await, Err(AppError::Forbidden));
    // A company is not a person: one of its contacts is.
    assert!(matches!(personal_data::export(&c.state, &boss, &c.ca.id, None).await, Err(AppError::Invalid(_))));

    let data = personal_data::export(&c.state, &boss, &p.id, None).await.unwrap().to_string();
    for held in ["张三丰", "13912345678", "zsf@example.cn", "喜欢太极", "1970-04-09", "500000"] {
        assert!(data.contains(held), "{held} missing from the export: {data}");
    }
    let cookie = format!("kehu_session={}", c.session(BOSS).await);
    let (status, headers, body) = get(&c.app, &format!("/api/personal-data/{}", p.id), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("attachment"));
    assert!(body.contains("zsf@example.cn"));

    personal_data::erase(&c.state, &boss, &p.id, None).await.unwrap();
    let after = service::profile(&c.state, &boss, &p.id).await.unwrap();
    assert!(after.customer.name.starts_with("已匿名客户"));
    assert_eq!((after.customer.phone.as_str(), after.customer.email.as_str(), after.customer.notes.as_str()), ("", "", ""));
    assert_eq!((after.contacts[0].phone.as_str(), after.contacts[0].birthday), ("", None));
    assert_eq!(after.orders.len(), 1, "the books keep the order");
    assert_eq!(after.orders[0].total_cents, 500_000);
    // Nothing that named them is left, history included; the erasure is logged without them.
    let everything = personal_data::export(&c.state, &boss, &p.id, None).await.unwrap().to_string();
    for gone in ["张三丰", "13912345678", "zsf@example.cn", "喜欢太极", "1970-04-09"] {
        assert!(!everything.contains(gone), "{gone} still held: {everything}");
    }
    let log = kehu_backend::audit::customer_history(&c.state, &boss, &p.id).await.unwrap();
    assert!(log.iter().any(|e| e.kind == EventKind::PersonalDataErased));
    assert_eq!(service::list(&c.state, &boss, &query("张三丰")).total, 0, "not found by the erased name");
}

#[tokio::test]
async fn a_contact_is_erased_and_the_company_stays() {
    let c = company().await;
    let boss = c.caller(BOSS);
    personal_data::erase(&c.state, &boss, &c.ca.id, Some(&c.contact_a.id)).await.unwrap();
    let after = service::profile(&c.state, &boss, &c.ca.id).await.unwrap();
    assert_eq!(after.customer.name, "甲的客户科技");
    assert_eq!(after.contacts[0].name, "已删除的联系人");
    let history = kehu_backend::audit::customer_history(&c.state, &boss, &c.ca.id).await.unwrap();
    assert!(!serde_json::to_string(&history).unwrap().contains("李娜"));
    assert_eq!(personal_data::erase(&c.state, &boss, &c.ca.id, Some("nobody")).await, Err(AppError::NotFound));
}
