//! Canonical forms of names, phones and emails: what search matches on and what duplicate
//! detection compares. Pure functions, shared by the store and the browser.

/// Folds text for case- and width-insensitive matching: full-width ASCII (ＡＢＣ１２３, common
/// in Chinese input methods) becomes half-width, then everything is lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        let ch = match ch {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            '\u{3000}' => ' ',
            _ => ch,
        };
        out.extend(ch.to_lowercase());
    }
    out
}

/// Legal-form endings that say nothing about *which* company it is: "张三科技有限公司" and
/// "张三科技" are the same customer. Chinese has no word breaks, so these are stripped from the
/// end of the text; longest first so the longest ending wins.
const CJK_LEGAL_FORMS: &[&str] =
    &["股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "分公司", "公司", "集团"];

/// Latin legal-form words, stripped only as whole trailing words ("Costco" keeps its "co").
const LATIN_LEGAL_FORMS: &[&str] = &[
    "co", "corp", "corporation", "company", "inc", "incorporated", "llc", "ltd", "limited",
    "group", "gmbh", "plc", "sa", "ag",
];

/// The key two customer names are compared by: folded, without spaces or punctuation, without
/// trailing legal forms. Never empty for a name with a letter or digit in it.
pub fn name_key(name: &str) -> String {
    // "(中国)" and "（北京）" say where, not who: 某某（中国）有限公司 is 某某有限公司.
    let folded = without_place_in_brackets(&fold(name));
    let mut words: Vec<&str> =
        folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    while words.len() > 1 && words.last().is_some_and(|w| LATIN_LEGAL_FORMS.contains(w)) {
        words.pop();
    }
    let mut key = words.concat();
    // Strip repeatedly: "某某集团有限公司" can end in more than one legal form.
    while let Some(form) =
        CJK_LEGAL_FORMS.iter().find(|form| key.len() > form.len() && key.ends_with(*form))
    {
        key.truncate(key.len() - form.len());
    }
    key
}

/// Drops a bracketed place name (中国, 北京, 上海 …: up to four CJK characters) from a name.
fn without_place_in_brackets(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        match after.find(')') {
            Some(close) if (1..=4).contains(&after[..close].chars().count()) && after[..close].chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) => {
                out.push_str(&rest[..open]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The digits of a phone number without the mainland country code, so that
/// "+86 138-0013-8000", "8613800138000" and "13800138000" compare equal.
pub fn phone_key(phone: &str) -> String {
    // Full-width digits (１３８…) from Chinese input methods count as digits.
    let digits: String = fold(phone).chars().filter(|c| c.is_ascii_digit()).collect();
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => digits,
    }
}

/// A 统一社会信用代码 as it is compared and stored for lookup: folded to half-width capitals,
/// without spaces or dashes.
pub fn credit_code_key(code: &str) -> String {
    fold(code).chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// Whether an 18-character code is a well-formed 统一社会信用代码 (GB 32100-2015): its
/// characters from the code's alphabet and its last one the check character of the first 17.
pub fn is_valid_credit_code(key: &str) -> bool {
    key.chars().count() == 18 && key.get(..17).and_then(credit_code_check) == key.chars().last()
}

/// The check character (the 18th) of a code's first 17 characters, if they are of the
/// code's alphabet.
pub fn credit_code_check(body: &str) -> Option<char> {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let values: Option<Vec<u32>> = body.chars().map(|c| ALPHABET.find(c).map(|i| i as u32)).collect();
    let values = values.filter(|v| v.len() == 17)?;
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    ALPHABET.chars().nth(((31 - sum % 31) % 31) as usize)
}

/// Emails compare case-insensitively and without surrounding space.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Collapses inner runs of whitespace and trims: what is stored for single-line fields.
pub fn clean_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_lowercases_and_narrows_full_width() {
        assert_eq!(fold("Zhang WEI"), "zhang wei");
        assert_eq!(fold("ＡＢＣ１２３"), "abc123");
        assert_eq!(fold("张三科技"), "张三科技");
    }

    #[test]
    fn name_key_ignores_legal_form_case_and_punctuation() {
        assert_eq!(name_key("张三科技有限公司"), "张三科技");
        assert_eq!(name_key("张三科技"), "张三科技");
        assert_eq!(name_key(" 张三 科技（有限公司）"), "张三科技");
        assert_eq!(name_key("Acme Group Co., Ltd."), "acme");
        assert_eq!(name_key("ACME"), "acme");
        assert_eq!(name_key("Costco"), "costco");
        assert_eq!(name_key("Monaco Trading"), "monacotrading");
    }

    #[test]
    fn name_key_keeps_a_name_that_is_only_a_legal_form() {
        // Stripping must never leave an empty key that would match every other such name.
        assert_eq!(name_key("公司"), "公司");
        assert_eq!(name_key("Co"), "co");
    }

    #[test]
    fn name_key_of_person_is_the_name() {
        assert_eq!(name_key("Zhang Wei"), "zhangwei");
        assert_eq!(name_key("王芳"), "王芳");
    }

    #[test]
    fn phone_key_drops_country_code_and_separators() {
        assert_eq!(phone_key("+86 138-0013-8000"), "13800138000");
        assert_eq!(phone_key("8613800138000"), "13800138000");
        assert_eq!(phone_key("13800138000"), "13800138000");
        assert_eq!(phone_key("010-8888 6666"), "01088886666");
    }

    #[test]
    fn email_key_is_case_insensitive() {
        assert_eq!(email_key("  Li.Na@Example.COM "), "li.na@example.com");
    }

    #[test]
    fn duplicate_keys_see_through_the_usual_differences() {
        assert_eq!(name_key("北京某某科技有限公司"), name_key("北京某某科技"));
        assert_eq!(name_key("某某（中国）有限公司"), name_key("某某有限公司"));
        assert_eq!(name_key("某某(中国)投资有限公司"), name_key("某某投资"));
        assert_eq!(name_key("Acme Co., Ltd."), name_key("ACME"));
        assert_ne!(name_key("北京某某科技"), name_key("上海某某科技"));
        assert_eq!(phone_key("+86 138-0013-8000"), "13800138000");
        assert_eq!(phone_key("１３８ ００１３ ８０００"), "13800138000");
        assert_eq!(email_key(" Wang.Fang@Example.COM "), "wang.fang@example.com");
        assert_eq!(credit_code_key("91110108 5513-85082 ｑ"), "91110108551385082Q");
    }

    #[test]
    fn credit_codes_carry_their_check_character() {
        // Published codes of well-known companies.
        assert!(is_valid_credit_code("91110108551385082Q"));
        assert!(is_valid_credit_code("91440300708461136T"));
        assert!(!is_valid_credit_code("91110108551385082R"), "a wrong check character");
        assert!(!is_valid_credit_code("9111010855138508"), "too short");
        assert!(!is_valid_credit_code("9111010855138508IQ"), "I is not in the alphabet");
    }

    #[test]
    fn clean_line_collapses_space() {
        assert_eq!(clean_line("  a \t b\n c "), "a b c");
    }
}
