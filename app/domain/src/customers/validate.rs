//! Input rules for customers, contacts and follow-ups. The browser runs them for instant
//! field messages; the server runs them again because only its answer counts.

use chrono::NaiveDate;

use super::types::{ContactInput, CustomerInput, GeoPoint, Tag, TouchpointInput, TouchpointKind};
use crate::check::Check;
use crate::problem::{FieldError, Problem};

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 100;
pub const PHONE_MAX: usize = 40;
pub const EMAIL_MAX: usize = 254;
pub const NOTES_MAX: usize = 5000;
pub const ADDRESS_MAX: usize = 300;
pub const SUMMARY_MAX: usize = 2000;
pub const NEXT_STEP_MAX: usize = 500;
pub const TAG_MAX: usize = 30;
pub const TAGS_PER_CUSTOMER_MAX: usize = 50;

impl Check {
    /// A 统一社会信用代码: stored in its canonical form, refused unless well-formed.
    fn credit_code(&mut self, field: &str, value: &str) -> String {
        let line = self.line(field, value, 40, false);
        let key = super::normalize::credit_code_key(&line);
        if !key.is_empty() && !super::normalize::is_valid_credit_code(&key) {
            self.fail(field, Problem::InvalidCreditCode);
        }
        key
    }

    fn phone(&mut self, field: &str, value: &str) -> String {
        let cleaned = self.line(field, value, PHONE_MAX, false);
        if !cleaned.is_empty() && !is_valid_phone(&cleaned) {
            self.fail(field, Problem::InvalidPhone);
        }
        cleaned
    }

    fn email(&mut self, field: &str, value: &str) -> String {
        let cleaned = self.line(field, value, EMAIL_MAX, false);
        if !cleaned.is_empty() && !is_valid_email(&cleaned) {
            self.fail(field, Problem::InvalidEmail);
        }
        cleaned
    }

}

/// Mainland mobiles (11 digits from 13x–19x), landlines with area code, 400/800 lines and
/// international numbers with `+`. Separators people type (space, -, parentheses) are fine.
pub fn is_valid_phone(phone: &str) -> bool {
    let (international, rest) = match phone.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, phone),
    };
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')) {
        return false;
    }
    let digits: String = rest.chars().filter(|c| c.is_ascii_digit()).collect();
    if !(7..=15).contains(&digits.len()) {
        return false;
    }
    let national = match digits.strip_prefix("86") {
        Some(n) if international || digits.len() == 13 => n,
        _ if international => return true,
        _ => digits.as_str(),
    };
    match national.as_bytes() {
        // Beijing's area code without its trunk 0, as written after +86.
        [b'1', b'0', ..] => (9..=10).contains(&national.len()),
        // Otherwise a leading 1 is a mobile number: 11 digits, 13x to 19x.
        [b'1', second, ..] => national.len() == 11 && (b'3'..=b'9').contains(second),
        _ => national.len() >= 7,
    }
}

/// A practical address check: one `@`, a local part, a dotted domain of letters, digits and
/// hyphens. It refuses typos, not rare-but-valid RFC 5322 forms nobody types into a CRM.
pub fn is_valid_email(email: &str) -> bool {
    if email.len() > EMAIL_MAX || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || local.contains('@') {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    labels.iter().all(label_ok) && labels.last().is_some_and(|tld| tld.chars().count() >= 2)
}

pub fn validate_tag(tag: &Tag) -> Result<Tag, Vec<FieldError>> {
    let mut check = Check::default();
    let label = check.line("tag", &tag.label, TAG_MAX, true);
    check.finish(Tag { dimension: tag.dimension, label })
}

/// Checks a customer form and returns it cleaned (spaces collapsed, tags de-duplicated).
pub fn validate_customer(input: &CustomerInput) -> Result<CustomerInput, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.line("name", &input.name, NAME_MAX, true);
    let industry = check.line("industry", &input.industry, SHORT_MAX, false);
    let region = check.line("region", &input.region, SHORT_MAX, false);
    let source = check.line("source", &input.source, SHORT_MAX, false);
    let owner = check.line("owner", &input.owner, SHORT_MAX, false);
    let phone = check.phone("phone", &input.phone);
    let email = check.email("email", &input.email);
    let credit_code = check.credit_code("credit_code", &input.credit_code);
    let address = check.line("address", &input.address, ADDRESS_MAX, false);
    let notes = check.text("notes", &input.notes, NOTES_MAX, false);
    let mut tags = Vec::new();
    if input.tags.len() > TAGS_PER_CUSTOMER_MAX {
        check.fail("tags", Problem::TooLong { max: TAGS_PER_CUSTOMER_MAX });
    } else {
        for tag in &input.tags {
            let label = check.line("tags", &tag.label, TAG_MAX, true);
            let tag = Tag { dimension: tag.dimension, label };
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    check.finish(CustomerInput {
        kind: input.kind,
        name,
        industry,
        region,
        source,
        stage: input.stage,
        owner,
        phone,
        email,
        credit_code,
        address,
        notes,
        tags,
    })
}

/// A checked contact: the cleaned input and its birthday parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidContact {
    pub name: String,
    pub title: String,
    pub phone: String,
    pub email: String,
    pub birthday: Option<NaiveDate>,
}

impl ValidContact {
    /// The contact as its form would show it back (what the audit log compares).
    pub fn as_input(&self) -> ContactInput {
        ContactInput {
            name: self.name.clone(),
            title: self.title.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            birthday: self.birthday.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        }
    }
}

pub fn validate_contact(input: &ContactInput, today: NaiveDate) -> Result<ValidContact, Vec<FieldError>> {
    let mut check = Check::default();
    let name = check.line("name", &input.name, SHORT_MAX, true);
    let title = check.line("title", &input.title, SHORT_MAX, false);
    let phone = check.phone("phone", &input.phone);
    let email = check.email("email", &input.email);
    let birthday = check.date("birthday", &input.birthday, today, true);
    check.finish(ValidContact { name, title, phone, email, birthday })
}

/// A checked follow-up.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidTouchpoint {
    pub author: String,
    pub summary: String,
    pub next_step: String,
    pub next_step_on: Option<NaiveDate>,
    pub position: Option<GeoPoint>,
}

/// A check-in position further off than this says nothing about where the visit was.
pub const POSITION_ACCURACY_MAX_M: u32 = 50_000;

pub fn validate_touchpoint(input: &TouchpointInput, today: NaiveDate) -> Result<ValidTouchpoint, Vec<FieldError>> {
    let mut check = Check::default();
    let author = check.line("author", &input.author, SHORT_MAX, true);
    let summary = check.text("summary", &input.summary, SUMMARY_MAX, true);
    let next_step = check.text("next_step", &input.next_step, NEXT_STEP_MAX, false);
    let next_step_on = check.date("next_step_on", &input.next_step_on, today, false);
    if let Some(p) = &input.position {
        // Only a visit is checked in; a call's position would say nothing about the customer.
        if input.kind != TouchpointKind::Visit {
            check.fail("position", Problem::UnknownChoice);
        } else if !(p.lat.is_finite() && (-90.0..=90.0).contains(&p.lat)) {
            check.fail("position", Problem::OutOfRange { min: -90, max: 90 });
        } else if !(p.lng.is_finite() && (-180.0..=180.0).contains(&p.lng)) {
            check.fail("position", Problem::OutOfRange { min: -180, max: 180 });
        } else if p.accuracy_m > POSITION_ACCURACY_MAX_M {
            check.fail("position", Problem::OutOfRange { min: 0, max: i64::from(POSITION_ACCURACY_MAX_M) });
        }
    }
    check.finish(ValidTouchpoint { author, summary, next_step, next_step_on, position: input.position })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::types::TagDimension;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn customer(name: &str) -> CustomerInput {
        CustomerInput { name: name.to_string(), ..Default::default() }
    }

    fn problems(errors: &[FieldError], field: &str) -> Vec<Problem> {
        errors.iter().filter(|e| e.field == field).map(|e| e.problem.clone()).collect()
    }

    #[test]
    fn a_customer_needs_a_name() {
        let errors = validate_customer(&customer("   ")).unwrap_err();
        assert_eq!(problems(&errors, "name"), vec![Problem::Required]);
    }

    #[test]
    fn a_ten_megabyte_name_is_too_long() {
        let errors = validate_customer(&customer(&"名".repeat(10 * 1024 * 1024 / 3))).unwrap_err();
        assert_eq!(problems(&errors, "name"), vec![Problem::TooLong { max: NAME_MAX }]);
    }

    #[test]
    fn a_name_of_exactly_the_limit_is_fine() {
        assert!(validate_customer(&customer(&"名".repeat(NAME_MAX))).is_ok());
        assert!(validate_customer(&customer(&"名".repeat(NAME_MAX + 1))).is_err());
    }

    #[test]
    fn values_are_cleaned() {
        let mut input = customer("  张三科技   有限公司 ");
        input.tags = vec![Tag::new(TagDimension::Value, " VIP "), Tag::new(TagDimension::Value, "VIP")];
        let ok = validate_customer(&input).unwrap();
        assert_eq!(ok.name, "张三科技 有限公司");
        assert_eq!(ok.tags, vec![Tag::new(TagDimension::Value, "VIP")]);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut input = customer("");
        input.phone = "12345abc".into();
        input.email = "not-an-email".into();
        let errors = validate_customer(&input).unwrap_err();
        assert_eq!(problems(&errors, "name"), vec![Problem::Required]);
        assert_eq!(problems(&errors, "phone"), vec![Problem::InvalidPhone]);
        assert_eq!(problems(&errors, "email"), vec![Problem::InvalidEmail]);
    }

    #[test]
    fn phones_people_really_type_are_accepted() {
        for ok in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "8613800138000",
            "010-88886666",
            "(0755) 8888 6666",
            "400-820-8820",
            "+1 415 555 2671",
            "+44 20 7946 0958",
            "+86 10 8888 6666",
        ] {
            assert!(is_valid_phone(ok), "{ok} should be accepted");
        }
    }

    #[test]
    fn malformed_phones_are_refused() {
        for bad in ["12345", "1380013800", "138001380001", "12800138000", "phone", "138o0138000", "++8613800138000", "1234567890123456"] {
            assert!(!is_valid_phone(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn emails() {
        for ok in ["li.na@example.com", "zhang+crm@mail.example.cn", "wang@例子.中国"] {
            assert!(is_valid_email(ok), "{ok} should be accepted");
        }
        for bad in ["plain", "a@b", "@example.com", "a@.com", "a b@example.com", "a@example.c", "a..b@example.com", "a@-x.com"] {
            assert!(!is_valid_email(bad), "{bad} should be refused");
        }
    }

    #[test]
    fn contact_birthday_must_be_a_real_past_date() {
        let mut input = ContactInput { name: "王芳".into(), ..Default::default() };
        input.birthday = "1990-02-30".into();
        assert_eq!(problems(&validate_contact(&input, today()).unwrap_err(), "birthday"), vec![Problem::InvalidDate]);
        input.birthday = "2030-01-01".into();
        assert_eq!(problems(&validate_contact(&input, today()).unwrap_err(), "birthday"), vec![Problem::DateInFuture]);
        input.birthday = "1800-01-01".into();
        assert_eq!(problems(&validate_contact(&input, today()).unwrap_err(), "birthday"), vec![Problem::DateTooOld]);
        input.birthday = "1992-02-29".into();
        assert_eq!(validate_contact(&input, today()).unwrap().birthday, NaiveDate::from_ymd_opt(1992, 2, 29));
    }

    #[test]
    fn follow_up_needs_summary_and_author_and_sane_next_date() {
        let input = TouchpointInput { author: "".into(), summary: " ".into(), next_step_on: "10000-01-01".into(), ..Default::default() };
        let errors = validate_touchpoint(&input, today()).unwrap_err();
        assert_eq!(problems(&errors, "author"), vec![Problem::Required]);
        assert_eq!(problems(&errors, "summary"), vec![Problem::Required]);
        assert_eq!(problems(&errors, "next_step_on"), vec![Problem::InvalidDate]);
    }

    #[test]
    fn tag_labels_are_bounded() {
        assert!(validate_tag(&Tag::new(TagDimension::Behavior, "价格敏感型")).is_ok());
        assert!(validate_tag(&Tag::new(TagDimension::Behavior, " ")).is_err());
        assert!(validate_tag(&Tag::new(TagDimension::Behavior, "x".repeat(TAG_MAX + 1))).is_err());
    }

    #[test]
    fn a_visit_may_carry_its_check_in_position_and_nothing_else_may() {
        let at = GeoPoint { lat: 31.2304, lng: 121.4737, accuracy_m: 25 };
        let visit = TouchpointInput { kind: TouchpointKind::Visit, author: "销售甲".into(), summary: "上门".into(), position: Some(at), ..Default::default() };
        assert_eq!(validate_touchpoint(&visit, today()).map(|v| v.position), Ok(Some(at)));
        let call = TouchpointInput { kind: TouchpointKind::Call, ..visit.clone() };
        assert_eq!(validate_touchpoint(&call, today()).unwrap_err()[0].field, "position");
        for bad in [
            GeoPoint { lat: 91.0, ..at },
            GeoPoint { lng: -180.5, ..at },
            GeoPoint { lat: f64::NAN, ..at },
            GeoPoint { accuracy_m: POSITION_ACCURACY_MAX_M + 1, ..at },
        ] {
            let input = TouchpointInput { position: Some(bad), ..visit.clone() };
            assert_eq!(validate_touchpoint(&input, today()).unwrap_err()[0].field, "position", "{bad:?}");
        }
        assert!(at.map_url().contains("position=121.473700,31.230400&coordinate=wgs84"));
    }
}
