//! How metrics, holders and amounts read on the three pages.

use kehu_domain::money::{amount_plain, money_text};
use kehu_domain::targets::types::{Holder, Metric};

use crate::i18n::{Lang, Msg};

pub use kehu_domain::i18n::metric_label;

/// A holder's name; the company (no name) in the reader's language.
pub fn holder_name(key: &str, name: &str, lang: Lang) -> String {
    match Holder::from_key(key) {
        Some(Holder::Company) => Msg::TgCompany.text(lang).to_string(),
        _ => name.to_string(),
    }
}

/// A figure of a metric: money with its sign, counts as they are.
pub fn figure(metric: Metric, value: i64) -> String {
    if metric.is_money() { money_text(value, "CNY") } else { value.to_string() }
}

/// A figure as typed into an input: yuan without the sign, counts as they are.
pub fn typed(metric: Metric, value: i64) -> String {
    if metric.is_money() { amount_plain(value) } else { value.to_string() }
}

/// A failed save as the person reads it: the first field's problem in its own words,
/// anything else as every page says it.
pub fn said(error: &kehu_domain::error::AppError, lang: Lang) -> String {
    match error {
        kehu_domain::error::AppError::Invalid(list) if !list.is_empty() => crate::i18n::problem_text(&list[0].problem, lang),
        other => crate::i18n::error_text(other, lang),
    }
}

/// The tabs of the three pages.
#[leptos::component]
pub fn TargetTabs(active: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let tabs = [("/targets", Msg::TgTargets), ("/performance", Msg::TgPerformance), ("/activity", Msg::TgActivity)];
    view! {
        <nav class="tabs">
            {tabs.into_iter().map(|(href, m)| view! {
                <a href=href class:active=href == active><crate::components::T m=m/></a>
            }).collect_view()}
        </nav>
    }
}
