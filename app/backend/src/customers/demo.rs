//! Realistic Chinese sample data at any size: for a first look at the product (the "load
//! demo data" button and `kehu demo`) and for the benchmarks. Deterministic for a given seed,
//! so a bench run can be repeated on the same data.

use chrono::{DateTime, Duration, Utc};

use kehu_domain::audit::types::EventKind;
use kehu_domain::customers::types::{CustomerInput, CustomerKind, LifecycleStage, Tag, TagDimension, TouchpointKind};
use kehu_domain::customers::validate::{ValidContact, ValidTouchpoint};
use kehu_domain::error::AppResult;
pub(crate) use kehu_domain::rng::Rng;

use crate::events::Event;
use crate::state::AppState;
use crate::store::customer_rows::{NewContact, NewCustomer, TouchpointRecord, CONTACT, CUSTOMER, TOUCHPOINT};
use crate::store::customers as customer_store;
use crate::store::ids::new_id;

/// Who the demo data's changes are by, in the event log.
pub const DEMO_ACTOR: &str = "demo";

const CITIES: &[(&str, &str)] = &[
    ("北京", "华北"), ("天津", "华北"), ("石家庄", "华北"), ("上海", "华东"), ("杭州", "华东"),
    ("南京", "华东"), ("苏州", "华东"), ("宁波", "华东"), ("合肥", "华东"), ("青岛", "华东"),
    ("厦门", "华东"), ("广州", "华南"), ("深圳", "华南"), ("东莞", "华南"), ("武汉", "华中"),
    ("长沙", "华中"), ("郑州", "华中"), ("成都", "西南"), ("重庆", "西南"), ("昆明", "西南"),
    ("西安", "西北"), ("兰州", "西北"), ("沈阳", "东北"), ("大连", "东北"), ("哈尔滨", "东北"),
];

/// Characters for brand names, with their pinyin for e-mail domains.
const BRAND_FIRST: &[(&str, &str)] = &[
    ("华", "hua"), ("远", "yuan"), ("星", "xing"), ("鼎", "ding"), ("恒", "heng"), ("博", "bo"),
    ("云", "yun"), ("启", "qi"), ("中", "zhong"), ("金", "jin"), ("瑞", "rui"), ("天", "tian"),
    ("嘉", "jia"), ("汇", "hui"), ("明", "ming"), ("卓", "zhuo"), ("宏", "hong"), ("新", "xin"),
    ("海", "hai"), ("智", "zhi"), ("永", "yong"), ("泰", "tai"), ("安", "an"), ("盛", "sheng"),
    ("东", "dong"), ("正", "zheng"), ("光", "guang"), ("长", "chang"), ("信", "xin"), ("创", "chuang"),
];
const BRAND_SECOND: &[(&str, &str)] = &[
    ("信", "xin"), ("航", "hang"), ("河", "he"), ("盛", "sheng"), ("通", "tong"), ("瑞", "rui"),
    ("帆", "fan"), ("明", "ming"), ("科", "ke"), ("桥", "qiao"), ("丰", "feng"), ("成", "cheng"),
    ("禾", "he"), ("达", "da"), ("越", "yue"), ("图", "tu"), ("锐", "rui"), ("纳", "na"),
    ("联", "lian"), ("辉", "hui"), ("源", "yuan"), ("德", "de"), ("峰", "feng"), ("邦", "bang"),
    ("和", "he"), ("泽", "ze"), ("宇", "yu"), ("晟", "sheng"), ("拓", "tuo"), ("润", "run"),
];

/// Business word in the name, the industry it means, and a domain suffix.
const TRADES: &[(&str, &str, &str)] = &[
    ("科技", "互联网/软件", "tech"), ("软件", "互联网/软件", "soft"), ("信息技术", "互联网/软件", "it"),
    ("贸易", "批发零售", "trade"), ("商贸", "批发零售", "trade"), ("制造", "制造业", "mfg"),
    ("机械", "制造业", "machinery"), ("电子", "电子电器", "elec"), ("医疗器械", "医疗健康", "medical"),
    ("生物医药", "医疗健康", "bio"), ("教育科技", "教育培训", "edu"), ("物流", "交通物流", "logistics"),
    ("餐饮管理", "餐饮酒店", "food"), ("建筑工程", "建筑地产", "build"), ("新能源", "能源环保", "energy"),
    ("文化传媒", "文化传媒", "media"), ("管理咨询", "专业服务", "consult"), ("食品", "快消品", "foods"),
];

const LEGAL_FORMS: &[(&str, u32)] = &[("有限公司", 80), ("股份有限公司", 15), ("集团有限公司", 5)];

const SURNAMES: &[(&str, &str)] = &[
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
    ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
];
const GIVEN_NAMES: &[(&str, &str)] = &[
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"),
    ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"),
    ("杰", "Jie"), ("娟", "Juan"), ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"),
    ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"), ("建华", "Jianhua"), ("志强", "Zhiqiang"),
    ("晓东", "Xiaodong"), ("海燕", "Haiyan"), ("子涵", "Zihan"), ("浩然", "Haoran"), ("雨桐", "Yutong"),
    ("思远", "Siyuan"), ("嘉怡", "Jiayi"), ("俊杰", "Junjie"), ("欣怡", "Xinyi"),
];

const TITLES: &[&str] = &["总经理", "采购经理", "技术总监", "财务主管", "行政主管", "IT经理", "运营总监", "销售副总", "董事长助理"];

/// Demo teams: key, name, region.
const DEMO_TEAMS: &[(&str, &str, &str)] = &[("east", "华东组", "华东"), ("south", "华南组", "华南"), ("north", "华北组", "华北")];

/// Demo reps: username, name, team. They get an unusable random password; an admin who
/// wants to sign in as one sets a password on the users page.
pub const DEMO_REPS: &[(&str, &str, &str)] = &[
    ("wangfang", "王芳", "east"), ("lilei", "李雷", "east"), ("zhangwei", "张伟", "east"), ("liuyang", "刘洋", "east"),
    ("chenjing", "陈静", "south"), ("yangfan", "杨帆", "south"), ("zhaomin", "赵敏", "south"), ("huanglei", "黄磊", "south"),
    ("zhoujie", "周杰", "north"), ("wuqian", "吴倩", "north"), ("xutao", "徐涛", "north"), ("sunli", "孙丽", "north"),
];

/// Creates the demo teams and reps that are not there yet.
async fn ensure_demo_people(state: &AppState) -> AppResult<()> {
    use crate::accounts::passwords::{hash_password, new_token};
    use crate::accounts::registry::StoredUser;
    use crate::store::accounts as account_store;
    use kehu_domain::accounts::types::{Role, User};
    let now = state.clock.now();
    // A team of the same name made by an admin is used as it is.
    let mut teams = account_store::teams(&state.db).await?;
    let mut team_ids = std::collections::HashMap::new();
    for (key, name, _) in DEMO_TEAMS {
        let id = match teams.iter().find(|t| t.name == *name) {
            Some(team) => team.id.clone(),
            None => {
                let event = Event::new(EventKind::TeamCreated, DEMO_ACTOR, now).subject(name);
                let team = account_store::insert_team(&state.db, new_id("team"), name, now, &[event]).await?;
                teams.push(team.clone());
                team.id
            }
        };
        team_ids.insert(*key, id);
    }
    let missing: Vec<_> = DEMO_REPS.iter().filter(|(u, _, _)| state.users.get(u).is_none()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    // One hash for all of them: nobody knows the password anyway.
    let password_hash = hash_password(&new_token()?)?;
    for (username, name, team) in missing {
        let region = DEMO_TEAMS.iter().find(|t| t.0 == *team).map(|t| t.2).unwrap_or_default();
        let stored = StoredUser {
            user: User {
                username: username.to_string(),
                display_name: name.to_string(),
                role: Role::Rep,
                team: team_ids.get(team).cloned(),
                region: region.to_string(),
                active: true,
                max_customers: state.policy.default_max_customers.max(20_000),
                must_change_password: false,
            },
            password_hash: password_hash.clone(),
        };
        let event = Event::new(EventKind::UserCreated, DEMO_ACTOR, now).subject(username).change("role", "", Role::Rep.as_str());
        account_store::insert_user(&state.db, &stored, &[event]).await?;
        crate::followers::follow(state, vec![crate::followers::Effect::User(stored)]).await;
    }
    Ok(())
}

const SOURCES: &[(&str, u32)] = &[
    ("官网", 18), ("抖音", 14), ("百度推广", 12), ("展会", 12), ("转介绍", 15), ("微信公众号", 10),
    ("电话营销", 7), ("合作伙伴", 6), ("线下活动", 6),
];

const STAGES: &[(LifecycleStage, u32)] = &[
    (LifecycleStage::Lead, 40),
    (LifecycleStage::Opportunity, 25),
    (LifecycleStage::Customer, 28),
    (LifecycleStage::Churned, 7),
];

const TAGS: &[(TagDimension, &str)] = &[
    (TagDimension::Behavior, "价格敏感型"), (TagDimension::Behavior, "注重服务"),
    (TagDimension::Behavior, "决策迅速"), (TagDimension::Behavior, "喜欢比价"),
    (TagDimension::Organization, "决策链长"), (TagDimension::Organization, "国企"),
    (TagDimension::Organization, "上市公司"), (TagDimension::Organization, "集团采购"),
    (TagDimension::Value, "VIP"), (TagDimension::Value, "高潜力"), (TagDimension::Value, "重点客户"),
];

const PRODUCTS: &[&str] = &["CRM 标准版", "ERP 企业版", "OA 协同办公", "数据分析平台", "客服系统", "年度服务包"];

const SUMMARIES: &[(TouchpointKind, &str)] = &[
    (TouchpointKind::Call, "电话沟通{p}的报价，客户关注交付周期"),
    (TouchpointKind::Call, "回访使用情况，客户反馈{p}操作顺畅"),
    (TouchpointKind::Call, "初次电话联系，了解到明年有{p}预算"),
    (TouchpointKind::Visit, "上门拜访，向采购和技术负责人演示{p}"),
    (TouchpointKind::Visit, "拜访客户总部，讨论{p}的实施方案"),
    (TouchpointKind::Email, "发送{p}的产品资料和同行业案例"),
    (TouchpointKind::Email, "邮件确认{p}报价单及付款方式"),
    (TouchpointKind::Chat, "微信沟通，客户询问{p}能否试用两周"),
    (TouchpointKind::WebVisit, "客户访问官网{p}价格页三次"),
    (TouchpointKind::Download, "客户下载了{p}白皮书"),
    (TouchpointKind::Note, "客户提到正在对比竞品，对{p}价格较敏感"),
];

const NEXT_STEPS: &[&str] = &["下周发送正式报价", "安排技术交流会", "邀请参加产品发布会", "跟进试用反馈", "准备合同草案", "月底前再次回访", ""];

/// Generates `count` customers starting at `offset` (so batches of one run never repeat a
/// name) and writes them with their contacts and timelines, in batches. Rebuilds the
/// directory at the end. Returns how many customers were written.
pub async fn load(state: &AppState, count: usize, seed: u64) -> AppResult<usize> {
    const BATCH: usize = 500;
    ensure_demo_people(state).await?;
    let now = state.clock.now();
    let offset = state.directory.len();
    let mut written = 0;
    while written < count {
        let n = BATCH.min(count - written);
        let mut customers = Vec::with_capacity(n);
        let mut contacts = Vec::new();
        let mut touchpoints = Vec::new();
        for i in 0..n {
            let index = offset + written + i;
            let mut rng = Rng(seed ^ (index as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
            let (customer, cs, ts) = sample_customer(&mut rng, index, now);
            customers.push(customer);
            contacts.extend(cs);
            touchpoints.extend(ts);
        }
        // Generated data is one change per batch in the log, not one per customer.
        let event = Event::new(EventKind::DemoLoaded, DEMO_ACTOR, now).change("customers", "", n.to_string());
        customer_store::insert_batch(&state.db, customers, contacts, touchpoints, &[event]).await?;
        written += n;
    }
    state.reload_directory().await.map_err(crate::internal::internal)?;
    Ok(written)
}

/// A distinct company name for every index below the number of combinations (~600k):
/// the index is spread over the combinations by a multiplier coprime to their count.
/// A company's name, web domain, trade and region, and the city its name starts with.
fn company_name(index: usize, rng: &mut Rng) -> (String, String, &'static str, &'static str, &'static str) {
    let combos = CITIES.len() * BRAND_FIRST.len() * BRAND_SECOND.len() * TRADES.len();
    let mut k = (index.wrapping_mul(7_919)) % combos;
    let trade = &TRADES[k % TRADES.len()];
    k /= TRADES.len();
    let second = &BRAND_SECOND[k % BRAND_SECOND.len()];
    k /= BRAND_SECOND.len();
    let first = &BRAND_FIRST[k % BRAND_FIRST.len()];
    k /= BRAND_FIRST.len();
    let (city, region) = CITIES[k % CITIES.len()];
    let form = rng.weighted(LEGAL_FORMS);
    let name = format!("{city}{}{}{}{form}", first.0, second.0, trade.0);
    let domain = format!("{}{}-{}.cn", first.1, second.1, trade.2);
    (name, domain, trade.1, region, city)
}

/// A street address in `city`, taken from the index rather than the random stream, so the
/// rest of the demo's customers stay as they were before addresses existed.
fn street_address(city: &str, index: usize) -> String {
    const ROADS: &[&str] = &["人民", "建设", "解放", "中山", "科技", "创业", "滨江", "长江", "文化", "工业"];
    const DISTRICTS: &[&str] = &["高新区", "经济开发区", "中心区", "滨湖区", "新城区"];
    format!("{city}市{}{}路{}号", DISTRICTS[index % DISTRICTS.len()], ROADS[(index / 5) % ROADS.len()], 1 + index % 388)
}

fn person(rng: &mut Rng) -> ((&'static str, &'static str), (&'static str, &'static str)) {
    (*rng.pick(SURNAMES), *rng.pick(GIVEN_NAMES))
}

fn mobile(rng: &mut Rng) -> String {
    let second = b"3456789"[rng.below(7)] as char;
    format!("1{second}{:09}", rng.next() % 1_000_000_000)
}

fn days_ago(now: DateTime<Utc>, rng: &mut Rng, max_days: i64) -> DateTime<Utc> {
    now - Duration::minutes((rng.next() % (max_days as u64 * 24 * 60)) as i64)
}

fn sample_customer(
    rng: &mut Rng,
    index: usize,
    now: DateTime<Utc>,
) -> (NewCustomer, Vec<NewContact>, Vec<TouchpointRecord>) {
    let is_person = rng.chance(18);
    // About one in ten waits in the lead pool.
    let owner = if rng.chance(10) { String::new() } else { rng.pick(DEMO_REPS).0.to_string() };
    let author = DEMO_REPS.iter().find(|r| r.0 == owner).map(|r| r.1).unwrap_or("王芳").to_string();
    let stage = *rng.weighted(STAGES);
    let source = rng.weighted(SOURCES).to_string();
    let mut tags: Vec<Tag> = Vec::new();
    for _ in 0..rng.below(4) {
        let (dim, label) = rng.pick(TAGS);
        let tag = Tag::new(*dim, *label);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let (name, domain, industry, region, kind, phone, email, address) = if is_person {
        let ((sur, sur_py), (given, given_py)) = person(rng);
        let (city, region) = CITIES[rng.below(CITIES.len())];
        let _ = city;
        // Some individual customers are on file by their romanised name.
        let name = if rng.chance(20) { format!("{given_py} {sur_py}") } else { format!("{sur}{given}") };
        let email = format!("{}{}{}@163.com", given_py.to_lowercase(), sur_py.to_lowercase(), index % 1000);
        (name, String::new(), "个人", region, CustomerKind::Person, mobile(rng), email, String::new())
    } else {
        let (name, domain, industry, region, city) = company_name(index, rng);
        let phone = if rng.chance(40) { format!("400-{:03}-{:04}", rng.below(1000), rng.below(10_000)) } else { String::new() };
        (name, domain, industry, region, CustomerKind::Company, phone, String::new(), street_address(city, index))
    };
    let input = CustomerInput {
        kind,
        name,
        industry: industry.to_string(),
        region: region.to_string(),
        source,
        stage,
        owner: owner.clone(),
        phone,
        email,
        credit_code: String::new(),
        address,
        notes: String::new(),
        tags,
    };
    let created_at = days_ago(now, rng, 3 * 365);
    let customer_id = new_id(CUSTOMER);
    let mut customer = NewCustomer::from_input(customer_id.clone(), &input, created_at);

    let mut contacts = Vec::new();
    if !is_person {
        for _ in 0..1 + rng.below(3) {
            let ((sur, sur_py), (given, given_py)) = person(rng);
            let birthday = rng.chance(60).then(|| {
                chrono::NaiveDate::from_ymd_opt(1965 + rng.below(35) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
            });
            let valid = ValidContact {
                name: format!("{sur}{given}"),
                title: rng.pick(TITLES).to_string(),
                phone: mobile(rng),
                email: format!("{}.{}@{domain}", given_py.to_lowercase(), sur_py.to_lowercase()),
                birthday: birthday.flatten(),
            };
            contacts.push(NewContact::from_valid(new_id(CONTACT), customer_id.clone(), &valid, created_at));
        }
    }

    let mut touchpoints = Vec::new();
    let span_days = (now - created_at).num_days().max(1);
    for _ in 0..rng.below(6) {
        let (kind, template) = rng.pick(SUMMARIES);
        let at = days_ago(now, rng, span_days);
        let valid = ValidTouchpoint {
            author: author.clone(),
            summary: template.replace("{p}", *rng.pick(PRODUCTS)),
            next_step: rng.pick(NEXT_STEPS).to_string(),
            next_step_on: None,
            position: None,
        };
        let touchpoint = TouchpointRecord::from_valid(new_id(TOUCHPOINT), customer_id.clone(), *kind, &valid, at, at);
        // The owner logged it (a pool customer's were logged by nobody still here).
        touchpoints.push(if owner.is_empty() { touchpoint } else { touchpoint.logged_by(&owner) });
    }
    customer.last_contact_at = touchpoints.iter().map(|t| t.at).max();
    customer.updated_at = customer.last_contact_at.unwrap_or(created_at).max(created_at);
    (customer, contacts, touchpoints)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kehu_domain::customers::validate::validate_customer;

    #[test]
    fn company_names_do_not_repeat() {
        let mut seen = std::collections::HashSet::new();
        for i in 0..20_000 {
            let (name, ..) = company_name(i, &mut Rng(1));
            // The legal form is random, so compare what stays distinctive.
            assert!(seen.insert(kehu_domain::customers::normalize::name_key(&name)), "{name} repeated");
        }
    }

    #[test]
    fn samples_pass_the_same_validation_as_typed_input() {
        let now = Utc::now();
        for i in 0..500 {
            let (c, contacts, touchpoints) = sample_customer(&mut Rng(i as u64), i, now);
            let input = CustomerInput {
                name: c.name.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
                region: c.region.clone(),
                owner: c.owner.clone(),
                ..Default::default()
            };
            assert_eq!(validate_customer(&input).map(|v| v.name), Ok(c.name.clone()));
            for contact in contacts {
                assert!(kehu_domain::customers::validate::is_valid_phone(&contact.phone), "{}", contact.phone);
                assert!(kehu_domain::customers::validate::is_valid_email(&contact.email), "{}", contact.email);
            }
            for t in touchpoints {
                assert!(t.at <= now && t.at >= c.created_at - Duration::days(1));
            }
        }
    }
}
