//! The customer's insight on the profile: RFM segment and scores (with the rule), the
//! model's P(alive) and expected purchases, a churn warning or repurchase window with its
//! reason, the buying season, and what to offer next (cross-sell).

use leptos::prelude::*;

use super::api::load_customer_insight;
use kehu_domain::insight::types::{ChurnReason, CustomerInsight};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, day, use_display_offset};
use crate::i18n::{segment_label, use_i18n, Msg};
use kehu_domain::money::money_text;

#[component]
pub fn CustomerInsightPanel(customer_id: String, #[prop(into)] refresh: Signal<usize>) -> impl IntoView {
    let id = StoredValue::new(customer_id);
    // Reloaded when the orders change (the batch rescoring takes a moment: the panel says so).
    let loaded = load_in_browser(move || {
        let changed = refresh.get() > 0;
        async move {
            // After an order change the batch scores again in the background: give it a moment.
            #[cfg(feature = "hydrate")]
            if changed {
                gloo_timers::future::TimeoutFuture::new(1_500).await;
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = changed;
            load_customer_insight(id.get_value()).await
        }
    });
    view! {
        <section class="card insight" data-testid="insight">
            <h2><T m=Msg::Insight/></h2>
            {move || match loaded.get() {
                None => view! { <p class="muted"><T m=Msg::Loading/></p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                Some(Ok(insight)) => view! {
                    <crate::aftersales::signals_view::ServiceSignals signals=insight.service_signals.clone()/>
                    <InsightBody insight=insight/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn InsightBody(insight: CustomerInsight) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let Some(computed_at) = insight.computed_at else {
        return view! { <p class="muted"><T m=Msg::NotScoredYet/></p> }.into_any();
    };
    let Some(score) = insight.score else {
        return view! { <p class="muted" data-testid="no-purchases"><T m=Msg::NoPurchasesYet/></p> }.into_any();
    };
    let rfm = score.rfm.clone().map(|r| {
        let segment = r.segment;
        view! {
            <p class="segment-line">
                <span class=format!("segment segment-{}", segment.as_str()) data-testid="segment">{move || i18n.t(segment_label(segment))}</span>
                <span class="muted">" "{segment.rule()}</span>
            </p>
            <dl class="scores">
                <dt>"R"</dt><dd>{r.r}" · "{r.recency_days}<T m=Msg::DaysAgo/></dd>
                <dt>"F"</dt><dd>{r.f}" · "{r.frequency}<T m=Msg::Purchases/></dd>
                <dt>"M"</dt><dd>{r.m}" · "{money_text(r.monetary_cents, "CNY")}</dd>
            </dl>
        }
    });
    let model = score.p_alive_pct.map(|p| view! {
        <dl class="scores">
            <dt><T m=Msg::PAlive/></dt><dd data-testid="p-alive">{p}"%"</dd>
            <dt><T m=Msg::Expected30/></dt><dd>{format!("{:.2}", score.expected_30.unwrap_or(0.0))}</dd>
            <dt><T m=Msg::Expected90/></dt><dd>{format!("{:.2}", score.expected_90.unwrap_or(0.0))}</dd>
        </dl>
    });
    let churn = score.churn.clone().map(|w| {
        let reason = match w.reason {
            ChurnReason::LowPAlive { p_alive_pct, threshold_pct } => match i18n.lang() {
                crate::i18n::Lang::Zh => format!("模型估计仍在购买的概率为 {p_alive_pct}%，低于 {threshold_pct}%"),
                crate::i18n::Lang::En => format!("the model puts the chance they still buy at {p_alive_pct}%, under {threshold_pct}%"),
            },
            ChurnReason::LongSilence { usual_days, silent_days, multiple } => match i18n.lang() {
                crate::i18n::Lang::Zh => format!("通常每 {usual_days} 天购买一次，已 {silent_days} 天未购（超过 {multiple} 个周期）"),
                crate::i18n::Lang::En => format!("usually buys every {usual_days} days, silent for {silent_days} (over {multiple} intervals)"),
            },
        };
        view! { <p class="banner warning" data-testid="churn-warning"><strong><T m=Msg::ChurnWarning/></strong>" "{reason}" · "{day(w.since)}</p> }
    });
    let window = score.repurchase.clone().map(|w| view! {
        <p data-testid="repurchase-window">
            <strong><T m=Msg::RepurchaseWindow/></strong>" "{day(w.from)}" – "{day(w.to)}
            <span class="muted">" ("<T m=Msg::UsualInterval/>" "{w.usual_days}<T m=Msg::Days/>")"</span>
        </p>
    });
    let season = score.season.clone().map(|h| view! {
        <p data-testid="season">
            <strong><T m=Msg::BuyingSeason/></strong>" "
            {h.months.iter().map(|m| format!("{m}")).collect::<Vec<_>>().join(", ")}<T m=Msg::MonthSuffix/>
            " → "{day(h.hint_on)}
        </p>
    });
    let cross_sell = (!insight.cross_sell.is_empty()).then(|| view! {
        <h3><T m=Msg::CrossSell/></h3>
        <ul class="cross-sell" data-testid="cross-sell">
            {insight.cross_sell.iter().map(|c| view! {
                <li>
                    <strong>{c.product_name.clone()}</strong>
                    <span class="muted">" · "{format!("{:.0}%", c.confidence * 100.0)}" "<T m=Msg::OfBuyersOf/>" "{c.because_of.clone()}" · lift "{format!("{:.2}", c.lift)}</span>
                </li>
            }).collect_view()}
        </ul>
    });
    view! {
        {rfm}
        {model}
        {churn}
        {window}
        {season}
        {cross_sell}
        <p class="muted small"><T m=Msg::ScoredAt/>" "{datetime(computed_at, offset)}</p>
    }
    .into_any()
}
