//! `/reports`: channel conversion, product ranking, region comparison and the churn risk of
//! high-value customers — each a chart and a table over the customers the viewer may see,
//! with a CSV download of the same numbers.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::get_report;
use super::chart::BarChart;
use kehu_domain::insight::types::{Cell, Report, ReportKind, Segment};
use crate::components::{ErrorBanner, T};
use crate::i18n::{report_column_label, report_kind_label, segment_label, use_i18n, Msg};
use kehu_domain::money::money_text;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kind = Memo::new(move |_| query.read().get("kind").and_then(|k| ReportKind::parse(&k)).unwrap_or_default());
    let report = Resource::new(move || kind.get(), get_report);
    view! {
        <section class="page reports-page">
            <header class="page-head"><h1><T m=Msg::NavReports/></h1></header>
            <nav class="tabs">
                {ReportKind::ALL.into_iter().map(|k| view! {
                    <a href=format!("/reports?kind={}", k.as_str()) class:active=move || kind.get() == k data-testid=format!("report-{}", k.as_str())>
                        {move || i18n.t(report_kind_label(k))}
                    </a>
                }).collect_view()}
            </nav>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => view! { <ReportView report=r/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A cell as the page shows it: money with its sign, segments by name.
fn shown(cell: &Cell, kind: ReportKind, lang: crate::i18n::Lang) -> String {
    match cell {
        Cell::Money(c) => money_text(*c, "CNY"),
        Cell::Text(t) if kind == ReportKind::ChurnRisk => Segment::parse(t).map(|s| segment_label(s).text(lang).to_string()).unwrap_or_else(|| t.clone()),
        other => other.text(),
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let bars: Vec<(String, f64, String)> = report
        .rows
        .iter()
        .take(20)
        .map(|row| (row.first().map(|c| shown(c, report.kind, lang)).unwrap_or_default(), row[report.chart].value(), shown(&row[report.chart], report.kind, lang)))
        .collect();
    let empty = report.rows.is_empty();
    let kind = report.kind;
    view! {
        <section class="card report" data-testid="report">
            <header class="card-head">
                <h2>{move || i18n.t(report_kind_label(report.kind))}</h2>
                <a class="button" href=format!("/api/reports/{}.csv", report.kind.as_str()) download data-testid="report-csv"><T m=Msg::DownloadCsv/></a>
            </header>
            {if empty {
                view! { <p class="muted"><T m=Msg::NoData/></p> }.into_any()
            } else {
                view! {
                    <BarChart rows=bars/>
                    <table class="table" data-testid="report-table">
                        <thead><tr>{report.columns.iter().map(|c| {
                            let c = *c;
                            view! { <th>{move || i18n.t(report_column_label(c))}</th> }
                        }).collect_view()}</tr></thead>
                        <tbody>
                            {report.rows.iter().map(|row| view! {
                                <tr>{row.iter().map(|cell| view! { <td class:num=!matches!(cell, Cell::Text(_))>{shown(cell, kind, lang)}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
