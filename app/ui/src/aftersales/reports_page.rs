//! The after-sales report (`/service/reports`, managers and admins): satisfaction (CSAT %,
//! NPS, response rate; per month, region, agent, product and value segment), the complaint
//! Pareto — each reason with where it comes from, the products and carriers of the orders it
//! is about, and the tickets behind it — tickets opened and solved per week, SLA and times per agent, and the
//! backlog by age; each table as CSV.

use leptos::prelude::*;

use super::api::service_report;
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::service::reports::ServiceReport;

/// A horizontal bar `percent` long, drawn as SVG (the content security policy allows no
/// inline styles, and SVG's own attributes need none).
fn bar(class: &'static str, percent: f64) -> impl IntoView {
    let width = format!("{:.1}", percent.clamp(0.0, 100.0));
    view! {
        <svg class=class viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            <rect width=width height="10" rx="1"/>
        </svg>
    }
}

/// A satisfaction group's name as shown: a value segment in the reader's language.
fn group_name(group: Msg, key: String) -> impl IntoView {
    let i18n = use_i18n();
    move || match (group, kehu_domain::insight::types::Segment::parse(&key)) {
        (Msg::SrBySegment, Some(segment)) => i18n.t(crate::i18n::segment_label(segment)).to_string(),
        _ => key.clone(),
    }
}

fn one_decimal(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

#[component]
pub fn ServiceReportPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| service_report());
    view! {
        <section class="page service-report" data-testid="service-report">
            <h1><T m=Msg::SrTitle/></h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(report) => view! { <Report report=report/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Report(report: ServiceReport) -> impl IntoView {
    let i18n = use_i18n();
    let response_rate = if report.surveys_sent == 0 { None } else { Some(f64::from(report.surveys_answered) * 100.0 / f64::from(report.surveys_sent)) };
    let most = report.weeks.iter().map(|w| w.opened.max(w.solved)).max().unwrap_or(0).max(1);
    let b = report.backlog.clone();
    let backlog = [(Msg::SrUnder1, b.under_1_day), (Msg::Sr1To3, b.days_1_to_3), (Msg::Sr3To7, b.days_3_to_7), (Msg::SrOver7, b.over_7_days)];
    view! {
        <div class="kpis">
            <div class="kpi card" data-testid="kpi-csat"><span class="muted small">"CSAT"</span><strong>{report.csat_percent.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())}</strong>
                <span class="muted small">{move || format!("{} {}", report.csat_answers, i18n.t(Msg::SrAnswers))}</span></div>
            <div class="kpi card" data-testid="kpi-nps"><span class="muted small">"NPS"</span><strong>{report.nps.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</strong>
                <span class="muted small">{format!("+{} / {} / −{}", report.nps_summary.promoters, report.nps_summary.passives, report.nps_summary.detractors)}</span></div>
            <div class="kpi card" data-testid="kpi-response"><span class="muted small"><T m=Msg::SrResponseRate/></span><strong>{response_rate.map(|v| format!("{v:.0}%")).unwrap_or_else(|| "—".into())}</strong>
                <span class="muted small">{format!("{} / {}", report.surveys_answered, report.surveys_sent)}</span></div>
        </div>

        <section class="card">
            <h2><T m=Msg::SrSatisfaction/></h2>
            <div class="satisfaction-tables">
                {[
                    (Msg::SrByMonth, report.by_month),
                    (Msg::SrByRegion, report.by_region),
                    (Msg::SrByAgent, report.by_agent),
                    (Msg::SrByProduct, report.by_product),
                    (Msg::SrBySegment, report.by_segment),
                ].into_iter().filter(|(_, rows)| !rows.is_empty()).map(|(label, rows)| view! {
                    <div class="table-wrap">
                        <table class="satisfaction" data-testid="satisfaction">
                            <thead><tr><th>{move || i18n.t(label)}</th><th>"CSAT"</th><th>"NPS"</th><th><T m=Msg::SrAnswers/></th></tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td>{group_name(label, r.key)}</td>
                                        <td>{r.csat_percent.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())}</td>
                                        <td>{r.nps.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td>{format!("{} / {}", r.csat_answers + r.nps_answers, r.sent)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }).collect_view()}
            </div>
            <a class="button small quiet" href="/api/service-report/satisfaction.csv" download><T m=Msg::DownloadCsv/></a>
        </section>

        <section class="card">
            <h2><T m=Msg::SrPareto/></h2>
            <p class="muted small"><T m=Msg::SrParetoHint/></p>
            {report.pareto.is_empty().then(|| view! { <p class="muted" data-testid="pareto-none"><T m=Msg::SrNoComplaints/></p> })}
            <ul class="plain pareto" data-testid="pareto">
                {report.pareto.into_iter().map(|row| {
                    let top = |list: &[(String, u32)]| list.iter().take(3).map(|(r, n)| format!("{r} {n}")).collect::<Vec<_>>().join(" · ");
                    let (regions, products, carriers) = (top(&row.regions), top(&row.products), top(&row.carriers));
                    view! {
                        <li data-testid="pareto-row">
                            <details>
                                <summary>
                                    <span class="pareto-reason">{row.reason.clone()}</span>
                                    {bar("pareto-bar", row.share)}
                                    <span class="pareto-figures">{format!("{} · {:.1}% · Σ {:.1}%", row.count, row.share, row.cumulative)}</span>
                                    <span class="muted small pareto-regions">{regions}</span>
                                    <span class="small pareto-origin" data-testid="pareto-origin">
                                        <span class="muted"><T m=Msg::SrFromProducts/>"："</span>{products}
                                        <span class="muted">" · "<T m=Msg::SrFromCarriers/>"："</span>{carriers}
                                    </span>
                                </summary>
                                <ul class="plain pareto-tickets">
                                    {row.tickets.into_iter().map(|(_, customer, name, title)| view! {
                                        <li><a href=format!("/customers/{customer}#tickets")>{title}</a>" "<span class="muted small">{name}</span></li>
                                    }).collect_view()}
                                </ul>
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <a class="button small quiet" href="/api/service-report/pareto.csv" download data-testid="pareto-csv"><T m=Msg::DownloadCsv/></a>
        </section>

        <section class="card">
            <h2><T m=Msg::SrWeeks/></h2>
            <div class="table-wrap">
                <table class="weeks">
                    <thead><tr><th><T m=Msg::SrWeek/></th><th><T m=Msg::SrOpened/></th><th><T m=Msg::SrSolved/></th></tr></thead>
                    <tbody>
                        {report.weeks.into_iter().map(|w| view! {
                            <tr>
                                <td>{w.week.format("%m-%d").to_string()}</td>
                                <td>{bar("bar opened", f64::from(w.opened) * 100.0 / f64::from(most))}" "{w.opened}</td>
                                <td>{bar("bar solved", f64::from(w.solved) * 100.0 / f64::from(most))}" "{w.solved}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="button small quiet" href="/api/service-report/weeks.csv" download><T m=Msg::DownloadCsv/></a>
        </section>

        <section class="card">
            <h2><T m=Msg::SrAgents/></h2>
            <div class="table-wrap">
                <table class="agents" data-testid="agents">
                    <thead><tr>
                        <th><T m=Msg::TkFieldAssignee/></th><th><T m=Msg::SrTickets/></th><th><T m=Msg::SrOpen/></th><th><T m=Msg::SrSlaMet/></th>
                        <th><T m=Msg::SrAvgFirst/></th><th><T m=Msg::SrAvgResolution/></th>
                    </tr></thead>
                    <tbody>
                        {report.agents.into_iter().map(|a| view! {
                            <tr>
                                <td>{if a.name.is_empty() { i18n.t(Msg::TkUnassigned).to_string() } else { a.name.clone() }}</td>
                                <td>{a.tickets}</td>
                                <td>{a.open}</td>
                                <td>{a.sla_met_percent.map(|v| format!("{v:.1}%")).unwrap_or_else(|| "—".into())}</td>
                                <td>{one_decimal(a.avg_first_response_hours)}</td>
                                <td>{one_decimal(a.avg_resolution_hours)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <a class="button small quiet" href="/api/service-report/agents.csv" download><T m=Msg::DownloadCsv/></a>
        </section>

        <section class="card">
            <h2><T m=Msg::SrBacklog/></h2>
            <div class="kpis">
                {backlog.into_iter().map(|(label, n)| view! {
                    <div class="kpi"><span class="muted small">{move || i18n.t(label)}</span><strong>{n}</strong></div>
                }).collect_view()}
            </div>
        </section>
    }
}
