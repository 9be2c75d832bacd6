//! What a team group reads when Kehu posts an event to a 企业微信 / 钉钉 / 飞书 group robot:
//! a title and a few lines, in the company's language. The robots render markdown, so text
//! people typed (a customer's name, a deal's title) has its markdown characters turned into
//! their full-width look-alikes: nobody can slip a link or a heading into the team's group.

use crate::audit::types::{EventKind, FieldChange};
use crate::i18n::Lang;

/// A robot message before it is put in a robot's format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    pub title: String,
    pub lines: Vec<String>,
}

/// At most this many changed fields are listed (a group message is read at a glance).
pub const CHANGES_SHOWN: usize = 6;
/// A value longer than this is cut with an ellipsis.
const VALUE_MAX: usize = 60;

/// Makes typed text safe to put in a robot's markdown: one line, no markup characters.
pub fn defuse(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            '(' => '（',
            ')' => '）',
            '<' => '＜',
            '>' => '＞',
            '*' => '＊',
            '_' => '＿',
            '`' => '｀',
            '#' => '＃',
            '|' => '｜',
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    if out.chars().count() > VALUE_MAX {
        out = out.chars().take(VALUE_MAX).collect::<String>() + "…";
    }
    out
}

/// The message for an event of `kind` about `subject`, done by `actor_name`, concerning the
/// customer `customer_name` (empty when none).
pub fn announce(lang: Lang, kind: EventKind, subject: &str, customer_name: &str, actor_name: &str, changes: &[FieldChange]) -> Announcement {
    let (customer_label, actor_label, more) = match lang {
        Lang::Zh => ("客户", "操作人", "等"),
        Lang::En => ("Customer", "By", "and more"),
    };
    let title = if subject.is_empty() { kind.label(lang).to_string() } else { format!("{} · {}", kind.label(lang), defuse(subject)) };
    let mut lines = Vec::new();
    if !customer_name.is_empty() && customer_name != subject {
        lines.push(format!("{customer_label}: {}", defuse(customer_name)));
    }
    if !actor_name.is_empty() {
        lines.push(format!("{actor_label}: {}", defuse(actor_name)));
    }
    for change in changes.iter().take(CHANGES_SHOWN) {
        let line = match (change.before.is_empty(), change.after.is_empty()) {
            (true, _) => format!("{}: {}", defuse(&change.field), defuse(&change.after)),
            (false, true) => format!("{}: {} → —", defuse(&change.field), defuse(&change.before)),
            (false, false) => format!("{}: {} → {}", defuse(&change.field), defuse(&change.before), defuse(&change.after)),
        };
        lines.push(line);
    }
    if changes.len() > CHANGES_SHOWN {
        lines.push(format!("… {more} {}", changes.len() - CHANGES_SHOWN));
    }
    Announcement { title, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_cannot_carry_markup_into_the_group() {
        assert_eq!(defuse("[点我](http://evil.example) **急**"), "［点我］（http://evil.example） ＊＊急＊＊");
        assert_eq!(defuse("a\nb\tc"), "a b c");
        assert!(defuse(&"长".repeat(200)).ends_with('…'));
        assert_eq!(defuse(&"长".repeat(200)).chars().count(), VALUE_MAX + 1);
    }

    #[test]
    fn a_won_deal_reads_at_a_glance_in_either_language() {
        let changes = [FieldChange::new("stage", "商务谈判", "签约"), FieldChange::new("amount", "", "120000")];
        let zh = announce(Lang::Zh, EventKind::DealWon, "ERP 一期", "甲的客户科技", "销售甲", &changes);
        assert_eq!(zh.title, "赢单 · ERP 一期");
        assert_eq!(zh.lines, ["客户: 甲的客户科技", "操作人: 销售甲", "stage: 商务谈判 → 签约", "amount: 120000"]);
        let en = announce(Lang::En, EventKind::CustomerCreated, "Acme", "Acme", "Rep", &[]);
        assert_eq!(en.title, "Customer created · Acme");
        assert_eq!(en.lines, ["By: Rep"], "the customer is not repeated when it is the subject");
    }

    #[test]
    fn long_change_lists_are_cut() {
        let changes: Vec<FieldChange> = (0..10).map(|i| FieldChange::new(&format!("f{i}"), "a", "")).collect();
        let a = announce(Lang::Zh, EventKind::CustomerUpdated, "", "", "", &changes);
        assert_eq!(a.title, "修改客户");
        assert_eq!(a.lines.len(), CHANGES_SHOWN + 1);
        assert_eq!(a.lines[0], "f0: a → —");
        assert_eq!(a.lines.last().unwrap(), "… 等 4");
    }
}
