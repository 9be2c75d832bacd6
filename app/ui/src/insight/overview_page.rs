//! `/insight`: RFM segments with their rules and sizes (each links to the customer list
//! filtered by it), the R×F grid, the fitted BG/NBD model, customers at risk, cross-sell
//! rules and the 3-month forecast with how each number was made.

use leptos::prelude::*;

use super::api::{load_insight_overview, revenue_forecast};
use kehu_domain::insight::forecast::Forecast;
use kehu_domain::insight::types::InsightOverview;
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, day, use_display_offset};
use crate::i18n::{segment_label, use_i18n, Msg};
use kehu_domain::money::money_text;

#[component]
pub fn InsightPage() -> impl IntoView {
    let i18n = use_i18n();
    let window = RwSignal::new(365i64);
    let overview = Resource::new(move || window.get(), load_insight_overview);
    let forecast = Resource::new(|| (), |_| revenue_forecast());
    view! {
        <section class="page insight-page">
            <header class="page-head">
                <h1><T m=Msg::NavInsight/></h1>
                <div class="page-actions">
                    <a class="button" href="/reports"><T m=Msg::NavReports/></a>
                    <a class="button" href="/competitors"><T m=Msg::NavCompetitors/></a>
                    <a class="button" href="/products"><T m=Msg::NavProducts/></a>
                    <a class="button" href="/import"><T m=Msg::ImportOrders/></a>
                </div>
            </header>
            <label class="field inline">
                <span class="field-label"><T m=Msg::RfmWindow/></span>
                <select name="window" on:change=move |ev| window.set(event_target_value(&ev).parse().unwrap_or(365))>
                    {[90i64, 180, 365, 730].into_iter().map(|d| view! {
                        <option value=d.to_string() selected=move || window.get() == d>{d}" "{move || i18n.t(Msg::Days)}</option>
                    }).collect_view()}
                </select>
            </label>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => view! { <Overview o=o/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match forecast.await {
                        Ok(f) => view! { <ForecastTable f=f/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(o: InsightOverview) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let Some(at) = o.computed_at else {
        return view! { <p class="muted"><T m=Msg::NotScoredYet/></p> }.into_any();
    };
    let max_cell = o.grid.iter().flatten().copied().max().unwrap_or(0).max(1);
    view! {
        <p class="muted small"><T m=Msg::ScoredAt/>" "{datetime(at, offset)}" · "{o.scored}" "<T m=Msg::Scored/>" · "{o.unscored}" "<T m=Msg::NoPurchasesShort/></p>
        <div class="insight-grid">
            <section class="card">
                <h2><T m=Msg::Segments/></h2>
                <table class="table" data-testid="segments">
                    <thead><tr><th><T m=Msg::Segment/></th><th><T m=Msg::Rule/></th><th><T m=Msg::ColCustomers/></th><th>"M"</th></tr></thead>
                    <tbody>
                        {o.segments.iter().map(|s| {
                            let seg = s.segment;
                            view! {
                                <tr>
                                    <td><a href=format!("/customers?segment={}", seg.as_str()) class=format!("segment segment-{}", seg.as_str())>{move || i18n.t(segment_label(seg))}</a></td>
                                    <td class="muted">{seg.rule()}</td>
                                    <td class="num">{s.customers}</td>
                                    <td class="num">{money_text(s.monetary_cents, "CNY")}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="card">
                <h2><T m=Msg::RfGrid/></h2>
                <table class="rf-grid" data-testid="rf-grid">
                    <thead><tr><th>"R \\ F"</th>{(1..=5).map(|f| view! { <th>{f}</th> }).collect_view()}</tr></thead>
                    <tbody>
                        {(0..5).rev().map(|r| view! {
                            <tr>
                                <th>{r + 1}</th>
                                {(0..5).map(|f| {
                                    let n = o.grid[r][f];
                                    // Five shades (the page's style rules allow no inline styles).
                                    let heat = (n as u64 * 5).div_ceil(max_cell as u64);
                                    view! { <td class=format!("heat-{heat}")>{n}</td> }
                                }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="card">
                <h2><T m=Msg::Model/></h2>
                {match o.fit.clone() {
                    Some(fit) => view! {
                        <p class="muted small"><T m=Msg::ModelHint/></p>
                        <dl class="scores" data-testid="model">
                            <dt>"r"</dt><dd>{format!("{:.3}", fit.params.r)}</dd>
                            <dt>"α"</dt><dd>{format!("{:.2}", fit.params.alpha)}</dd>
                            <dt>"a"</dt><dd>{format!("{:.3}", fit.params.a)}</dd>
                            <dt>"b"</dt><dd>{format!("{:.3}", fit.params.b)}</dd>
                            <dt>"LL"</dt><dd>{format!("{:.1} · n={}", fit.log_likelihood, fit.customers)}</dd>
                        </dl>
                    }.into_any(),
                    None => view! { <p class="muted"><T m=Msg::ModelTooLittle/></p> }.into_any(),
                }}
            </section>
            <section class="card">
                <h2><T m=Msg::AtRisk/>" ("{o.churn_warnings}")"</h2>
                <ul class="at-risk" data-testid="at-risk">
                    {o.at_risk.iter().map(|a| {
                        let seg = a.segment;
                        view! {
                            <li>
                                <a href=format!("/customers/{}", a.customer_id)>{a.name.clone()}</a>
                                {seg.map(|s| view! { <span class=format!("segment segment-{}", s.as_str())>{move || i18n.t(segment_label(s))}</span> })}
                                <span class="muted">" "{day(a.warning.since)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section class="card wide">
                <h2><T m=Msg::CrossSellRules/></h2>
                <table class="table" data-testid="rules">
                    <thead><tr><th><T m=Msg::IfBought/></th><th><T m=Msg::ThenBought/></th><th><T m=Msg::Support/></th><th><T m=Msg::Confidence/></th><th>"Lift"</th></tr></thead>
                    <tbody>
                        {o.rules.iter().map(|r| view! {
                            <tr>
                                <td>{r.if_bought.clone()}</td>
                                <td>{r.then_bought.clone()}</td>
                                <td class="num">{format!("{:.1}%", r.support * 100.0)}" ("{r.both}")"</td>
                                <td class="num">{format!("{:.0}%", r.confidence * 100.0)}</td>
                                <td class="num">{format!("{:.2}", r.lift)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn ForecastTable(f: Forecast) -> impl IntoView {
    view! {
        <section class="card forecast" data-testid="forecast">
            <h2><T m=Msg::Forecast/></h2>
            <p class="muted small"><T m=Msg::ForecastHint/></p>
            <table class="table">
                <thead><tr>
                    <th><T m=Msg::Month/></th><th><T m=Msg::Pipeline/></th><th><T m=Msg::RepeatPurchases/></th><th><T m=Msg::Total/></th>
                </tr></thead>
                <tbody>
                    {f.months.iter().map(|m| view! {
                        <tr>
                            <td>{m.month.format("%Y-%m").to_string()}{(m.from != m.month).then(|| format!(" ({}–)", day(m.from)))}</td>
                            <td class="num">{money_text(m.pipeline_cents, "CNY")}<br/><span class="muted small">{m.pipeline_deals}" × · Σ "{money_text(m.pipeline_amount_cents, "CNY")}</span></td>
                            <td class="num">{money_text(m.repeat_cents, "CNY")}<br/><span class="muted small">{format!("≈ {:.1}", m.repeat_purchases)}</span></td>
                            <td class="num"><strong>{money_text(m.total_cents, "CNY")}</strong></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
