//! Customer 360 services: create, search, edit with version check, duplicates, tags,
//! contacts, timeline, audit history, persistence.

use kehu_backend::customers::contacts;
use kehu_backend::customers::demo;
use kehu_backend::store::events as event_store;
use kehu_backend::customers::service;
use kehu_backend::AppState;
use kehu_domain::customers::types::*;
use kehu_domain::error::{AppError, Problem};

use crate::support::*;

fn company_input(name: &str) -> CustomerInput {
    CustomerInput { name: name.into(), region: "华东".into(), ..Default::default() }
}

#[tokio::test]
async fn create_then_list_search_and_profile() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let created = service::create(&c.state, &rep, &company_input("  张三科技有限公司 "), false).await.unwrap();
    assert_eq!((created.name.as_str(), created.owner.as_str(), created.owner_name.as_str()), ("张三科技有限公司", REP_A, "销售甲"));
    assert_eq!(created.version, 1);
    service::create(&c.state, &rep, &CustomerInput { kind: CustomerKind::Person, ..company_input("Zhang Wei") }, false).await.unwrap();

    let page = service::list(&c.state, &rep, &query("科技"));
    // The fixed clock gives both the same update time, so their order is by id: compare sorted.
    let mut names: Vec<&str> = page.rows.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["张三科技有限公司", "甲的客户科技"]);
    assert!(page.rows.iter().all(|r| r.owner_name == "销售甲"));
    assert_eq!(service::list(&c.state, &rep, &query("zhang")).rows[0].name, "Zhang Wei");

    let profile = service::profile(&c.state, &rep, &created.id).await.unwrap();
    assert_eq!(profile.customer, created);
    assert!(profile.contacts.is_empty() && profile.timeline.is_empty());
}

#[tokio::test]
async fn invalid_input_is_refused_and_nothing_is_written() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let before = service::count(&c.state);
    let mut input = company_input("");
    input.email = "not-an-email".into();
    input.phone = "12345".into();
    let Err(AppError::Invalid(errors)) = service::create(&c.state, &rep, &input, false).await else {
        panic!("expected a validation error")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "phone", "email"]);

    let huge = company_input(&"名".repeat(4_000_000));
    let Err(AppError::Invalid(errors)) = service::create(&c.state, &rep, &huge, false).await else { panic!("expected refusal") };
    assert_eq!(errors[0].problem, Problem::TooLong { max: 200 });
    c.state.reload_directory().await.unwrap();
    assert_eq!(service::count(&c.state), before, "the store holds nothing new either");
}

#[tokio::test]
async fn duplicates_of_ones_own_are_reported_until_confirmed() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let mut first = company_input("张三科技有限公司");
    first.phone = "138 0013 8000".into();
    let first = service::create(&c.state, &rep, &first, false).await.unwrap();
    let contact = ContactInput { name: "王芳".into(), email: "Wang.Fang@Example.com".into(), ..Default::default() };
    contacts::add_contact(&c.state, &rep, &first.id, &contact).await.unwrap();

    // The same company under another legal form.
    let Err(AppError::PossibleDuplicates(hits)) = service::create(&c.state, &rep, &company_input("张三科技"), false).await else {
        panic!("name duplicate not found")
    };
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].id.as_deref(), hits[0].owner_name.as_str()), (Some(first.id.as_str()), "销售甲"));
    assert_eq!(hits[0].matched_on, vec![DuplicateField::Name]);

    // Same phone in another format, same email as a contact.
    let mut other = company_input("完全不同的名字");
    other.phone = "+86 13800138000".into();
    other.email = "wang.fang@example.com".into();
    let Err(AppError::PossibleDuplicates(hits)) = service::create(&c.state, &rep, &other, false).await else {
        panic!("phone/email duplicate not found")
    };
    assert_eq!(hits[0].matched_on, vec![DuplicateField::Phone, DuplicateField::Email]);
    let count = service::count(&c.state);
    service::create(&c.state, &rep, &other, true).await.expect("confirmed duplicates are saved");
    assert_eq!(service::count(&c.state), count + 1);

    // Editing a customer does not report the customer itself.
    let hits = service::possible_duplicates(&c.state, &rep, "张三科技有限公司", "", "", Some(&first.id)).await.unwrap();
    assert!(hits.is_empty());
}

#[tokio::test]
async fn a_customer_another_rep_owns_is_refused_telling_a_rep_only_that_a_colleague_has_it() {
    let c = company().await;
    let rep_b = c.caller(REP_B);
    // Rep A has 甲的客户科技; rep B enters it again under another legal form.
    let result = service::create(&c.state, &rep_b, &company_input("甲的客户科技有限公司"), true).await;
    assert_eq!(result, Err(AppError::OwnedElsewhere { owner: String::new() }), "refused even when 'confirmed'");
    // While typing, rep B learns only that a colleague has it: not who, not which customer,
    // so the form cannot be used to look up who owns a phone number.
    let hits = service::possible_duplicates(&c.state, &rep_b, "甲的客户科技", "", "", None).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].id.clone(), hits[0].name.clone(), hits[0].owner.as_str(), hits[0].owner_name.as_str()), (None, None, "", ""));
    assert!(hits[0].elsewhere);
    // A manager of another team is told who owns it (to sort it out), still not which customer.
    let mgr_b = c.caller(MGR_B);
    let result = service::create(&c.state, &mgr_b, &company_input("甲的客户科技有限公司"), true).await;
    assert_eq!(result, Err(AppError::OwnedElsewhere { owner: "销售甲".into() }));
    let hits = service::possible_duplicates(&c.state, &mgr_b, "甲的客户科技", "", "", None).await.unwrap();
    assert_eq!((hits[0].id.clone(), hits[0].owner_name.as_str(), hits[0].elsewhere), (None, "销售甲", false));
    // A pool customer is no one's: it is a duplicate to confirm, and visible.
    let hits = service::possible_duplicates(&c.state, &rep_b, "公海里的客户", "", "", None).await.unwrap();
    assert_eq!(hits[0].name.as_deref(), Some("公海里的客户"));
}

#[tokio::test]
async fn edits_check_the_version_show_both_versions_and_are_audited() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let mut edit = CustomerInput::from_customer(&c.ca);
    edit.name = "甲的新名字".into();
    edit.stage = LifecycleStage::Customer;
    let saved = service::update(&c.state, &rep, &c.ca.id, &edit, c.ca.version, false).await.unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(saved.stage, LifecycleStage::Customer);
    assert_eq!(saved.created_at, c.ca.created_at);
    assert_eq!(service::list(&c.state, &rep, &query("甲的客户")).total, 0);
    assert_eq!(service::list(&c.state, &rep, &query("甲的新名字")).total, 1);

    // A second edit based on the first version is a conflict, carries what is saved now,
    // and changes nothing.
    let mut stale = edit.clone();
    stale.name = "第三个名字".into();
    match service::update(&c.state, &c.caller(MGR_A), &c.ca.id, &stale, c.ca.version, false).await {
        Err(AppError::Conflict(now)) => assert_eq!((now.name.as_str(), now.version), ("甲的新名字", 2)),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(service::profile(&c.state, &rep, &c.ca.id).await.unwrap().customer.name, "甲的新名字");

    // The history says who changed which field from what to what.
    let history = event_store::of_customer(&c.state.db, &c.ca.id, &|u| u.to_string()).await.unwrap();
    let update = history.iter().find(|e| e.kind == kehu_domain::audit::types::EventKind::CustomerUpdated).unwrap();
    assert_eq!(update.actor, REP_A);
    assert!(update.changes.iter().any(|ch| ch.field == "name" && ch.before == "甲的客户科技" && ch.after == "甲的新名字"));
    assert!(update.changes.iter().any(|ch| ch.field == "stage" && ch.after == "customer"));

    assert_eq!(service::update(&c.state, &rep, "nosuchcustomer", &edit, 1, false).await, Err(AppError::NotFound));
    assert_eq!(service::profile(&c.state, &rep, "bad id with spaces").await, Err(AppError::NotFound));
}

#[tokio::test]
async fn tags_contacts_and_touchpoints() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let id = &c.ca.id;

    let vip = Tag::new(TagDimension::Value, "VIP");
    assert_eq!(service::add_tag(&c.state, &rep, id, &vip).await.unwrap(), vec![vip.clone()]);
    assert_eq!(service::add_tag(&c.state, &rep, id, &vip).await.unwrap().len(), 1, "adding twice is a no-op");
    let by_tag = ListQuery { tag: Some("value:VIP".into()), ..Default::default() };
    assert_eq!(service::list(&c.state, &rep, &by_tag).total, 1);
    assert!(service::add_tag(&c.state, &rep, id, &Tag::new(TagDimension::Value, " ")).await.is_err());
    assert!(service::remove_tag(&c.state, &rep, id, &vip).await.unwrap().is_empty());
    assert_eq!(service::list(&c.state, &rep, &by_tag).total, 0);

    let input = ContactInput { name: "周杰".into(), phone: "139 0000 1111".into(), birthday: "1992-02-29".into(), ..Default::default() };
    let contact = contacts::add_contact(&c.state, &rep, id, &input).await.unwrap();
    assert_eq!(contact.birthday, chrono::NaiveDate::from_ymd_opt(1992, 2, 29));
    assert_eq!(service::list(&c.state, &rep, &query("周杰")).total, 1, "contacts are searchable");
    assert_eq!(service::list(&c.state, &rep, &query("13900001111")).total, 1);
    let bad = ContactInput { name: "王".into(), birthday: "2030-01-01".into(), ..Default::default() };
    assert!(matches!(contacts::add_contact(&c.state, &rep, id, &bad).await, Err(AppError::Invalid(_))));
    let renamed = ContactInput { name: "周杰伦".into(), ..ContactInput::from_contact(&contact) };
    contacts::update_contact(&c.state, &rep, id, &contact.id, &renamed).await.unwrap();
    assert_eq!(service::list(&c.state, &rep, &query("周杰伦")).total, 1);

    // A contact is reached only through its own customer.
    let boss = c.caller(BOSS);
    assert_eq!(contacts::remove_contact(&c.state, &boss, &c.cb.id, &contact.id).await, Err(AppError::NotFound));
    contacts::remove_contact(&c.state, &rep, id, &contact.id).await.unwrap();
    assert_eq!(service::list(&c.state, &rep, &query("周杰")).total, 0);

    let t = TouchpointInput {
        kind: TouchpointKind::Visit,
        author: "anyone".into(),
        summary: "上门拜访，演示 ERP".into(),
        next_step: "发送合同".into(),
        next_step_on: "2026-11-30".into(),
        position: None,
    };
    let t1 = contacts::add_touchpoint(&c.state, &rep, id, &t).await.unwrap();
    assert_eq!(t1.author, "销售甲", "signed by the signed-in user, whatever the form said");
    contacts::add_touchpoint(&c.state, &rep, id, &TouchpointInput { summary: "电话回访".into(), ..t.clone() }).await.unwrap();
    let profile = service::profile(&c.state, &rep, id).await.unwrap();
    assert_eq!(profile.timeline.len(), 2);
    assert_eq!(profile.customer.last_contact_at, Some(start()));
    assert!(matches!(
        contacts::add_touchpoint(&c.state, &rep, id, &TouchpointInput { summary: "".into(), ..t.clone() }).await,
        Err(AppError::Invalid(_))
    ));
    assert_eq!(contacts::add_touchpoint(&c.state, &rep, "missing", &t).await, Err(AppError::NotFound));
}

#[tokio::test]
async fn everything_survives_a_restart_on_disk() {
    let dir = std::env::temp_dir().join(format!("kehu-test-{}", std::process::id()));
    let url = format!("surrealkv://{}", dir.display());
    let id = {
        let state = AppState::open(&url, None, kehu_backend::Clock::fixed(start())).await.unwrap();
        add_wang(&state).await;
        let rep = state.users.caller("wang").unwrap();
        let customer = service::create(&state, &rep, &company_input("持久化测试公司"), false).await.unwrap();
        let t = TouchpointInput { summary: "首次电话".into(), ..Default::default() };
        contacts::add_touchpoint(&state, &rep, &customer.id, &t).await.unwrap();
        let deal = kehu_domain::pipeline::types::DealInput {
            customer_id: customer.id.clone(),
            title: "持久化商机".into(),
            expected_close: "2026-12-31".into(),
            ..Default::default()
        };
        let deal = kehu_backend::pipeline::deals::create(&state, &rep, &deal).await.unwrap();
        kehu_backend::pipeline::deals::move_to(&state, &rep, &deal.id, "needs", deal.version).await.unwrap();
        customer.id
    };
    // Opening again runs the migrations a second time: they must be idempotent. The first
    // store releases its lock file in the background once its last handle is gone.
    let mut reopened = None;
    for _ in 0..100 {
        match AppState::open(&url, None, kehu_backend::Clock::fixed(start())).await {
            Ok(state) => {
                reopened = Some(state);
                break;
            }
            Err(e) if e.to_string().contains("locked") => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            Err(e) => panic!("reopening failed: {e}"),
        }
    }
    let state = reopened.expect("the store was released within 10 s");
    let rep = state.users.caller("wang").expect("users survive too");
    assert_eq!(service::list(&state, &rep, &query("持久化")).total, 1);
    assert_eq!(service::profile(&state, &rep, &id).await.unwrap().timeline[0].summary, "首次电话");
    // The board is rebuilt from the store: the deal is where it was moved.
    let board = kehu_backend::pipeline::board::board(&state, &rep, &Default::default()).await.unwrap();
    let needs = board.columns.iter().find(|c| c.stage == "needs").unwrap();
    assert_eq!(needs.cards.iter().map(|c| c.title.as_str()).collect::<Vec<_>>(), vec!["持久化商机"]);
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two follow-ups on one customer at the same moment both move its last-contact time; the
/// store commits optimistically, so one of the two meets a conflict and is run again rather
/// than failing (the quick soak once saw this as an error under load).
#[tokio::test]
async fn follow_ups_written_at_the_same_moment_on_one_customer_all_land() {
    let dir = std::env::temp_dir().join(format!("kehu-test-race-{}", std::process::id()));
    let state = AppState::open(&format!("surrealkv://{}", dir.display()), None, kehu_backend::Clock::fixed(start())).await.unwrap();
    add_wang(&state).await;
    let rep = state.users.caller("wang").unwrap();
    let customer = service::create(&state, &rep, &company_input("并发跟进公司"), false).await.unwrap();
    const WRITERS: usize = 24;
    let writers: Vec<_> = (0..WRITERS)
        .map(|i| {
            let (state, rep, id) = (state.clone(), rep.clone(), customer.id.clone());
            tokio::spawn(async move {
                let t = TouchpointInput { summary: format!("同时跟进 {i}"), ..Default::default() };
                contacts::add_touchpoint(&state, &rep, &id, &t).await
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap().expect("a follow-up that met another is run again, not refused");
    }
    let profile = service::profile(&state, &rep, &customer.id).await.unwrap();
    assert_eq!(profile.timeline.len(), WRITERS);
    let history = event_store::of_customer(&state.db, &customer.id, &|u| u.to_string()).await.unwrap();
    assert_eq!(history.iter().filter(|e| e.kind == kehu_domain::audit::types::EventKind::TouchpointAdded).count(), WRITERS, "each with its one event");
    drop(state);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn demo_data_loads_with_its_reps_and_is_consistent() {
    let c = company().await;
    let boss = c.caller(BOSS);
    assert_eq!(demo::load(&c.state, 120, 7).await.unwrap(), 120);
    assert_eq!(service::count(&c.state), 123);
    assert!(c.state.users.get(demo::DEMO_REPS[0].0).is_some(), "the demo reps exist");
    let facets = service::facets(&c.state, &boss);
    assert!(facets.owners.len() > 3 && facets.regions.len() > 3 && !facets.tags.is_empty());
    assert!(facets.owners.iter().any(|(u, n)| u == "wangfang" && n == "王芳"));
    let page = service::list(&c.state, &boss, &ListQuery { per_page: 100, ..Default::default() });
    let profile = service::profile(&c.state, &boss, &page.rows[0].id).await.unwrap();
    assert_eq!(profile.customer.last_contact_at, profile.timeline.iter().map(|t| t.at).max());

    // Sample deals: made through the services, so each holds what its stage requires.
    let made = kehu_backend::pipeline::demo::load(&c.state, &boss, 30, 7).await.unwrap();
    assert!(made >= 20, "enough opportunities and customers for deals: {made}");
    let board = kehu_backend::pipeline::board::board(&c.state, &boss, &Default::default()).await.unwrap();
    let pipeline = &c.state.policy.pipeline;
    let mut open = 0;
    for (index, column) in board.columns.iter().enumerate() {
        for card in &column.cards {
            open += 1;
            let unmet: Vec<_> = pipeline.requirements_up_to(index).into_iter().filter(|r| !card.facts.meets(*r)).collect();
            assert!(unmet.is_empty(), "{} in {} lacks {unmet:?}", card.title, column.stage);
        }
    }
    assert!(open > 0 && open < made + 1, "some open, some closed: {open} of {made}");
}

#[tokio::test]
async fn an_address_is_kept_audited_exported_and_opens_in_a_map_app() {
    let c = company().await;
    let rep = c.caller(REP_A);
    let input = CustomerInput { address: "  上海市浦东新区  张江路88号 ".into(), ..company_input("有地址的科技") };
    let created = service::create(&c.state, &rep, &input, false).await.unwrap();
    assert_eq!(created.address, "上海市浦东新区 张江路88号", "spaces cleaned as in every line field");

    // Too long: refused by field, nothing changed.
    let long = CustomerInput { address: "路".repeat(301), ..CustomerInput::from_customer(&created) };
    let Err(AppError::Invalid(errors)) = service::update(&c.state, &rep, &created.id, &long, created.version, true).await else { panic!("expected refusal") };
    assert_eq!((errors[0].field.as_str(), &errors[0].problem), ("address", &Problem::TooLong { max: 300 }));
    let moved = CustomerInput { address: "杭州市西湖区文三路 1 号".into(), ..CustomerInput::from_customer(&created) };
    let updated = service::update(&c.state, &rep, &created.id, &moved, created.version, false).await.unwrap();
    assert_eq!((updated.address.as_str(), updated.version), ("杭州市西湖区文三路 1 号", 2));
    let history = kehu_backend::audit::customer_history(&c.state, &c.caller(BOSS), &created.id).await.unwrap();
    assert!(history.iter().any(|e| e.changes.iter().any(|ch| ch.field == "address" && ch.before == "上海市浦东新区 张江路88号")), "{history:?}");

    // The profile page links the address to the map apps.
    let cookie = format!("kehu_session={}", c.session(REP_A).await);
    let (_, _, html) = get(&c.app, &format!("/customers/{}", created.id), Some(&cookie)).await;
    let encoded = kehu_domain::format::encode_query_value("杭州市西湖区文三路 1 号");
    assert!(html.contains(&format!("https://uri.amap.com/search?keyword={encoded}")), "{html}");
    assert!(html.contains(&format!("https://maps.apple.com/?q={encoded}")));

    // The export carries it under a heading the import reads back as the address.
    let (_, _, csv) = get(&c.app, "/api/export/customers.csv", Some(&cookie)).await;
    let headings: Vec<String> = csv.lines().next().unwrap().trim_start_matches('\u{feff}').split(',').map(String::from).collect();
    let column = kehu_domain::customers::import::guess_mapping(&headings).iter().position(|f| *f == Some(kehu_domain::customers::import::ImportField::Address));
    let row = csv.lines().find(|l| l.contains("有地址的科技")).unwrap();
    assert_eq!(row.split(',').nth(column.expect("an address column")), Some("杭州市西湖区文三路 1 号"), "{csv}");
}
