//! Competitors (竞品): configured names with aliases, found in follow-up notes and deals.
//! A mention is a name or alias appearing in the text, ignoring case and full/half width;
//! a Latin alias must stand as a word ("SAP" is not found in "SAPPHIRE"), a Chinese one
//! anywhere. What the report adds up: mentions by month, the customers who mention each
//! competitor, and the deals won and lost where that competitor was named.

use serde::{Deserialize, Serialize};

use crate::problem::{FieldError, Problem};

pub const NAME_MAX: usize = 40;
pub const ALIASES_MAX: usize = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Competitor {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompetitorInput {
    pub name: String,
    /// Separated by commas (either width) or 、.
    pub aliases: String,
}

pub fn validate_competitor(input: &CompetitorInput) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_string();
    if name.is_empty() {
        errors.push(FieldError::new("name", Problem::Required));
    } else if name.chars().count() > NAME_MAX {
        errors.push(FieldError::new("name", Problem::TooLong { max: NAME_MAX }));
    }
    let mut aliases: Vec<String> = Vec::new();
    for a in input.aliases.split([',', '，', '、']).map(str::trim).filter(|a| !a.is_empty()) {
        if a.chars().count() > NAME_MAX {
            errors.push(FieldError::new("aliases", Problem::TooLong { max: NAME_MAX }));
        } else if !aliases.iter().any(|x| fold(x) == fold(a)) && fold(a) != fold(&name) {
            aliases.push(a.to_string());
        }
    }
    if aliases.len() > ALIASES_MAX {
        errors.push(FieldError::new("aliases", Problem::TooMany { max: ALIASES_MAX }));
    }
    if errors.is_empty() { Ok((name, aliases)) } else { Err(errors) }
}

/// Lower case, full-width Latin letters and digits made half-width.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// A competitor's terms, folded, ready to search many texts.
pub struct Matcher {
    terms: Vec<(usize, String)>,
}

impl Matcher {
    pub fn new(competitors: &[Competitor]) -> Self {
        let mut terms = Vec::new();
        for (i, c) in competitors.iter().enumerate() {
            for term in std::iter::once(&c.name).chain(&c.aliases) {
                let folded = fold(term);
                if !folded.is_empty() {
                    terms.push((i, folded));
                }
            }
        }
        Matcher { terms }
    }

    /// The competitors (indexes) a text mentions, each once, in order.
    pub fn mentions(&self, text: &str) -> Vec<usize> {
        let folded = fold(text);
        let mut found: Vec<usize> = Vec::new();
        for (i, term) in &self.terms {
            if found.contains(i) {
                continue;
            }
            let word_like = term.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
            let hit = folded.match_indices(term.as_str()).any(|(at, m)| {
                if !word_like {
                    return true;
                }
                let before = folded[..at].chars().next_back();
                let after = folded[at + m.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric())
            });
            if hit {
                found.push(*i);
            }
        }
        found.sort_unstable();
        found
    }
}

/// One competitor in the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompetitorStats {
    pub name: String,
    pub mentions: u32,
    /// Distinct customers whose notes or deals mention it, and the first few of them.
    pub customers: u32,
    pub some_customers: Vec<(String, String)>,
    pub deals_won: u32,
    pub deals_lost: u32,
    pub deals_open: u32,
}

impl CompetitorStats {
    /// Our win rate in closed deals where this competitor was named.
    pub fn win_rate(&self) -> Option<f64> {
        let closed = self.deals_won + self.deals_lost;
        (closed > 0).then(|| self.deals_won as f64 / closed as f64)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompetitorReport {
    pub competitors: Vec<Competitor>,
    pub stats: Vec<CompetitorStats>,
    /// Months (`YYYY-MM`, the last twelve), each with mentions per competitor (same order).
    pub by_month: Vec<(String, Vec<u32>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn competitors() -> Vec<Competitor> {
        vec![
            Competitor { id: "1".into(), name: "用友".into(), aliases: vec!["Yonyou".into(), "U8".into()] },
            Competitor { id: "2".into(), name: "SAP".into(), aliases: vec![] },
        ]
    }

    #[test]
    fn names_and_aliases_in_any_case_and_width() {
        let m = Matcher::new(&competitors());
        assert_eq!(m.mentions("客户在对比用友和我们"), vec![0]);
        assert_eq!(m.mentions("他们现在用 yonyou 的 ｕ８，也看了 sap"), vec![0, 1]);
        assert_eq!(m.mentions("SAP、用友都来过"), vec![0, 1]);
    }

    #[test]
    fn latin_terms_must_stand_as_words() {
        let m = Matcher::new(&competitors());
        assert!(m.mentions("SAPPHIRE 项目").is_empty());
        assert!(m.mentions("ASAP 回复").is_empty());
        assert_eq!(m.mentions("选了SAP系统"), vec![1]);
    }

    #[test]
    fn aliases_are_split_trimmed_and_deduplicated() {
        let input = CompetitorInput { name: "用友".into(), aliases: " Yonyou，U8、yonyou, 用友 ,".into() };
        assert_eq!(validate_competitor(&input), Ok(("用友".into(), vec!["Yonyou".into(), "U8".into()])));
        assert!(validate_competitor(&CompetitorInput::default()).is_err());
    }

    #[test]
    fn win_rate_counts_closed_deals_only() {
        let s = CompetitorStats { deals_won: 1, deals_lost: 3, deals_open: 5, ..Default::default() };
        assert_eq!(s.win_rate(), Some(0.25));
        assert_eq!(CompetitorStats::default().win_rate(), None);
    }
}
