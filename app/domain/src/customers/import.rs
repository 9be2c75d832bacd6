//! Importing customers from a table (a CSV or XLSX file already read into rows of text): which
//! column is which, reading a row into a customer and its contact, the duplicate keys, and the
//! plan — what each row will do — before anything is written. Plain functions: the dry run
//! and the import are the same plan, and the tests need no store.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::normalize::{credit_code_key, email_key, fold, name_key, phone_key};
use super::types::{ContactInput, CustomerInput, CustomerKind, Tag, TagDimension};
use super::validate::{validate_contact, validate_customer};
use crate::problem::FieldError;

/// What a column of the file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportField {
    Name,
    Phone,
    Email,
    CreditCode,
    Industry,
    Region,
    Address,
    Source,
    Owner,
    Tags,
    Notes,
    ContactName,
    ContactTitle,
    ContactPhone,
    ContactEmail,
    ContactBirthday,
}

impl ImportField {
    pub const ALL: [ImportField; 16] = [
        ImportField::Name,
        ImportField::Phone,
        ImportField::Email,
        ImportField::CreditCode,
        ImportField::Industry,
        ImportField::Region,
        ImportField::Address,
        ImportField::Source,
        ImportField::Owner,
        ImportField::Tags,
        ImportField::Notes,
        ImportField::ContactName,
        ImportField::ContactTitle,
        ImportField::ContactPhone,
        ImportField::ContactEmail,
        ImportField::ContactBirthday,
    ];

    /// Column headings people use for it, folded (lower-case, half-width, no spaces); the
    /// first that a heading equals wins, then the first a heading contains.
    fn names(self) -> &'static [&'static str] {
        match self {
            ImportField::Name => &["客户名称", "公司名称", "企业名称", "客户", "公司", "单位名称", "名称", "customer", "company", "name", "account", "accountname", "companyname"],
            ImportField::Phone => &["手机", "手机号", "电话", "联系电话", "座机", "mobile", "phone", "tel", "telephone"],
            ImportField::Email => &["邮箱", "电子邮箱", "邮件", "email", "e-mail", "mail"],
            ImportField::CreditCode => &["统一社会信用代码", "信用代码", "社会信用代码", "税号", "creditcode", "uscc", "taxid"],
            ImportField::Industry => &["行业", "所属行业", "industry"],
            ImportField::Region => &["地区", "省市", "区域", "省份", "城市", "region", "city", "province", "area"],
            ImportField::Address => &["地址", "详细地址", "联系地址", "公司地址", "客户地址", "企业地址", "单位地址", "办公地址", "通讯地址", "收货地址", "address", "streetaddress", "customeraddress", "companyaddress", "addr", "street"],
            ImportField::Source => &["来源", "渠道", "客户来源", "source", "channel", "leadsource"],
            ImportField::Owner => &["负责人", "销售", "所属销售", "跟进人", "owner", "rep", "salesrep", "accountowner"],
            ImportField::Tags => &["标签", "客户标签", "tags", "tag", "labels"],
            ImportField::Notes => &["备注", "说明", "描述", "notes", "note", "remark", "remarks", "description"],
            ImportField::ContactName => &["联系人", "联系人姓名", "姓名", "contact", "contactname", "fullname"],
            ImportField::ContactTitle => &["职务", "职位", "title", "jobtitle", "position"],
            ImportField::ContactPhone => &["联系人手机", "联系人电话", "contactphone", "contactmobile"],
            ImportField::ContactEmail => &["联系人邮箱", "contactemail"],
            ImportField::ContactBirthday => &["生日", "出生日期", "birthday", "dateofbirth", "dob"],
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportField::Name => "name",
            ImportField::Phone => "phone",
            ImportField::Email => "email",
            ImportField::CreditCode => "credit_code",
            ImportField::Industry => "industry",
            ImportField::Region => "region",
            ImportField::Address => "address",
            ImportField::Source => "source",
            ImportField::Owner => "owner",
            ImportField::Tags => "tags",
            ImportField::Notes => "notes",
            ImportField::ContactName => "contact.name",
            ImportField::ContactTitle => "contact.title",
            ImportField::ContactPhone => "contact.phone",
            ImportField::ContactEmail => "contact.email",
            ImportField::ContactBirthday => "contact.birthday",
        }
    }
}

fn heading_key(heading: &str) -> String {
    fold(heading).chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '*' | ':' | '：' | '(' | ')' | '（' | '）')).collect()
}

/// The field a heading most likely names.
pub fn guess_field(heading: &str) -> Option<ImportField> {
    let key = heading_key(heading);
    if key.is_empty() {
        return None;
    }
    // Exact names first, so "联系人手机" is the contact's phone and not "手机".
    ImportField::ALL
        .into_iter()
        .find(|f| f.names().contains(&key.as_str()))
        .or_else(|| ImportField::ALL.into_iter().find(|f| f.names().iter().any(|n| n.chars().count() >= 2 && key.contains(n))))
}

/// A mapping proposed for the headings: each column's field, no field twice (the first column
/// that claims it keeps it).
pub fn guess_mapping(headings: &[String]) -> Vec<Option<ImportField>> {
    let mut taken = Vec::new();
    headings
        .iter()
        .map(|h| {
            let field = guess_field(h).filter(|f| !taken.contains(f));
            if let Some(f) = field {
                taken.push(f);
            }
            field
        })
        .collect()
}

/// What a file's header row is known by, so its mapping can be offered again next time.
pub fn header_signature(headings: &[String]) -> String {
    headings.iter().map(|h| heading_key(h)).collect::<Vec<_>>().join("|")
}

/// What rows that match an existing customer do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// New customers only; a match is skipped as a duplicate.
    #[default]
    CreateOnly,
    /// Existing customers only, their empty fields filled; a row with no match is skipped.
    UpdateOnly,
    /// New ones created, matches' empty fields filled.
    CreateAndFill,
    /// New ones created, matches' fields overwritten by the file's non-empty values.
    CreateAndOverwrite,
}

/// What two customers are recognised as the same by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DedupeKey {
    /// The mobile number without +86, spaces or dashes.
    Mobile,
    /// The e-mail, case-folded.
    Email,
    /// The 统一社会信用代码.
    CreditCode,
    /// The company name without its legal form (有限公司, Co., Ltd. …) and width differences.
    Name,
}

/// The choices made on the import page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportSettings {
    /// The workbook's sheet to read ("" for the first, or a CSV file).
    #[serde(default)]
    pub sheet: String,
    /// For each column, the field it holds (None: left out).
    pub mapping: Vec<Option<ImportField>>,
    pub mode: ImportMode,
    pub keys: Vec<DedupeKey>,
    /// Owner of rows without one ("" for the caller; a manager or admin may name someone).
    pub default_owner: String,
    /// Tags every imported row gets, as `标签` columns are written.
    pub default_tags: String,
}

/// One row read: the customer, its contact if the file has one, and where it was.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRow {
    /// The row's line in the file (the header is line 1).
    pub line: u64,
    pub customer: CustomerInput,
    pub contact: Option<ContactInput>,
}

/// Splits a tags cell on the separators people type (，,;；、 and line breaks); `维度:标签`
/// picks the dimension (行为/组织/价值, behavior/organization/value), otherwise it is a value tag.
pub fn parse_tags(text: &str) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    for part in text.split(['，', ',', ';', '；', '、', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (dimension, label) = match part.split_once([':', '：']) {
            Some((d, l)) => match fold(d.trim()).as_str() {
                "行为" | "behavior" => (TagDimension::Behavior, l.trim()),
                "组织" | "organization" => (TagDimension::Organization, l.trim()),
                "价值" | "value" => (TagDimension::Value, l.trim()),
                _ => (TagDimension::Value, part),
            },
            None => (TagDimension::Value, part),
        };
        let tag = Tag { dimension, label: label.to_string() };
        if !label.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// Reads one row by the mapping and checks it as the forms are checked. Field problems are
/// named by the field (`name`, `contact.phone` …).
pub fn read_row(cells: &[String], settings: &ImportSettings, line: u64, today: chrono::NaiveDate) -> Result<ImportRow, Vec<FieldError>> {
    let mut customer = CustomerInput::default();
    let mut contact = ContactInput::default();
    let mut tags = parse_tags(&settings.default_tags);
    for (cell, field) in cells.iter().zip(&settings.mapping) {
        let Some(field) = field else { continue };
        let value = cell.trim().to_string();
        match field {
            ImportField::Name => customer.name = value,
            ImportField::Phone => customer.phone = value,
            ImportField::Email => customer.email = value,
            ImportField::CreditCode => customer.credit_code = value,
            ImportField::Industry => customer.industry = value,
            ImportField::Region => customer.region = value,
            ImportField::Address => customer.address = value,
            ImportField::Source => customer.source = value,
            ImportField::Owner => customer.owner = value,
            ImportField::Tags => tags.extend(parse_tags(&value).into_iter().filter(|t| !tags.contains(t)).collect::<Vec<_>>()),
            ImportField::Notes => customer.notes = value,
            ImportField::ContactName => contact.name = value,
            ImportField::ContactTitle => contact.title = value,
            ImportField::ContactPhone => contact.phone = value,
            ImportField::ContactEmail => contact.email = value,
            ImportField::ContactBirthday => contact.birthday = value,
        }
    }
    customer.tags = tags;
    // A person's name with no company, e.g. a phone's address book: a personal customer.
    if customer.name.trim().is_empty() && !contact.name.trim().is_empty() {
        customer.name = contact.name.clone();
        customer.kind = CustomerKind::Person;
    }
    let mut errors = Vec::new();
    let customer = validate_customer(&customer).map_err(|e| errors.extend(e)).ok();
    let has_contact = [&contact.name, &contact.title, &contact.phone, &contact.email, &contact.birthday].iter().any(|v| !v.trim().is_empty());
    let contact = if has_contact {
        match validate_contact(&contact, today) {
            Ok(valid) => Some(valid.as_input()),
            Err(e) => {
                errors.extend(e.into_iter().map(|f| FieldError { field: format!("contact.{}", f.field), ..f }));
                None
            }
        }
    } else {
        None
    };
    match customer {
        Some(customer) if errors.is_empty() => Ok(ImportRow { line, customer, contact }),
        _ => Err(errors),
    }
}

/// Whether a normalised key value is specific enough to match on: names of one letter,
/// phone numbers shorter than 7 digits and e-mails without `@` match too much.
pub fn usable_key(key: DedupeKey, value: &str) -> bool {
    match key {
        DedupeKey::Mobile => value.len() >= 7,
        DedupeKey::Email => value.contains('@'),
        DedupeKey::CreditCode => !value.is_empty(),
        DedupeKey::Name => value.chars().count() >= 2,
    }
}

/// The values a row is recognised by, for the keys chosen.
pub fn keys_of(row: &ImportRow, keys: &[DedupeKey]) -> Vec<(DedupeKey, String)> {
    let mut out = Vec::new();
    for key in keys {
        let values: Vec<String> = match key {
            DedupeKey::Mobile => [Some(&row.customer.phone), row.contact.as_ref().map(|c| &c.phone)].into_iter().flatten().map(|p| phone_key(p)).collect(),
            DedupeKey::Email => [Some(&row.customer.email), row.contact.as_ref().map(|c| &c.email)].into_iter().flatten().map(|e| email_key(e)).collect(),
            DedupeKey::CreditCode => vec![credit_code_key(&row.customer.credit_code)],
            DedupeKey::Name => vec![name_key(&row.customer.name)],
        };
        for v in values.into_iter().filter(|v| usable_key(*key, v)) {
            if !out.contains(&(*key, v.clone())) {
                out.push((*key, v));
            }
        }
    }
    out
}

/// What one row will do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum RowAction {
    Create,
    /// Matches this existing customer, whose fields it fills or overwrites.
    Update { customer_id: String },
    /// Matches an existing customer and the mode does not update (or nothing would change).
    SkipDuplicate { customer_id: String },
    /// Matches no customer and the mode does not create.
    SkipNotFound,
    /// The same customer as an earlier row of the file.
    DuplicateInFile { first_line: u64 },
    /// Breaks a rule; what is wrong, by field.
    Refuse { problems: Vec<FieldError> },
}

/// Decides each row's action. `existing` finds a customer by a key (the first key that finds
/// one wins, in the order the person chose them).
pub fn plan(
    rows: &[Result<ImportRow, (u64, Vec<FieldError>)>],
    settings: &ImportSettings,
    existing: impl Fn(DedupeKey, &str) -> Option<String>,
) -> Vec<(u64, RowAction)> {
    let mut seen: HashMap<(DedupeKey, String), u64> = HashMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let row = match row {
            Ok(row) => row,
            Err((line, problems)) => {
                out.push((*line, RowAction::Refuse { problems: problems.clone() }));
                continue;
            }
        };
        let keys = keys_of(row, &settings.keys);
        if let Some(first) = keys.iter().find_map(|k| seen.get(k)) {
            out.push((row.line, RowAction::DuplicateInFile { first_line: *first }));
            continue;
        }
        for k in &keys {
            seen.insert(k.clone(), row.line);
        }
        let found = keys.iter().find_map(|(key, value)| existing(*key, value));
        let action = match (found, settings.mode) {
            (Some(id), ImportMode::CreateOnly) => RowAction::SkipDuplicate { customer_id: id },
            (Some(id), _) => RowAction::Update { customer_id: id },
            (None, ImportMode::UpdateOnly) => RowAction::SkipNotFound,
            (None, _) => RowAction::Create,
        };
        out.push((row.line, action));
    }
    out
}

/// An existing customer with a row's values: its empty fields filled, or (overwriting) every
/// field the row has a value for. Owner and stage are not the file's to change; tags are
/// added, never taken away.
pub fn merged(existing: &CustomerInput, row: &CustomerInput, overwrite: bool) -> CustomerInput {
    let take = |old: &String, new: &String| if new.is_empty() || (!overwrite && !old.is_empty()) { old.clone() } else { new.clone() };
    let mut tags = existing.tags.clone();
    for t in &row.tags {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    CustomerInput {
        name: take(&existing.name, &row.name),
        industry: take(&existing.industry, &row.industry),
        region: take(&existing.region, &row.region),
        source: take(&existing.source, &row.source),
        phone: take(&existing.phone, &row.phone),
        email: take(&existing.email, &row.email),
        credit_code: take(&existing.credit_code, &row.credit_code),
        address: take(&existing.address, &row.address),
        notes: take(&existing.notes, &row.notes),
        tags,
        ..existing.clone()
    }
}

/// How many rows do what: the dry run's summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCounts {
    pub create: u64,
    pub update: u64,
    pub skip_duplicate: u64,
    pub skip_not_found: u64,
    pub duplicate_in_file: u64,
    pub refuse: u64,
}

pub fn count(actions: &[(u64, RowAction)]) -> PlanCounts {
    let mut c = PlanCounts::default();
    for (_, a) in actions {
        match a {
            RowAction::Create => c.create += 1,
            RowAction::Update { .. } => c.update += 1,
            RowAction::SkipDuplicate { .. } => c.skip_duplicate += 1,
            RowAction::SkipNotFound => c.skip_not_found += 1,
            RowAction::DuplicateInFile { .. } => c.duplicate_in_file += 1,
            RowAction::Refuse { .. } => c.refuse += 1,
        }
    }
    c
}

/// What the page shows once a file is chosen: its sheets, its headings with the mapping
/// proposed (the one saved for these headings, or guessed), and a few rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub sheets: Vec<String>,
    pub sheet: String,
    pub encoding: String,
    pub headings: Vec<String>,
    pub mapping: Vec<Option<ImportField>>,
    /// Whether the mapping is one saved from an earlier import of a file like this.
    pub remembered: bool,
    pub sample: Vec<Vec<String>>,
    pub rows: u64,
}

/// The dry run: what the import would do, and the first refused rows with their reasons.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DryRun {
    pub counts: PlanCounts,
    /// (line, what is wrong), the first `LISTED_AT_MOST`.
    pub refused: Vec<(u64, Vec<FieldError>)>,
    /// (line, the earlier line it repeats), the first `LISTED_AT_MOST`.
    pub repeated: Vec<(u64, u64)>,
}

/// Refused and repeated rows listed in a dry run.
pub const LISTED_AT_MOST: usize = 100;

/// One import, as the list of past imports shows it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub id: String,
    pub file: String,
    pub by: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub counts: PlanCounts,
    pub undone_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What undoing an import did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UndoReport {
    pub removed: u64,
    pub restored: u64,
    /// Customers changed since the import, so left as they are: (id, name).
    pub left_alone: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Problem;

    fn headings(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| s.to_string()).collect()
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn headings_in_chinese_and_english_are_recognised() {
        use ImportField::*;
        let m = guess_mapping(&headings(&["客户名称", "手机", "邮箱", "统一社会信用代码", "所属行业", "省市", "客户来源", "负责人", "标签", "备注", "联系人", "职务", "生日"]));
        assert_eq!(m, vec![Some(Name), Some(Phone), Some(Email), Some(CreditCode), Some(Industry), Some(Region), Some(Source), Some(Owner), Some(Tags), Some(Notes), Some(ContactName), Some(ContactTitle), Some(ContactBirthday)]);
        let m = guess_mapping(&headings(&["Company Name", "Mobile", "E-mail", "Owner", "Contact Phone", "whatever"]));
        assert_eq!(m, vec![Some(Name), Some(Phone), Some(Email), Some(Owner), Some(ContactPhone), None]);
        // A second column that looks like a field already taken is left for the person.
        assert_eq!(guess_mapping(&headings(&["电话", "座机"])), vec![Some(Phone), None]);
        assert_eq!(guess_field("联系人手机"), Some(ContactPhone), "the longer name wins over 手机");
        // An address is not a region, nor (as 公司地址 or 客户地址) a name; an e-mail address is an e-mail.
        let m = guess_mapping(&headings(&["公司名称", "所在省市", "公司地址", "邮件地址", "Street Address"]));
        assert_eq!(m, vec![Some(Name), Some(Region), Some(Address), Some(Email), None]);
        assert_eq!(guess_field("客户地址"), Some(Address));
        assert_eq!(guess_field("Customer address"), Some(Address), "not the name, which \"customer\" alone would be");
        assert_eq!(header_signature(&headings(&["客户名称 ", "ＭＯＢＩＬＥ"])), header_signature(&headings(&["客户名称", "mobile"])));
    }

    #[test]
    fn rows_are_read_and_checked_like_the_forms() {
        use ImportField::*;
        let settings = ImportSettings { mapping: vec![Some(Name), Some(Phone), Some(Tags), Some(ContactName), Some(ContactBirthday)], default_tags: "展会".into(), ..Default::default() };
        let row = |cells: &[&str]| read_row(&cells.iter().map(|s| s.to_string()).collect::<Vec<_>>(), &settings, 2, today());
        let ok = row(&["北京某某科技有限公司", "+86 138-0013-8000", "VIP，行为:价格敏感", "王芳", "1990-05-01"]).unwrap();
        assert_eq!(ok.customer.name, "北京某某科技有限公司");
        assert_eq!(ok.customer.tags.len(), 3);
        assert!(ok.customer.tags.contains(&Tag { dimension: TagDimension::Behavior, label: "价格敏感".into() }));
        assert_eq!(ok.contact.unwrap().birthday, "1990-05-01");
        let bad = row(&["", "12", "", "", "生日不详"]).unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "phone", "contact.name", "contact.birthday"]);
        // A person without a company is a personal customer.
        let person = row(&["", "13900001111", "", "李娜", ""]).unwrap();
        assert_eq!((person.customer.name.as_str(), person.customer.kind), ("李娜", CustomerKind::Person));
    }

    #[test]
    fn the_plan_finds_duplicates_in_the_store_and_in_the_file() {
        use ImportField::*;
        let settings = ImportSettings {
            mapping: vec![Some(Name), Some(Phone)],
            keys: vec![DedupeKey::Mobile, DedupeKey::Name],
            mode: ImportMode::CreateAndFill,
            ..Default::default()
        };
        let read = |line: u64, name: &str, phone: &str| {
            read_row(&[name.to_string(), phone.to_string()], &settings, line, today()).map_err(|e| (line, e))
        };
        let rows = vec![
            read(2, "北京某某科技有限公司", ""),
            read(3, "北京某某科技", ""),
            read(4, "上海新客户", "+86 139-0000-1111"),
            read(5, "别的名字", "13900001111"),
            read(6, "", ""),
        ];
        let existing = |key: DedupeKey, value: &str| (key == DedupeKey::Name && value == name_key("北京某某科技")).then(|| "c1".to_string());
        let actions = plan(&rows, &settings, existing);
        assert_eq!(actions[0], (2, RowAction::Update { customer_id: "c1".into() }));
        assert_eq!(actions[1], (3, RowAction::DuplicateInFile { first_line: 2 }), "the same company without its legal form");
        assert_eq!(actions[2], (4, RowAction::Create));
        assert_eq!(actions[3], (5, RowAction::DuplicateInFile { first_line: 4 }), "the same mobile, written differently");
        assert!(matches!(&actions[4], (6, RowAction::Refuse { problems }) if problems[0].problem == Problem::Required));
        let c = count(&actions);
        assert_eq!((c.create, c.update, c.duplicate_in_file, c.refuse), (1, 1, 2, 1));
        // Create only: the match is a duplicate to skip; update only: the new one is not found.
        let only = ImportSettings { mode: ImportMode::CreateOnly, ..settings.clone() };
        assert_eq!(plan(&rows, &only, existing)[0].1, RowAction::SkipDuplicate { customer_id: "c1".into() });
        let update = ImportSettings { mode: ImportMode::UpdateOnly, ..settings };
        assert_eq!(plan(&rows, &update, existing)[2].1, RowAction::SkipNotFound);
    }

    #[test]
    fn an_update_fills_or_overwrites_and_never_takes_away() {
        let old = CustomerInput { name: "某某科技".into(), phone: "13800138000".into(), industry: String::new(), tags: vec![Tag::new(TagDimension::Value, "VIP")], owner: "wang".into(), ..Default::default() };
        let row = CustomerInput { name: "某某科技有限公司".into(), phone: "13900001111".into(), industry: "制造业".into(), email: String::new(), tags: vec![Tag::new(TagDimension::Value, "展会")], owner: "li".into(), ..Default::default() };
        let filled = merged(&old, &row, false);
        assert_eq!((filled.name.as_str(), filled.phone.as_str(), filled.industry.as_str(), filled.owner.as_str()), ("某某科技", "13800138000", "制造业", "wang"));
        assert_eq!(filled.tags.len(), 2);
        let over = merged(&old, &row, true);
        assert_eq!((over.name.as_str(), over.phone.as_str(), over.owner.as_str()), ("某某科技有限公司", "13900001111", "wang"));
    }
}
