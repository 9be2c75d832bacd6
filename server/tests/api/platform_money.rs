//! `/api/v1` for what an ERP books and a service desk asks: a deal's quotes, its contract with
//! the payment plan and payments; a customer's satisfaction surveys; and pages of the longer
//! lists (`limit`, `cursor`, `?fields=`). Today is 2026-11-22 in the fixture.

use axum::http::{header, Method, StatusCode};
use kehu_domain::platform::tokens::TokenScope;
use serde_json::{json, Value};

use crate::platform::{api, token};
use crate::support::*;

const WRITE: &[TokenScope] = &[TokenScope::Read, TokenScope::Write];

fn fields(problem: &Value) -> Vec<String> {
    problem["errors"].as_array().map_or_else(Vec::new, |e| e.iter().map(|x| x["field"].as_str().unwrap_or("").to_string()).collect())
}

#[tokio::test]
async fn quotes_contract_and_payments_of_a_deal() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let quotes = format!("/api/v1/deals/{}/quotes", c.da.id);
    let listed = api(&c.app, Method::GET, &quotes, &rep, &[], None).await;
    assert_eq!(listed.status, StatusCode::OK, "{:?}", listed.body);
    assert_eq!(listed.body["data"][0]["id"], c.qa.id.as_str());
    let one = api(&c.app, Method::GET, &format!("/api/v1/quotes/{}", c.qa.id), &rep, &[], None).await;
    assert_eq!(one.body["number"], c.qa.number.as_str());
    // Deals' money is not for service agents; a colleague's deal is not there at all.
    let agent = token(&c, SVC, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::GET, &quotes, &agent, &[], None).await.status, StatusCode::FORBIDDEN);
    let other = token(&c, REP_B, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::GET, &quotes, &other, &[], None).await.status, StatusCode::NOT_FOUND);

    // A quote with a broken line is refused line by line and nothing is made.
    let broken = r#"{"lines":[{"product":"ERP","quantity":0,"unit_price":"abc"}],"valid_until":"2026-12-31"}"#;
    let refused = api(&c.app, Method::POST, &quotes, &rep, &[], Some(broken)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&refused.body), ["lines.0.quantity", "lines.0.unit_price"]);
    let good = r#"{"lines":[{"product":"ERP","quantity":2,"unit_price":"1000","discount":"10"},{"product":"实施","quantity":1,"unit_price":"500.50"}],"valid_until":"2026-12-31"}"#;
    let made = api(&c.app, Method::POST, &quotes, &rep, &[("idempotency-key", "q-1")], Some(good)).await;
    assert_eq!((made.status, made.body["total"].as_str()), (StatusCode::CREATED, Some("2300.50")), "{:?}", made.body);
    assert_eq!(made.body["lines"][0]["discount"], "10");
    assert_eq!(made.headers[header::LOCATION].to_str().unwrap(), format!("/api/v1/quotes/{}", made.body["id"].as_str().unwrap()));
    let again = api(&c.app, Method::POST, &quotes, &rep, &[("idempotency-key", "q-1")], Some(good)).await;
    assert_eq!(again.body["id"], made.body["id"]);
    assert_eq!(api(&c.app, Method::GET, &quotes, &rep, &[], None).await.body["data"].as_array().unwrap().len(), 2, "made once");

    // The fixture's contract is unsigned; an end before the start changes nothing.
    let contract = format!("/api/v1/deals/{}/contract", c.da.id);
    let before = api(&c.app, Method::GET, &contract, &rep, &[], None).await;
    assert_eq!((before.status, &before.body["signed_on"]), (StatusCode::OK, &Value::Null), "{:?}", before.body);
    let backwards = r#"{"number":"HT-1","amount":"120000","start":"2027-01-01","end":"2026-12-01"}"#;
    let refused = api(&c.app, Method::PUT, &contract, &rep, &[], Some(backwards)).await;
    assert_eq!((refused.status, fields(&refused.body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["end".to_string()]));
    assert_eq!(api(&c.app, Method::GET, &contract, &rep, &[], None).await.body, before.body);
    let signed = r#"{"number":"HT-1","amount":"120000","start":"2027-01-01","end":"2027-12-31","signed_on":"2026-11-20"}"#;
    let saved = api(&c.app, Method::PUT, &contract, &rep, &[], Some(signed)).await;
    assert_eq!((saved.status, saved.body["signed_on"].as_str()), (StatusCode::OK, Some("2026-11-20")), "{:?}", saved.body);
    let deal = api(&c.app, Method::GET, &format!("/api/v1/deals/{}", c.da.id), &rep, &[], None).await;
    assert_eq!(deal.body["contract_signed"], true, "the stage rules see the signed contract");

    // 回款: a payment in the future is refused; one booked twice with its key counts once.
    let payments = format!("{contract}/payments");
    let future = api(&c.app, Method::POST, &payments, &rep, &[], Some(r#"{"date":"2027-01-05","amount":"1000"}"#)).await;
    assert_eq!((future.status, fields(&future.body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["date".to_string()]));
    let paid = r#"{"date":"2026-11-21","amount":"40000"}"#;
    let booked = api(&c.app, Method::POST, &payments, &rep, &[("idempotency-key", "erp-777")], Some(paid)).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{:?}", booked.body);
    let replay = api(&c.app, Method::POST, &payments, &rep, &[("idempotency-key", "erp-777")], Some(paid)).await;
    assert_eq!(replay.body, booked.body);
    let now = api(&c.app, Method::GET, &contract, &rep, &[], None).await;
    assert_eq!((now.body["received"].as_str(), now.body["outstanding"].as_str()), (Some("40000.00"), Some("80000.00")));
    assert_eq!(now.body["payments"].as_array().unwrap().len(), 1);
    let planned = api(&c.app, Method::POST, &format!("{contract}/instalments"), &rep, &[], Some(r#"{"date":"2027-03-01","amount":"80000"}"#)).await;
    assert_eq!((planned.status, planned.body["instalments"][0]["due"].as_str()), (StatusCode::CREATED, Some("2027-03-01")));

    // A deal without a contract has none to read or pay against.
    let new = format!(r#"{{"customer_id":"{}","title":"运维服务","amount":"36000","expected_close":"2027-03-31"}}"#, c.ca.id);
    let fresh = api(&c.app, Method::POST, "/api/v1/deals", &rep, &[], Some(&new)).await;
    let none = format!("/api/v1/deals/{}/contract", fresh.body["id"].as_str().unwrap());
    assert_eq!(api(&c.app, Method::GET, &none, &rep, &[], None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(api(&c.app, Method::POST, &format!("{none}/payments"), &rep, &[], Some(paid)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn surveys_are_sent_and_read_with_the_profiles_checks() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let surveys = format!("/api/v1/customers/{}/surveys", c.ca.id);
    let csat = api(&c.app, Method::POST, &surveys, &rep, &[], Some(r#"{"kind":"csat"}"#)).await;
    assert_eq!((csat.status, fields(&csat.body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["ticket".to_string()]), "CSAT asks about a ticket");
    let sent = api(&c.app, Method::POST, &surveys, &rep, &[("idempotency-key", "nps-1")], Some(r#"{"kind":"nps"}"#)).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{:?}", sent.body);
    assert_eq!((sent.body["survey"]["kind"].as_str(), sent.body["survey"]["status"].as_str()), (Some("nps"), Some("open")));
    assert_eq!(sent.body["mail"], "no_server");
    assert!(sent.body["survey"]["url"].as_str().unwrap().starts_with("http://kehu.test/s/"), "{:?}", sent.body);
    let retried = api(&c.app, Method::POST, &surveys, &rep, &[("idempotency-key", "nps-1")], Some(r#"{"kind":"nps"}"#)).await;
    assert_eq!(retried.body["survey"]["id"], sent.body["survey"]["id"]);
    let too_soon = api(&c.app, Method::POST, &surveys, &rep, &[], Some(r#"{"kind":"nps"}"#)).await;
    assert_eq!((too_soon.status, fields(&too_soon.body)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["survey".to_string()]));
    let listed = api(&c.app, Method::GET, &surveys, &rep, &[], None).await;
    let ids: Vec<&Value> = listed.body["data"].as_array().unwrap().iter().map(|s| &s["id"]).collect();
    assert_eq!(ids, [&sent.body["survey"]["id"]]);
    let other = token(&c, REP_B, WRITE, 30).await;
    assert_eq!(api(&c.app, Method::GET, &surveys, &other, &[], None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn longer_lists_come_in_pages_with_the_fields_asked_for() {
    let c = company().await;
    let rep = token(&c, REP_A, WRITE, 30).await;
    let path = format!("/api/v1/customers/{}/follow-ups", c.ca.id);
    for n in 1..=3 {
        let body = json!({"kind": "call", "summary": format!("第{n}次电话")}).to_string();
        assert_eq!(api(&c.app, Method::POST, &path, &rep, &[], Some(&body)).await.status, StatusCode::CREATED);
    }
    let all = api(&c.app, Method::GET, &path, &rep, &[], None).await;
    let total = all.body["total"].as_u64().unwrap();
    assert!(total >= 3 && all.body["next_cursor"].is_null(), "{:?}", all.body);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = match &cursor {
            None => format!("{path}?limit=2&fields=id,summary"),
            Some(c) => format!("{path}?limit=2&fields=id,summary&cursor={c}"),
        };
        let got = api(&c.app, Method::GET, &page, &rep, &[], None).await;
        assert_eq!(got.status, StatusCode::OK, "{:?}", got.body);
        for item in got.body["data"].as_array().unwrap() {
            let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
            assert_eq!(keys, ["id", "summary"]);
            seen.push(item["id"].clone());
        }
        match got.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let every: Vec<Value> = all.body["data"].as_array().unwrap().iter().map(|x| x["id"].clone()).collect();
    assert_eq!(seen, every, "the pages together are the list, in its order");

    for (query, status) in [("limit=0", 422), ("limit=101", 422), ("fields=id,password", 422), ("cursor=elsewhere", 422), ("limit=many", 400)] {
        let got = api(&c.app, Method::GET, &format!("{path}?{query}"), &rep, &[], None).await;
        assert_eq!(got.status.as_u16(), status, "{query}: {:?}", got.body);
    }
    let orders = api(&c.app, Method::GET, &format!("/api/v1/customers/{}/orders?limit=1", c.ca.id), &rep, &[], None).await;
    assert_eq!(orders.status, StatusCode::OK);
    let tickets = api(&c.app, Method::GET, "/api/v1/tickets?scope=all&limit=1&fields=id", &token(&c, SVC, WRITE, 30).await, &[], None).await;
    assert_eq!(tickets.status, StatusCode::OK, "{:?}", tickets.body);
}
