//! The role × action matrix: every server function, called over HTTP as nobody, rep A,
//! rep B, the manager of A's team, the manager of the other team, the admin, and a service
//! agent (客服) of A's team. Each case
//! runs on a fresh company so one case's changes cannot decide another's outcome.

use kehu_ui::accounts::api::*;
use kehu_ui::audit::api::*;
use kehu_ui::customers::api::*;
use kehu_domain::customers::types::*;
use kehu_domain::error::AppError;
use kehu_ui::notifications::api::*;
use kehu_ui::pipeline::api::*;
use kehu_domain::pipeline::types::*;
use kehu_ui::reminders::api::*;
use kehu_ui::insight::api::*;
use kehu_ui::aftersales::api::*;
use kehu_ui::targets::api::*;
use kehu_ui::today::api::*;
use kehu_domain::insight::types::{OrderInput, OrderLineInput, ProductInput, ReportKind};
use leptos::server_fn::ServerFn;
use serde_json::{json, Value};

use crate::support::*;

/// Who calls, in the order of the expectation strings below.
const CALLERS: [Option<&str>; 7] = [None, Some(REP_A), Some(REP_B), Some(MGR_A), Some(MGR_B), Some(BOSS), Some(SVC)];

/// One expected outcome: Y allowed, U not signed in, N not found, F forbidden, I refused by
/// a field.
fn outcome(status: axum::http::StatusCode, body: &str) -> char {
    match error_of(status, body) {
        None => 'Y',
        Some(AppError::Unauthorized) => 'U',
        Some(AppError::NotFound) => 'N',
        Some(AppError::Forbidden) => 'F',
        Some(AppError::Invalid(_)) => 'I',
        Some(other) => panic!("unexpected error {other:?}"),
    }
}

type Args = fn(&Company) -> Value;

fn deal_input(customer: &str) -> DealInput {
    DealInput { customer_id: customer.into(), title: "新商机".into(), expected_close: "2026-12-31".into(), ..Default::default() }
}

/// A follow-up as the profile page sends it, with a key of its own.
fn follow_up(customer: &str) -> Value {
    let key = format!("access-{customer}-{}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0));
    json!({ "follow_up": { "key": key, "customer_id": customer, "user": "", "input": TouchpointInput { summary: "电话".into(), ..Default::default() }, "written_at": chrono::Utc::now() } })
}

fn cases() -> Vec<(&'static str, &'static str, Args, &'static str)> {
    vec![
        ("list customers", ListCustomers::PATH, |_| json!({ "query": ListQuery::default() }), "UYYYYYY"),
        ("facets", CustomerFacets::PATH, |_| json!({}), "UYYYYYY"),
        ("profile of A's customer", GetProfile::PATH, |c| json!({ "id": c.ca.id }), "UYNYNYN"),
        ("profile of a pool customer", GetProfile::PATH, |c| json!({ "id": c.cp.id }), "UYYYYYY"),
        ("find duplicates", FindDuplicates::PATH, |_| json!({ "name": "甲的客户科技", "phone": "", "email": "", "exclude": null }), "UYYYYYY"),
        ("create customer", CreateCustomer::PATH, |_| json!({ "input": CustomerInput { name: "新客户".into(), ..Default::default() }, "confirmed_not_duplicate": false }), "UYYYYYY"),
        ("edit A's customer", UpdateCustomer::PATH, |c| json!({ "id": c.ca.id, "input": CustomerInput::from_customer(&c.ca), "version": c.ca.version, "confirmed_not_duplicate": false }), "UYNYNYN"),
        ("tag A's customer", AddTag::PATH, |c| json!({ "id": c.ca.id, "tag": Tag::new(TagDimension::Value, "VIP") }), "UYNYNYN"),
        ("untag A's customer", RemoveTag::PATH, |c| json!({ "id": c.ca.id, "tag": Tag::new(TagDimension::Value, "VIP") }), "UYNYNYN"),
        ("add contact to A's customer", AddContact::PATH, |c| json!({ "customer_id": c.ca.id, "input": ContactInput { name: "新人".into(), ..Default::default() } }), "UYNYNYN"),
        ("edit A's contact", UpdateContact::PATH, |c| json!({ "customer_id": c.ca.id, "contact_id": c.contact_a.id, "input": ContactInput { name: "改名".into(), ..Default::default() } }), "UYNYNYN"),
        ("remove A's contact", RemoveContact::PATH, |c| json!({ "customer_id": c.ca.id, "contact_id": c.contact_a.id }), "UYNYNYN"),
        ("follow up A's customer", LogFollowUp::PATH, |c| follow_up(&c.ca.id), "UYNYNYN"),
        ("follow up a pool customer unclaimed", LogFollowUp::PATH, |c| follow_up(&c.cp.id), "UFFYYYF"),
        ("claim from the pool", ClaimCustomer::PATH, |c| json!({ "id": c.cp.id }), "UYYYYYF"),
        ("assign a pool customer to rep A", AssignCustomer::PATH, |c| json!({ "id": c.cp.id, "to": REP_A }), "UFFYFYF"),
        ("return A's customer to the pool", ReleaseCustomer::PATH, |c| json!({ "id": c.ca.id, "reason": "不再跟进" }), "UYNYNYN"),
        ("merge B's customer into A's", MergeCustomers::PATH, |c| json!({ "into": c.ca.id, "from": c.cb.id }), "UFFFFYF"),
        ("load demo data", LoadDemoData::PATH, |_| json!({}), "UFFFFYF"),
        ("list users", ListUsers::PATH, |_| json!({}), "UYYYYYY"),
        ("list teams", ListTeams::PATH, |_| json!({}), "UYYYYYY"),
        ("create user", CreateUser::PATH, |_| json!({ "input": { "username": "newbie", "display_name": "新人", "role": "rep", "team": null, "region": "", "max_customers": 10, "password": PASSWORD } }), "UFFFFYF"),
        ("edit user", UpdateUser::PATH, |_| json!({ "input": { "username": REP_A, "display_name": "改名", "role": "rep", "team": "east", "region": "", "max_customers": 10, "password": "" } }), "UFFFFYF"),
        ("deactivate user", DeactivateUser::PATH, |_| json!({ "username": REP_B, "handover": "ToPool" }), "UFFFFYF"),
        ("create team", CreateTeam::PATH, |_| json!({ "name": "西部组" }), "UFFFFYF"),
        ("history of A's customer", CustomerHistory::PATH, |c| json!({ "id": c.ca.id }), "UFFYNYF"),
        ("audit log", AuditLog::PATH, |_| json!({}), "UFFYYYF"),
        ("my day", MyDay::PATH, |_| json!({}), "UYYYYYY"),
        ("a day's visits", DayVisits::PATH, |_| json!({ "day": "" }), "UYYYYYY"),
        ("notifications", MyNotifications::PATH, |_| json!({}), "UYYYYYY"),
        ("mark notifications read", MarkNotificationsRead::PATH, |_| json!({}), "UYYYYYY"),
        ("change my password (wrong current)", ChangePassword::PATH, |_| json!({ "current": "not my password", "new_password": "a brand new secret" }), "UIIIIII"),
        ("the board", GetBoard::PATH, |_| json!({ "query": BoardQuery::default() }), "UYYYYYF"),
        ("conversion report", GetFunnel::PATH, |_| json!({ "from": "2026-01-01", "to": "2026-12-31" }), "UYYYYYF"),
        ("deals of A's customer", CustomerDeals::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYF"),
        ("A's deal", GetDeal::PATH, |c| json!({ "id": c.da.id }), "UYNYNYF"),
        ("quote of A's deal", GetQuote::PATH, |c| json!({ "id": c.qa.id }), "UYNYNYF"),
        ("new deal for A's customer", CreateDeal::PATH, |c| json!({ "input": deal_input(&c.ca.id) }), "UYNYNYN"),
        ("new deal for a pool customer", CreateDeal::PATH, |c| json!({ "input": deal_input(&c.cp.id) }), "UFFYYYF"),
        ("edit A's deal", UpdateDeal::PATH, |c| json!({ "id": c.da.id, "input": deal_input(&c.ca.id), "version": c.da.version }), "UYNYNYN"),
        ("move A's deal", MoveDeal::PATH, |c| json!({ "id": c.da.id, "stage": "needs", "version": c.da.version }), "UYNYNYN"),
        ("lose A's deal", CloseDeal::PATH, |c| json!({ "id": c.da.id, "won": false, "reason": "预算取消", "version": c.da.version }), "UYNYNYN"),
        ("tick A's playbook", TickPlaybook::PATH, |c| json!({ "id": c.da.id, "stage": "contact", "index": 0, "on": true }), "UYNYNYN"),
        ("quote A's deal", AddQuote::PATH, |c| json!({ "deal_id": c.da.id, "input": { "lines": [{ "product": "OA", "quantity": "2", "unit_price": "100", "discount": "" }], "valid_until": "2026-12-31" } }), "UYNYNYN"),
        ("contract of A's deal", SaveContract::PATH, |c| json!({ "deal_id": c.da.id, "input": { "number": "HT-2", "amount": "1", "start": "2027-01-01", "end": "2027-02-01", "signed_on": "" } }), "UYNYNYN"),
        ("payment on A's contract", AddContractMoney::PATH, |c| json!({ "deal_id": c.da.id, "input": { "date": "2026-11-01", "amount": "100" }, "received": true }), "UYNYNYN"),
        ("do-not-disturb of A's customer", CustomerDnd::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYN"),
        ("add do-not-disturb to A's customer", AddDnd::PATH, |c| json!({ "customer_id": c.ca.id, "input": { "from": "", "to": "", "not_before": "09:00", "not_after": "18:00", "reason": "只在工作时间联系" } }), "UYNYNYN"),
        ("remove a window that is not there", RemoveDnd::PATH, |c| json!({ "customer_id": c.ca.id, "window_id": "nope" }), "UNNNNNN"),
        ("care dates of A's customer", CustomerCareDates::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYN"),
        ("add a care date to A's customer", AddCareDate::PATH, |c| json!({ "customer_id": c.ca.id, "input": { "label": "春节", "date": "02-17" } }), "UYNYNYN"),
        ("remove a care date that is not there", RemoveCareDate::PATH, |c| json!({ "customer_id": c.ca.id, "care_date_id": "nope" }), "UNNNNNN"),
        ("my reminders", ListReminders::PATH, |_| json!({}), "UYYYYYY"),
        ("dismiss A's reminder", HandleReminder::PATH, |c| json!({ "id": c.ra, "action": { "type": "dismiss" } }), "UYNYNYN"),
        ("snooze a reminder that is not there", HandleReminder::PATH, |_| json!({ "id": "nope", "action": { "type": "snooze", "until": "2026-12-01T09:00" } }), "UNNNNNN"),
        ("products", ListProducts::PATH, |_| json!({}), "UYYYYYY"),
        ("add a product", SaveProduct::PATH, |_| json!({ "id": "", "input": ProductInput { name: "OA".into(), category: "软件".into(), price: "9800".into() } }), "UFFYYYF"),
        ("orders of A's customer", CustomerOrders::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYN"),
        ("add an order to A's customer", AddOrder::PATH, |c| json!({ "customer_id": c.ca.id, "input": OrderInput { on: "2026-11-01".into(), order_no: String::new(), carrier: String::new(), lines: vec![OrderLineInput { product_id: c.product.id.clone(), quantity: "1".into(), amount: "100".into() }] } }), "UYNYNYN"),
        ("remove an order that is not there", RemoveOrder::PATH, |c| json!({ "customer_id": c.ca.id, "order_id": "nope" }), "UNNNNNN"),
        ("insight of A's customer", LoadCustomerInsight::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYN"),
        ("insight overview", LoadInsightOverview::PATH, |_| json!({ "window_days": 365 }), "UYYYYYY"),
        ("forecast", RevenueForecast::PATH, |_| json!({}), "UYYYYYF"),
        ("a report", GetReport::PATH, |_| json!({ "kind": ReportKind::Channels }), "UYYYYYY"),
        ("competitors", ListCompetitors::PATH, |_| json!({}), "UYYYYYY"),
        ("add a competitor", AddCompetitor::PATH, |_| json!({ "input": { "name": "用友", "aliases": "Yonyou" } }), "UFFYYYF"),
        ("remove a competitor that is not there", RemoveCompetitor::PATH, |_| json!({ "id": "nope" }), "UFFNNNF"),
        ("competitor report", LoadCompetitorReport::PATH, |_| json!({}), "UYYYYYY"),
        ("reminder rules", ReminderSettings::PATH, |_| json!({}), "UFFFFYF"),
        ("save reminder rules", SaveReminderSettings::PATH, |_| json!({ "input": kehu_domain::reminders::settings::SettingsInput::from(&kehu_domain::reminders::settings::RuleSettings::default()) }), "UFFFFYF"),
        ("my calendar feed", CalendarFeedStatus::PATH, |_| json!({}), "UYYYYYY"),
        ("new calendar feed", NewCalendarFeed::PATH, |_| json!({}), "UYYYYYY"),
        ("revoke calendar feed", RevokeCalendarFeed::PATH, |_| json!({}), "UYYYYYY"),
        ("tickets of A's customer", CustomerTickets::PATH, |c| json!({ "customer_id": c.ca.id }), "UYNYNYN"),
        ("open a ticket on A's customer", OpenTicket::PATH, |c| json!({ "customer_id": c.ca.id, "input": { "title": "无法登录", "description": "", "kind": "incident", "priority": "high", "category": "", "assignee": "" } }), "UYNYNYN"),
        ("work a ticket that is not there", ActOnTicket::PATH, |_| json!({ "ticket_id": "nope", "action": { "Note": { "body": "看看", "to_customer": false } } }), "UNNNNNN"),
        ("ticket form choices", TicketFormChoices::PATH, |_| json!({}), "UYYYYYY"),
        ("ticket queue", TicketQueue::PATH, |_| json!({ "scope": "all" }), "UYYYYYY"),
        ("after-sales settings", ServiceSettings::PATH, |_| json!({}), "UYYYYYY"),
        ("save after-sales settings", SaveServiceSettings::PATH, |_| json!({ "input": kehu_domain::service::settings::settings_input(&Default::default()) }), "UFFFFYF"),
        ("targets grid", GetTargets::PATH, |_| json!({ "year": 2026, "metric": "signed" }), "UYYYYYF"),
        ("set team east's target", SetTarget::PATH, |_| json!({ "input": { "metric": "signed", "holder": "team:east", "period": "2026", "amount": "500000" } }), "UNNYNYN"),
        ("set rep A's target", SetTarget::PATH, |_| json!({ "input": { "metric": "follow_ups", "holder": "person:rep_a", "period": "2026-12", "amount": "40" } }), "UFNYNYN"),
        ("set region 华东's target", SetTarget::PATH, |_| json!({ "input": { "metric": "signed", "holder": "region:华东", "period": "2026", "amount": "900000" } }), "UNNFNYN"),
        ("cascade the company's missing target", CascadeTarget::PATH, |_| json!({ "input": { "metric": "signed", "holder": "company", "year": 2026, "into_months": true, "into_children": false, "by_last_year": false } }), "UNNNNIN"),
        ("performance", GetPerformance::PATH, |_| json!({ "period": "2026-11" }), "UYYYYYF"),
        ("save performance settings", SavePerformanceSettings::PATH, |_| json!({ "input": { "weights": [["signed", "50"], ["collected", "50"]], "warn_from_day": "10", "warn_behind_points": "15", "silence_days": "3" } }), "UFFFFYF"),
        ("activity of A's team", GetActivity::PATH, |_| json!({ "holder": "team:east", "period": "2026-11" }), "UNNYNYF"),
        ("who am I", CurrentUser::PATH, |_| json!({}), "YYYYYYY"),
        ("sign out", Logout::PATH, |_| json!({}), "YYYYYYY"),
    ]
}

/// Server functions that change nothing: one company serves every caller of these.
const READS: [&str; 44] = [
    "targets grid",
    "performance",
    "activity of A's team",
    "tickets of A's customer",
    "work a ticket that is not there",
    "ticket form choices",
    "ticket queue",
    "after-sales settings",
    "competitors",
    "remove a competitor that is not there",
    "competitor report",
    "products",
    "orders of A's customer",
    "remove an order that is not there",
    "insight of A's customer",
    "insight overview",
    "forecast",
    "a report",
    "care dates of A's customer",
    "remove a care date that is not there",
    "my reminders",
    "snooze a reminder that is not there",
    "reminder rules",
    "my calendar feed",
    "do-not-disturb of A's customer",
    "remove a window that is not there",
    "the board",
    "conversion report",
    "deals of A's customer",
    "A's deal",
    "quote of A's deal",
    "list customers",
    "facets",
    "profile of A's customer",
    "profile of a pool customer",
    "find duplicates",
    "list users",
    "list teams",
    "history of A's customer",
    "audit log",
    "notifications",
    "who am I",
    "my day",
    "a day's visits",
];

#[tokio::test]
async fn every_server_function_respects_every_role() {
    let mut failures = Vec::new();
    let shared = company().await;
    for (name, path, args, expected) in cases() {
        for (caller, want) in CALLERS.iter().zip(expected.chars()) {
            let fresh;
            let c = if READS.contains(&name) {
                &shared
            } else {
                fresh = company().await;
                &fresh
            };
            let session = match caller {
                Some(user) => Some(c.session(user).await),
                None => None,
            };
            let (status, body) = call(&c.app, path, session.as_deref(), args(&c)).await;
            let got = outcome(status, &body);
            if got != want {
                failures.push(format!("{name} as {}: expected {want}, got {got} ({body})", caller.unwrap_or("nobody")));
            }
        }
    }
    assert!(failures.is_empty(), "{} wrong outcomes:\n{}", failures.len(), failures.join("\n"));
}

#[tokio::test]
async fn lists_and_counts_hold_only_what_the_caller_may_see() {
    let c = company().await;
    let totals: Vec<(String, u64)> = {
        let mut out = Vec::new();
        for user in [REP_A, REP_B, MGR_A, MGR_B, BOSS] {
            let session = c.session(user).await;
            let (status, body) = call(&c.app, ListCustomers::PATH, Some(&session), json!({ "query": ListQuery::default() })).await;
            assert!(status.is_success(), "{body}");
            let page: CustomerPage = serde_json::from_str(&body).unwrap();
            out.push((user.to_string(), page.total));
        }
        out
    };
    // A sees their own and the pool; so does B; each manager sees their team's (and their
    // region's) and the pool; the admin sees all three.
    assert_eq!(totals, vec![(REP_A.into(), 2), (REP_B.into(), 2), (MGR_A.into(), 2), (MGR_B.into(), 2), (BOSS.into(), 3)]);

    // Searching for the other rep's customer finds nothing, not even a count.
    let session = c.session(REP_B).await;
    let (_, body) = call(&c.app, ListCustomers::PATH, Some(&session), json!({ "query": query("甲的客户") })).await;
    assert_eq!(serde_json::from_str::<CustomerPage>(&body).unwrap().total, 0);
    // Nor do the filter menus mention rep A.
    let (_, body) = call(&c.app, CustomerFacets::PATH, Some(&session), json!({})).await;
    let facets: ListFacets = serde_json::from_str(&body).unwrap();
    assert!(facets.owners.iter().all(|(u, _)| u != REP_A));
}

/// The plain routes (not server functions) as every caller: the order and customer imports and their status,
/// report downloads, the calendar feed (its secret is the only credential), the live badge's
/// stream and health. Each caller gets a fresh company, since an import writes.
#[tokio::test]
async fn every_plain_route_respects_every_role() {
    use axum::body::Body;
    use axum::http::{header, Request};
    use tower::ServiceExt;
    let routes: [(&str, &str, &str, [u16; 6]); 11] = [
        ("POST", "/api/import/orders", "customer,date,product,quantity,amount\n甲的客户科技,2026-11-01,ERP,1,100\n", [401, 202, 202, 202, 202, 202]),
        ("GET", "/api/import/orders/nope", "", [401, 404, 404, 404, 404, 404]),
        ("POST", "/api/import/customers/preview", "客户名称\n某公司\n", [401, 200, 200, 200, 200, 200]),
        ("POST", "/api/import/customers/check?settings=%7B%22mapping%22%3A%5B%22name%22%5D%2C%22mode%22%3A%22create_only%22%2C%22keys%22%3A%5B%5D%2C%22default_owner%22%3A%22%22%2C%22default_tags%22%3A%22%22%7D", "客户名称\n某公司\n", [401, 200, 200, 200, 200, 200]),
        ("POST", "/api/import/customers/errors?settings=%7B%22mapping%22%3A%5B%22name%22%5D%2C%22mode%22%3A%22create_only%22%2C%22keys%22%3A%5B%5D%2C%22default_owner%22%3A%22%22%2C%22default_tags%22%3A%22%22%7D", "客户名称\n某公司\n", [401, 200, 200, 200, 200, 200]),
        ("POST", "/api/import/customers?settings=%7B%22mapping%22%3A%5B%22name%22%5D%2C%22mode%22%3A%22create_only%22%2C%22keys%22%3A%5B%5D%2C%22default_owner%22%3A%22%22%2C%22default_tags%22%3A%22%22%7D", "客户名称\n某公司\n", [401, 202, 202, 202, 202, 202]),
        ("GET", "/api/import/customers/nope", "", [401, 404, 404, 404, 404, 404]),
        ("GET", "/api/reports/channels.csv", "", [401, 200, 200, 200, 200, 200]),
        ("GET", "/calendar/0000000000000000000000000000000000000000000000000000000000000000.ics", "", [404; 6]),
        ("GET", "/api/live/reminders", "", [401, 200, 200, 200, 200, 200]),
        ("GET", "/healthz", "", [200; 6]),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in routes {
        for (caller, want) in CALLERS.iter().zip(expected) {
            let c = company().await;
            let mut request = Request::builder().method(method).uri(path).header(header::HOST, "kehu.test").header(header::ORIGIN, "http://kehu.test");
            if let Some(user) = caller {
                request = request.header(header::COOKIE, format!("kehu_session={}", c.session(user).await));
            }
            let response = c.app.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
            if response.status().as_u16() != want {
                failures.push(format!("{method} {path} as {}: expected {want}, got {}", caller.unwrap_or("nobody"), response.status()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
