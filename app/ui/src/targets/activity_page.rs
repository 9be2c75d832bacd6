//! `/activity`: the follow-ups of a person, team, region or the company as a weekday × hour
//! heatmap and a calendar of days (local time), each person's habits next to the best
//! quarter's, and who has logged nothing for a while.

use chrono::{Datelike, Duration};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use kehu_domain::targets::heatmap::Heatmap;
use kehu_domain::targets::period::Period;
use kehu_domain::targets::view::ActivityPage as Page;

use super::api::get_activity;
use super::labels::{holder_name, TargetTabs};
use super::performance_page::PeriodPicker;
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Lang, Msg};

fn weekday_names(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::Zh => ["一", "二", "三", "四", "五", "六", "日"],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    }
}

/// A count's shade, 0 (none) to 4 (the busiest).
fn shade(count: u32, peak: u32) -> u32 {
    if count == 0 || peak == 0 { 0 } else { (count * 4).div_ceil(peak).clamp(1, 4) }
}

#[component]
pub fn ActivityPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let args = Memo::new(move |_| (query.read().get("holder").unwrap_or_default(), query.read().get("period").unwrap_or_default()));
    let loaded = Resource::new(move || args.get(), |(holder, period)| get_activity(holder, period));
    view! {
        <section class="page activity-page" data-testid="activity-page">
            <header class="page-head"><h1><T m=Msg::TgActivity/></h1></header>
            <TargetTabs active="/activity"/>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => view! { <Activity page=page/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Activity(page: Page) -> impl IntoView {
    let i18n = use_i18n();
    let period = Period::from_key(&page.period).unwrap_or(Period::Year(2000));
    let holder = page.holder.clone();
    let top = page.top.clone();
    let silence_days = page.silence_days;
    let holders = page.holders.clone();
    let chosen = holder.clone();
    view! {
        <nav class="tabs small holders">
            {holders.into_iter().map(|(key, name)| {
                let active = key == chosen;
                let href = format!("/activity?holder={key}&period={}", period.key());
                view! { <a href=href class:active=active data-testid="holder">{move || holder_name(&key, &name, i18n.lang())}</a> }
            }).collect_view()}
        </nav>
        <PeriodPicker period=period base=format!("/activity?holder={holder}")/>
        <section class="card" data-testid="heatmap">
            <header class="card-head"><h2><T m=Msg::TgHeatmap/></h2><span class="muted" data-testid="heatmap-total">{format!("Σ {}", page.heatmap.total)}</span></header>
            <HeatGrid map=page.heatmap.clone()/>
        </section>
        <section class="card">
            <h2><T m=Msg::TgByDay/></h2>
            <DayCalendar map=page.heatmap period=period/>
        </section>
        <section class="card" data-testid="best">
            <h2><T m=Msg::TgBest/></h2>
            <p class="muted small"><T m=Msg::TgBestHint/></p>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr><th><T m=Msg::TgName/></th><th><T m=Msg::TgWeeklyFollowUps/></th><th><T m=Msg::TgVisitsPerWin/></th><th><T m=Msg::TgDaysToQuote/></th></tr></thead>
                    <tbody>
                        {top.map(|h| view! {
                            <tr class="top" data-testid="top-quartile">
                                <th><T m=Msg::TgTopQuartile/></th>
                                <td class="num">{format!("{:.1}", h.weekly_follow_ups)}</td>
                                <td class="num">{h.visits_per_win.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{h.days_to_quote.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        })}
                        {page.people.into_iter().map(|p| view! {
                            <tr data-testid="habit-row">
                                <th>{p.name}</th>
                                <td class="num">{format!("{:.1}", p.habits.weekly_follow_ups)}</td>
                                <td class="num">{p.habits.visits_per_win.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{p.habits.days_to_quote.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" data-testid="silent">
            <h2><T m=Msg::TgSilent/>{format!(" (≥ {silence_days})")}</h2>
            {page.silent.is_empty().then(|| view! { <p class="muted"><T m=Msg::TgNoneSilent/></p> })}
            <ul class="plain">
                {page.silent.into_iter().map(|s| view! {
                    <li data-testid="silent-row">
                        <strong>{s.name}</strong>" · "
                        <span class="muted small">{move || format!("{} {} · {} {}", i18n.t(Msg::TgLastFollowUp), s.last.map(|d| d.to_string()).unwrap_or_else(|| i18n.t(Msg::TgNever).to_string()), s.working_days, i18n.t(Msg::TgWorkingDays))}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Weekday rows × 24 hour columns, shaded by count, each cell titled with its count.
#[component]
fn HeatGrid(map: Heatmap) -> impl IntoView {
    let i18n = use_i18n();
    let peak = map.peak();
    const CELL: f64 = 22.0;
    const LEFT: f64 = 34.0;
    let cells = map.cells.clone();
    view! {
        <svg class="heatmap" viewBox=format!("0 0 {} {}", LEFT + 24.0 * CELL, 7.0 * CELL + 18.0) role="img" preserveAspectRatio="xMinYMin meet">
            {move || weekday_names(i18n.lang()).into_iter().enumerate().map(|(d, name)| view! {
                <text x=LEFT - 6.0 y=d as f64 * CELL + 15.0 text-anchor="end" class="chart-label">{name}</text>
            }).collect_view()}
            {(0..24).step_by(3).map(|h| view! { <text x=LEFT + h as f64 * CELL + 2.0 y=7.0 * CELL + 14.0 class="chart-label">{h}</text> }).collect_view()}
            {cells.into_iter().enumerate().flat_map(|(d, row)| row.into_iter().enumerate().map(move |(h, n)| view! {
                <rect x=LEFT + h as f64 * CELL y=d as f64 * CELL width=CELL - 2.0 height=CELL - 2.0 rx="3" class=format!("heat-{}", shade(n, peak)) data-count=n>
                    <title>{format!("{h}:00 · {n}")}</title>
                </rect>
            })).collect_view()}
        </svg>
    }
}

/// The period's days as weeks (columns) × weekdays (rows), shaded by follow-ups.
#[component]
fn DayCalendar(map: Heatmap, period: Period) -> impl IntoView {
    const CELL: f64 = 14.0;
    let start = period.start() - Duration::days(i64::from(period.start().weekday().num_days_from_monday()));
    let weeks = ((period.end() - start).num_days() / 7 + 1) as f64;
    let peak = map.days.values().copied().max().unwrap_or(0);
    let days: Vec<_> = std::iter::successors(Some(period.start()), |d| d.succ_opt().filter(|n| *n <= period.end())).collect();
    view! {
        <svg class="day-calendar" viewBox=format!("0 0 {} {}", weeks * CELL, 7.0 * CELL) role="img" preserveAspectRatio="xMinYMin meet" data-testid="day-calendar">
            {days.into_iter().map(|day| {
                let n = map.days.get(&day).copied().unwrap_or(0);
                let week = ((day - start).num_days() / 7) as f64;
                let row = f64::from(day.weekday().num_days_from_monday());
                view! {
                    <rect x=week * CELL y=row * CELL width=CELL - 2.0 height=CELL - 2.0 rx="2" class=format!("heat-{}", shade(n, peak))>
                        <title>{format!("{day} · {n}")}</title>
                    </rect>
                }
            }).collect_view()}
        </svg>
    }
}
