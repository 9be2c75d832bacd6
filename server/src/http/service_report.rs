//! `GET /api/service-report/<table>.csv`: a table of the after-sales report (complaint
//! reasons with their regions, products and carriers, tickets per week, agents, satisfaction
//! per month, region, agent, product and segment) as the caller would see it, headings in
//! their language.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kehu_backend::aftersales::reports;
use kehu_backend::AppState;
use kehu_domain::i18n::{segment_label, Lang, Msg};
use kehu_domain::insight::types::Segment;
use kehu_domain::service::reports::ServiceReport;

use super::caller::{error_response, SignedIn};
use super::download::{attachment, csv, reader_lang, CSV};

fn hours(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.1}")).unwrap_or_default()
}

/// The rows of one table, headings first; none for an unknown table.
fn table(report: &ServiceReport, name: &str, lang: Lang) -> Option<Vec<Vec<String>>> {
    let t = |m: Msg| m.text(lang).to_string();
    let rows = match name {
        "pareto" => std::iter::once(vec![
            t(Msg::SuReason),
            t(Msg::SrTickets),
            "%".into(),
            "Σ %".into(),
            t(Msg::FieldRegion),
            t(Msg::SrFromProducts),
            t(Msg::SrFromCarriers),
        ])
        .chain(report.pareto.iter().map(|r| {
            let joined = |list: &[(String, u32)]| list.iter().map(|(name, n)| format!("{name} {n}")).collect::<Vec<_>>().join("; ");
            vec![r.reason.clone(), r.count.to_string(), format!("{:.1}", r.share), format!("{:.1}", r.cumulative), joined(&r.regions), joined(&r.products), joined(&r.carriers)]
        }))
            .collect(),
        "weeks" => std::iter::once(vec![t(Msg::SrWeek), t(Msg::SrOpened), t(Msg::SrSolved)])
            .chain(report.weeks.iter().map(|w| vec![w.week.to_string(), w.opened.to_string(), w.solved.to_string()]))
            .collect(),
        "agents" => std::iter::once(vec![
            t(Msg::TkFieldAssignee),
            t(Msg::SrTickets),
            t(Msg::SrOpen),
            t(Msg::SrSlaMet),
            t(Msg::SrAvgFirst),
            t(Msg::SrAvgResolution),
        ])
        .chain(report.agents.iter().map(|a| {
            vec![
                if a.name.is_empty() { t(Msg::TkUnassigned) } else { a.name.clone() },
                a.tickets.to_string(),
                a.open.to_string(),
                a.sla_met_percent.map(|v| format!("{v:.1}")).unwrap_or_default(),
                hours(a.avg_first_response_hours),
                hours(a.avg_resolution_hours),
            ]
        }))
        .collect(),
        "satisfaction" => {
            let groups = [
                (Msg::SrByMonth, &report.by_month),
                (Msg::SrByRegion, &report.by_region),
                (Msg::SrByAgent, &report.by_agent),
                (Msg::SrByProduct, &report.by_product),
                (Msg::SrBySegment, &report.by_segment),
            ];
            std::iter::once(vec![String::new(), String::new(), "CSAT %".into(), "CSAT n".into(), "NPS".into(), "NPS n".into(), t(Msg::SrAnswers)])
                .chain(groups.into_iter().flat_map(|(group, rows)| {
                    rows.iter().map(move |r| {
                        vec![
                            t(group),
                            match (group, Segment::parse(&r.key)) {
                                (Msg::SrBySegment, Some(segment)) => t(segment_label(segment)),
                                _ => r.key.clone(),
                            },
                            r.csat_percent.map(|v| format!("{v:.1}")).unwrap_or_default(),
                            r.csat_answers.to_string(),
                            r.nps.map(|v| v.to_string()).unwrap_or_default(),
                            r.nps_answers.to_string(),
                            r.sent.to_string(),
                        ]
                    })
                }))
                .collect()
        }
        _ => return None,
    };
    Some(rows)
}

pub async fn table_csv(State(state): State<AppState>, SignedIn(caller): SignedIn, Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(name) = file.strip_suffix(".csv").filter(|n| matches!(*n, "pareto" | "weeks" | "agents" | "satisfaction")) else {
        return (StatusCode::NOT_FOUND, "no such table").into_response();
    };
    let report = match reports::report(&state, &caller).await {
        Ok(r) => r,
        Err(e) => return error_response(&e),
    };
    let Some(rows) = table(&report, name, reader_lang(&headers)) else {
        return (StatusCode::NOT_FOUND, "no such table").into_response();
    };
    attachment(csv(rows), CSV, &format!("kehu-service-{name}.csv"))
}
