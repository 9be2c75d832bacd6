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
    let folded = fold(name);
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

/// The digits of a phone number without the mainland country code, so that
/// "+86 138-0013-8000", "8613800138000" and "13800138000" compare equal.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(|c| c.is_ascii_digit()).collect();
    match digits.strip_prefix("86") {
        Some(rest) if rest.len() == 11 && rest.starts_with('1') => rest.to_string(),
        _ => digits,
    }
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
    fn clean_line_collapses_space() {
        assert_eq!(clean_line("  a \t b\n c "), "a b c");
    }
}
