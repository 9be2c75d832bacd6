//! Exports: only what the caller may see, with the list's filters; formulas defused; the
//! headings read back by the import; every export in the audit log.

use axum::http::StatusCode;
use kehu_backend::customers::service;
use kehu_backend::files::table::read_table;
use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::import::{guess_mapping, ImportField};
use kehu_domain::customers::types::CustomerInput;

use crate::support::*;

#[tokio::test]
async fn an_export_has_what_the_caller_sees_defused_and_logged() {
    let c = company().await;
    let boss = c.caller(BOSS);
    let formula = CustomerInput { name: "=HYPERLINK(\"http://evil\")".into(), owner: REP_A.into(), ..Default::default() };
    service::create(&c.state, &boss, &formula, true).await.unwrap();
    let cookie = format!("kehu_session={}", c.session(REP_A).await);

    let (status, headers, body) = get(&c.app, "/api/export/customers.csv", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().contains("kehu-customers.csv"));
    assert!(body.contains("甲的客户科技") && body.contains("公海里的客户"), "{body}");
    assert!(!body.contains("乙的客户贸易"), "another rep's customer is not the caller's to take out");
    assert!(body.contains("\"'=HYPERLINK"), "a formula is shown, not run: {body}");
    // Headings the import recognises: an export edited in Excel comes back in.
    let table = read_table(body.as_bytes(), None).unwrap();
    let headings = table.rows[0].1.clone().unwrap();
    let mapping = guess_mapping(&headings);
    assert_eq!(mapping[0], Some(ImportField::Name));
    assert!(mapping.contains(&Some(ImportField::Phone)) && mapping.contains(&Some(ImportField::CreditCode)) && mapping.contains(&Some(ImportField::Tags)));

    // The list's filters apply; contacts, deals and orders are those customers' own.
    let (_, _, body) = get(&c.app, &format!("/api/export/customers.csv?q={}", kehu_domain::format::encode_query_value("甲的")), Some(&cookie)).await;
    assert_eq!(body.lines().count(), 2, "{body}");
    let (_, _, contacts) = get(&c.app, "/api/export/contacts.csv", Some(&cookie)).await;
    assert!(contacts.contains("李娜"));
    let (_, _, deals) = get(&c.app, "/api/export/deals.csv", Some(&cookie)).await;
    assert!(deals.contains("ERP 一期") && deals.contains("120000"), "{deals}");
    let rep_b = format!("kehu_session={}", c.session(REP_B).await);
    let (_, _, deals) = get(&c.app, "/api/export/deals.csv", Some(&rep_b)).await;
    assert!(!deals.contains("ERP 一期"));

    // XLSX reads back as the same table.
    let (status, _, _) = get(&c.app, "/api/export/customers.xlsx", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get(&c.app, "/api/export/users.csv", Some(&cookie)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&c.app, "/api/export/customers.csv", None).await.0, StatusCode::UNAUTHORIZED);

    let log = kehu_backend::audit::log(&c.state, &boss).await.unwrap();
    let exports: Vec<_> = log.iter().filter(|e| e.kind == EventKind::Exported).collect();
    assert_eq!(exports.len(), 6, "every export is in the log");
    assert!(exports.iter().any(|e| e.actor == REP_A && e.changes.iter().any(|ch| ch.field == "filter" && ch.after.contains("q="))));
    assert!(exports.iter().all(|e| e.changes.iter().any(|ch| ch.field == "rows")));
}

#[tokio::test]
async fn an_xlsx_export_reads_back_as_a_workbook() {
    let c = company().await;
    let cookie = format!("kehu_session={}", c.session(BOSS).await);
    let response = {
        use tower::ServiceExt;
        let request = axum::http::Request::get("/api/export/customers.xlsx").header(axum::http::header::HOST, "kehu.test").header(axum::http::header::COOKIE, cookie).body(axum::body::Body::empty()).unwrap();
        c.app.clone().oneshot(request).await.unwrap()
    };
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    let table = read_table(&bytes, None).unwrap();
    assert_eq!(table.rows.len(), 4, "headings and three customers");
    assert_eq!(table.rows[0].1.as_ref().unwrap()[0], "客户名称");
}

/// Contacts leave as vCard 4.0, with their customer's address, and come back in through the
/// import as the same people.
#[tokio::test]
async fn contacts_round_trip_as_vcards() {
    use kehu_backend::customers::import;
    use kehu_domain::customers::import::{DedupeKey, ImportField, ImportMode, ImportSettings};
    let c = company().await;
    let boss = c.caller(BOSS);
    let placed = CustomerInput { address: "北京市海淀区中关村大街 1 号".into(), ..CustomerInput::from_customer(&c.ca) };
    service::update(&c.state, &boss, &c.ca.id, &placed, c.ca.version, false).await.unwrap();
    let cookie = format!("kehu_session={}", c.session(BOSS).await);
    let (status, headers, cards) = get(&c.app, "/api/export/contacts.vcf", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/vcard"));
    assert!(cards.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:李娜\r\nORG:甲的客户科技"), "{cards}");
    assert!(cards.contains("ADR;TYPE=work:;;北京市海淀区中关村大街 1 号;;;;\r\n"), "the customer's address is the card's: {cards}");
    // The sheet has it too, under a heading the import reads as the address.
    let (_, _, csv) = get(&c.app, "/api/export/contacts.csv", Some(&cookie)).await;
    let table = read_table(csv.as_bytes(), None).unwrap();
    let column = guess_mapping(table.rows[0].1.as_ref().unwrap()).iter().position(|f| *f == Some(ImportField::Address)).expect("an address column");
    assert_eq!(table.rows[1].1.as_ref().unwrap()[column], "北京市海淀区中关村大街 1 号", "{csv}");
    // Into a fresh company: the card's organisation becomes the customer, the person its
    // contact, the card's address the customer's.
    let other = company().await;
    let boss = other.caller(BOSS);
    let preview = import::preview(&other.state, cards.as_bytes(), "").await.unwrap();
    assert!(preview.mapping.contains(&Some(ImportField::Address)), "{:?}", preview.mapping);
    let settings = ImportSettings { mapping: preview.mapping.clone(), mode: ImportMode::CreateAndFill, keys: vec![DedupeKey::Name], ..Default::default() };
    let dry = import::dry_run(&other.state, &boss, cards.as_bytes(), &settings).await.unwrap();
    assert_eq!((dry.counts.update, dry.counts.create), (1, 0), "the same company, recognised by name: {dry:?}");
    assert_eq!(get(&c.app, "/api/export/deals.vcf", Some(&cookie)).await.0, StatusCode::NOT_FOUND);
}
