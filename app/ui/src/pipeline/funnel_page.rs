//! Conversion over a period: the funnel as an SVG chart, the numbers behind it, the alerts
//! for rates under their thresholds (per rep for a manager), and collection by rep.

use chrono::Duration;
use leptos::prelude::*;

use super::api::get_funnel;
use kehu_domain::pipeline::rules::{collection_percent, rate};
use kehu_domain::pipeline::types::*;
use kehu_domain::money::money_text;
use crate::components::{ErrorBanner, T};
use crate::format::{day, today, use_display_offset};
use crate::i18n::{stage_name, use_i18n, Lang, Msg};

#[component]
pub fn FunnelPage() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let end = today(offset);
    let from = RwSignal::new(day(end - Duration::days(89)));
    let to = RwSignal::new(day(end));
    let report = Resource::new(move || (from.get(), to.get()), |(f, t)| get_funnel(f, t));
    view! {
        <section class="page funnel-page">
            <header class="page-head">
                <h1><T m=Msg::NavFunnel/></h1>
                <a class="button" href="/pipeline"><T m=Msg::NavPipeline/></a>
            </header>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <label class="inline"><span class="muted"><T m=Msg::From/></span>
                    <input type="date" name="from" prop:value=move || from.get() on:change=move |ev| from.set(event_target_value(&ev))/></label>
                <label class="inline"><span class="muted"><T m=Msg::To/></span>
                    <input type="date" name="to" prop:value=move || to.get() on:change=move |ev| to.set(event_target_value(&ev))/></label>
            </form>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => view! { <Report report=r/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())
}

fn alert_text(alert: &ConversionAlert, pipeline: &Pipeline, lang: Lang) -> String {
    let what = if alert.stage.is_empty() {
        Msg::WinRate.text(lang).to_string()
    } else {
        let name = pipeline.stage(&alert.stage).map(|s| stage_name(s, lang)).unwrap_or_else(|| alert.stage.clone());
        match lang {
            Lang::Zh => format!("{name} 的推进率"),
            Lang::En => format!("Conversion out of {name}"),
        }
    };
    let who = if alert.owner_name.is_empty() { String::new() } else { format!("{} · ", alert.owner_name) };
    match lang {
        Lang::Zh => format!("{who}{what}为 {:.1}%，低于阈值 {}%（{} 个商机）", alert.rate_percent, alert.threshold, alert.deals),
        Lang::En => format!("{who}{what} is {:.1}%, under the {}% threshold ({} deals)", alert.rate_percent, alert.threshold, alert.deals),
    }
}

#[component]
fn Report(report: FunnelReport) -> impl IntoView {
    let i18n = use_i18n();
    let FunnelReport { pipeline, stages, started, won, alerts, collection, .. } = report;
    let widest = stages.iter().map(|s| s.entered).max().unwrap_or(0).max(1) as f64;
    const BAR_H: f64 = 34.0;
    const WIDTH: f64 = 720.0;
    let height = BAR_H * stages.len() as f64 + 8.0;
    let chart_pipeline = pipeline.clone();
    let chart_stages = stages.clone();
    let alert_pipeline = pipeline.clone();
    view! {
        <section class="card" data-testid="funnel-chart">
            <svg class="funnel" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=move || i18n.t(Msg::NavFunnel)>
                {chart_stages.into_iter().enumerate().map(|(i, s)| {
                    // Bars centred, so the chart narrows like a funnel as deals drop out.
                    let w = (s.entered as f64 / widest * (WIDTH - 280.0)).max(2.0);
                    let x = 140.0 + (WIDTH - 280.0 - w) / 2.0;
                    let y = 4.0 + i as f64 * BAR_H;
                    let name = chart_pipeline.stages.get(i).cloned();
                    view! {
                        <g>
                            <text x="0" y=y + 21.0 class="funnel-label">{move || name.as_ref().map(|n| stage_name(n, i18n.lang())).unwrap_or_default()}</text>
                            <rect x=x y=y width=w height=BAR_H - 6.0 rx="3" class="funnel-bar"/>
                            <text x=WIDTH - 130.0 y=y + 21.0 class="funnel-value">{format!("{} · {}", s.entered, percent(rate(s.advanced, s.entered)))}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
            <p class="win-rate" data-testid="win-rate"><T m=Msg::WinRate/>": "<strong>{percent(rate(won, started))}</strong>{format!(" ({won}/{started})")}</p>
        </section>
        <section class="card">
            <table class="table" data-testid="funnel-table">
                <thead><tr>
                    <th><T m=Msg::FieldDealStage/></th><th><T m=Msg::Entered/></th><th><T m=Msg::Advanced/></th>
                    <th><T m=Msg::Conversion/></th><th><T m=Msg::AvgDays/></th>
                </tr></thead>
                <tbody>
                    {stages.into_iter().enumerate().map(|(i, s)| {
                        let name = pipeline.stages.get(i).cloned();
                        view! {
                            <tr>
                                <td>{move || name.as_ref().map(|n| stage_name(n, i18n.lang())).unwrap_or_default()}</td>
                                <td class="num">{s.entered}</td>
                                <td class="num">{s.advanced}</td>
                                <td class="num">{percent(rate(s.advanced, s.entered))}</td>
                                <td class="num">{s.avg_days.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section class="card" data-testid="alerts">
            <h2><T m=Msg::Alerts/></h2>
            {if alerts.is_empty() {
                view! { <p class="muted"><T m=Msg::NoAlerts/></p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {alerts.into_iter().map(|a| {
                            let p = alert_pipeline.clone();
                            view! { <li class="banner warning" role="status">{move || alert_text(&a, &p, i18n.lang())}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2><T m=Msg::CollectionByRep/></h2>
            <table class="table" data-testid="collection">
                <thead><tr><th><T m=Msg::Rep/></th><th><T m=Msg::Received/></th><th><T m=Msg::Contracted/></th><th><T m=Msg::CollectionRate/></th></tr></thead>
                <tbody>
                    {collection.into_iter().map(|(name, received, contracted)| view! {
                        <tr>
                            <td>{name}</td>
                            <td class="num">{money_text(received, "CNY")}</td>
                            <td class="num">{money_text(contracted, "CNY")}</td>
                            <td class="num">{percent(collection_percent(received, contracted))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
