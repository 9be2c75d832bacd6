//! After-sales churn signals at the top of the insight panel: an open complaint and a recent
//! low satisfaction score, each with its reason.

use leptos::prelude::*;

use crate::components::T;
use crate::format::{date, use_display_offset};
use crate::i18n::Msg;
use kehu_domain::service::signals::ServiceSignal;

#[component]
pub fn ServiceSignals(signals: Vec<ServiceSignal>) -> impl IntoView {
    let offset = use_display_offset();
    (!signals.is_empty()).then(|| {
        view! {
            <div class="banner warning service-signals" data-testid="service-signals">
                <strong><T m=Msg::SgTitle/></strong>
                <ul>
                    {signals.into_iter().map(|s| match s {
                        ServiceSignal::OpenComplaint { title, category, since } => view! {
                            <li data-testid="signal-complaint"><T m=Msg::SgOpenComplaint/>"「"{title}"」"
                                {(!category.is_empty()).then(|| format!(" · {category}"))}" · "{date(since, offset)}</li>
                        }.into_any(),
                        ServiceSignal::LowScore { kind, score, reason, at } => view! {
                            <li data-testid="signal-low-score">
                                {kind.acronym()}" "{score}
                                {(!reason.is_empty()).then(|| format!("（{reason}）"))}" · "{date(at, offset)}
                            </li>
                        }.into_any(),
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}
