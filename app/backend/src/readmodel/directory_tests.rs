//! The directory's search, filters, paging and ordering, on a handful of customers.

use super::*;
use kehu_domain::accounts::rules::Scope;
use kehu_domain::customers::types::{CustomerKind, TagDimension};
use chrono::TimeZone;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap()
}

fn customer(id: &str, name: &str, day: u32) -> Customer {
    Customer {
        id: id.into(),
        kind: CustomerKind::Company,
        name: name.into(),
        industry: String::new(),
        region: "华东".into(),
        source: String::new(),
        stage: LifecycleStage::Lead,
        owner: "王芳".into(),
        phone: String::new(),
        email: String::new(),
        credit_code: String::new(),
        address: String::new(),
        notes: String::new(),
        tags: vec![],
        created_at: at(day),
        updated_at: at(day),
        last_contact_at: None,
        version: 1,
        owner_name: String::new(),
    }
}

fn names(page: &CustomerPage) -> Vec<&str> {
    page.rows.iter().map(|r| r.name.as_str()).collect()
}

fn query(q: &str) -> ListQuery {
    ListQuery { q: q.into(), ..Default::default() }
}

fn sample() -> Directory {
    let mut contacts = HashMap::new();
    contacts.insert(
        "c".to_string(),
        vec![SearchContact { name: "李娜".into(), phone: "+86 139-0000-1111".into(), email: "li.na@example.com".into() }],
    );
    Directory::build(
        vec![
            customer("a", "张三科技有限公司", 1),
            customer("b", "Zhang Wei", 2),
            customer("c", "北京远航贸易", 3),
        ],
        contacts,
    )
}

#[test]
fn search_finds_chinese_and_latin_substrings() {
    let d = sample();
    assert_eq!(names(&d.page(&query("科技"), &Scope::All)), vec!["张三科技有限公司"]);
    assert_eq!(names(&d.page(&query("zhang"), &Scope::All)), vec!["Zhang Wei"]);
    assert_eq!(names(&d.page(&query("ZHANG"), &Scope::All)), vec!["Zhang Wei"]);
    assert_eq!(names(&d.page(&query("ｚｈａｎｇ"), &Scope::All)), vec!["Zhang Wei"]);
    assert_eq!(d.page(&query("nobody"), &Scope::All).total, 0);
}

#[test]
fn search_reaches_contacts_and_phone_digits() {
    let d = sample();
    assert_eq!(names(&d.page(&query("李娜"), &Scope::All)), vec!["北京远航贸易"]);
    assert_eq!(names(&d.page(&query("13900001111"), &Scope::All)), vec!["北京远航贸易"]);
    assert_eq!(names(&d.page(&query("LI.NA@"), &Scope::All)), vec!["北京远航贸易"]);
}

#[test]
fn all_terms_must_match() {
    let d = sample();
    assert_eq!(names(&d.page(&query("北京 贸易"), &Scope::All)), vec!["北京远航贸易"]);
    assert_eq!(d.page(&query("北京 科技"), &Scope::All).total, 0);
}

#[test]
fn default_order_is_most_recently_updated_first() {
    let d = sample();
    assert_eq!(names(&d.page(&ListQuery::default(), &Scope::All)), vec!["北京远航贸易", "Zhang Wei", "张三科技有限公司"]);
}

#[test]
fn paging_counts_everything_and_returns_one_page() {
    let customers = (1..=30).map(|i| customer(&format!("id{i:02}"), &format!("客户{i:02}"), 1)).collect();
    let d = Directory::build(customers, HashMap::new());
    let q = ListQuery { sort: ListSort::Name, page: 2, per_page: 10, ..Default::default() };
    let page = d.page(&q, &Scope::All);
    assert_eq!(page.total, 30);
    assert_eq!(page.page_count(), 3);
    assert_eq!(page.rows.first().map(|r| r.name.as_str()), Some("客户11"));
    assert_eq!(page.rows.len(), 10);
    let beyond = d.page(&ListQuery { page: 9, per_page: 10, ..Default::default() }, &Scope::All);
    assert!(beyond.rows.is_empty());
    assert_eq!(beyond.total, 30);
}

#[test]
fn filters_combine() {
    let mut vip = customer("v", "星河集团", 5);
    vip.tags = vec![Tag::new(TagDimension::Value, "VIP")];
    vip.stage = LifecycleStage::Customer;
    vip.region = "华南".into();
    let d = sample();
    d.upsert(&vip, &[]);
    let by_tag = ListQuery { tag: Some("value:VIP".into()), ..Default::default() };
    assert_eq!(names(&d.page(&by_tag, &Scope::All)), vec!["星河集团"]);
    let by_stage = ListQuery { stage: Some(LifecycleStage::Customer), ..Default::default() };
    assert_eq!(names(&d.page(&by_stage, &Scope::All)), vec!["星河集团"]);
    let by_region = ListQuery { region: Some("华东".into()), ..Default::default() };
    assert_eq!(d.page(&by_region, &Scope::All).total, 3);
    let bad_tag = ListQuery { tag: Some("nonsense".into()), ..Default::default() };
    assert_eq!(d.page(&bad_tag, &Scope::All).total, 0);
}

#[test]
fn upsert_moves_an_entry_in_every_order() {
    let d = sample();
    let mut renamed = customer("a", "阿里", 1);
    renamed.updated_at = at(20);
    renamed.last_contact_at = Some(at(19));
    d.upsert(&renamed, &[]);
    assert_eq!(d.len(), 3);
    assert_eq!(names(&d.page(&ListQuery::default(), &Scope::All))[0], "阿里");
    let by_contact = ListQuery { sort: ListSort::LastContact, ..Default::default() };
    assert_eq!(names(&d.page(&by_contact, &Scope::All))[0], "阿里");
    let stale = ListQuery { sort: ListSort::Stale, ..Default::default() };
    assert_eq!(names(&d.page(&stale, &Scope::All)).last(), Some(&"阿里"));
    assert_eq!(d.page(&query("张三"), &Scope::All).total, 0, "the old name no longer matches");
    assert_eq!(d.page(&query("阿里"), &Scope::All).total, 1);
}

#[test]
fn facets_follow_changes() {
    let d = sample();
    assert_eq!(d.facets(&Scope::All).owners, vec![("王芳".to_string(), String::new())]);
    let mut other = customer("z", "新客户", 9);
    other.owner = "李雷".into();
    d.upsert(&other, &[]);
    assert_eq!(d.facets(&Scope::All).owners, vec![("李雷".to_string(), String::new()), ("王芳".to_string(), String::new())]);
}

#[test]
fn a_limited_scope_sees_only_its_owners_regions_and_the_pool() {
    let d = sample();
    let mut pool = customer("p", "公海客户", 4);
    pool.owner = String::new();
    d.upsert(&pool, &[]);
    let mut other = customer("o", "别人的客户", 5);
    other.owner = "李雷".into();
    other.region = "华南".into();
    d.upsert(&other, &[]);
    let mine = Scope::Limited { owners: ["王芳".to_string()].into(), regions: Default::default() };
    assert_eq!(d.page(&ListQuery::default(), &mine).total, 4, "three of 王芳's and the pool");
    assert_eq!(d.page(&query("别人"), &mine).total, 0);
    assert_eq!(d.facets(&mine).owners, vec![("王芳".to_string(), String::new())]);
    let pool_only = ListQuery { owner: Some(POOL.into()), ..Default::default() };
    assert_eq!(names(&d.page(&pool_only, &mine)), vec!["公海客户"]);
    let south = Scope::Limited { owners: Default::default(), regions: ["华南".to_string()].into() };
    assert_eq!(d.page(&query("别人"), &south).total, 1);
    assert_eq!(d.owned_by("王芳"), 3);
    d.remove("a");
    assert_eq!(d.owned_by("王芳"), 2);
    assert_eq!(d.page(&ListQuery::default(), &Scope::All).total, 4);
    assert_eq!(d.page(&query("张三"), &Scope::All).total, 0);

    // Walking the rows in place sees what the scope's own rule sees, and nothing removed.
    for scope in [mine, south, Scope::All] {
        let rows = d.rows();
        let mut walked: Vec<&str> = rows.visible(&scope).map(|r| r.id.as_str()).collect();
        let mut ruled: Vec<&str> = rows.live().filter(|(r, _)| scope.sees(&r.owner, &r.region)).map(|(r, _)| r.id.as_str()).collect();
        walked.sort_unstable();
        ruled.sort_unstable();
        assert_eq!(walked, ruled);
        assert!(!walked.contains(&"a"));
    }
    let rows = d.rows();
    let south_ids: Vec<&str> = rows.visible(&Scope::Limited { owners: Default::default(), regions: ["华南".to_string()].into() }).map(|r| r.id.as_str()).collect();
    assert_eq!(south_ids, vec!["p", "o"], "the pool and 华南's customer");
}

#[test]
fn stale_owned_customers_are_due_for_recycling() {
    let d = sample();
    let now = at(1) + chrono::Duration::days(45);
    let due = d.due_for_recycling(&RecycleRules::default(), now);
    assert_eq!(due.len(), 3, "leads created 43-45 days ago, never followed up");
    let mut fresh = customer("a", "张三科技有限公司", 1);
    fresh.last_contact_at = Some(now - chrono::Duration::days(2));
    d.upsert(&fresh, &[]);
    assert_eq!(d.due_for_recycling(&RecycleRules::default(), now).len(), 2);
}

#[test]
fn tag_filters_work_past_the_first_64_tags() {
    let customers: Vec<Customer> = (0..70)
        .map(|i| {
            let mut c = customer(&format!("t{i:02}"), &format!("客户{i}"), 1);
            c.tags = vec![Tag::new(TagDimension::Behavior, format!("标签{i}"))];
            c
        })
        .collect();
    let d = Directory::build(customers, HashMap::new());
    for i in [0, 63, 64, 69] {
        let q = ListQuery { tag: Some(format!("behavior:标签{i}")), ..Default::default() };
        assert_eq!(names(&d.page(&q, &Scope::All)), vec![format!("客户{i}").as_str()], "tag {i}");
    }
    let never = ListQuery { tag: Some("behavior:没有的标签".into()), ..Default::default() };
    assert_eq!(d.page(&never, &Scope::All).total, 0);
}
