//! Texts of the 今天 page that carry numbers or names: why a lead scores as it does, what
//! the score learned from, when a customer usually buys again.

use super::{touch_label, Lang};
use crate::insight::lead_score::{Feature, Reason};
use crate::today::ModelFacts;

/// One reason beside a lead's score, with an arrow for its direction: "来源：转介绍 ↑".
pub fn lead_reason_text(reason: &Reason, lang: Lang) -> String {
    let n = reason.amount.unwrap_or(0);
    let fact = match (&reason.feature, lang) {
        (Feature::Source(v), Lang::Zh) => format!("来源：{v}"),
        (Feature::Source(v), Lang::En) => format!("source: {v}"),
        (Feature::Industry(v), Lang::Zh) => format!("行业：{v}"),
        (Feature::Industry(v), Lang::En) => format!("industry: {v}"),
        (Feature::Region(v), Lang::Zh) => format!("地区：{v}"),
        (Feature::Region(v), Lang::En) => format!("region: {v}"),
        (Feature::Touches(kind), Lang::Zh) => format!("{} {n} 次", touch_label(*kind).text(lang)),
        (Feature::Touches(kind), Lang::En) => format!("{} × {n}", touch_label(*kind).text(lang)),
        (Feature::AllTouches, Lang::Zh) => format!("共接触 {n} 次"),
        (Feature::AllTouches, Lang::En) => format!("{n} touches in all"),
        (Feature::Age, Lang::Zh) => format!("首次接触于 {n} 天前"),
        (Feature::Age, Lang::En) => format!("first touched {n} days ago"),
        (Feature::NeverTouched, Lang::Zh) => "从未接触".to_string(),
        (Feature::NeverTouched, Lang::En) => "never touched".to_string(),
    };
    format!("{fact} {}", if reason.effect > 0.0 { "↑" } else { "↓" })
}

pub fn lead_model_text(model: ModelFacts, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("按本公司 {} 个已有结果的客户学得（其中 {} 个赢单），每十分钟更新。", model.examples, model.won),
        Lang::En => format!("Learned from {} customers with closed deals ({} won), refreshed every ten minutes.", model.examples, model.won),
    }
}

pub fn usual_interval_text(days: u32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("通常每 {days} 天购买一次"),
        Lang::En => format!("usually buys every {days} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::types::TouchpointKind;

    #[test]
    fn reasons_read_naturally_in_both_languages() {
        let up = Reason { feature: Feature::Source("转介绍".into()), amount: None, effect: 0.8 };
        assert_eq!(lead_reason_text(&up, Lang::Zh), "来源：转介绍 ↑");
        let visits = Reason { feature: Feature::Touches(TouchpointKind::Visit), amount: Some(3), effect: 0.5 };
        assert_eq!(lead_reason_text(&visits, Lang::En), format!("{} × 3 ↑", touch_label(TouchpointKind::Visit).text(Lang::En)));
        let old = Reason { feature: Feature::Age, amount: Some(200), effect: -0.4 };
        assert_eq!(lead_reason_text(&old, Lang::Zh), "首次接触于 200 天前 ↓");
    }
}
