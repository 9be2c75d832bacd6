//! `/performance`: for a month, quarter or year, each target the reader may see as a bar
//! with the pace line ("应完成 55%，实际 48%") and the likely range with the chance of making
//! it; the leaderboard with win rate, average deal, cycle and collection rate, and the
//! weighted score with each part shown; its CSV and Excel; admins set the weights and when
//! warnings start.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use kehu_domain::targets::board::LeaderRow;
use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::Metric;
use kehu_domain::targets::view::{PerformancePage as Page, PerformanceSettings, ProgressRow, SettingsInput};

use super::api::{get_performance, save_performance_settings};
use super::labels::{figure, holder_name, metric_label, said, TargetTabs};
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};

/// The periods next to `p`: (previous, next).
pub fn neighbours(p: Period) -> (Period, Period) {
    match p {
        Period::Year(y) => (Period::Year(y - 1), Period::Year(y + 1)),
        Period::Quarter(y, 1) => (Period::Quarter(y - 1, 4), Period::Quarter(y, 2)),
        Period::Quarter(y, 4) => (Period::Quarter(y, 3), Period::Quarter(y + 1, 1)),
        Period::Quarter(y, q) => (Period::Quarter(y, q - 1), Period::Quarter(y, q + 1)),
        Period::Month(y, 1) => (Period::Month(y - 1, 12), Period::Month(y, 2)),
        Period::Month(y, 12) => (Period::Month(y, 11), Period::Month(y + 1, 1)),
        Period::Month(y, m) => (Period::Month(y, m - 1), Period::Month(y, m + 1)),
    }
}

/// Month, quarter and year around the period, for the picker.
pub fn kinds_of(p: Period) -> [(Msg, Period); 3] {
    let (y, m) = match p {
        Period::Year(y) => (y, 1),
        Period::Quarter(y, q) => (y, 3 * q - 2),
        Period::Month(y, m) => (y, m),
    };
    [(Msg::TgMonth, Period::Month(y, m)), (Msg::TgQuarter, Period::Quarter(y, (m - 1) / 3 + 1)), (Msg::TgYear, Period::Year(y))]
}

/// The period picker of a page at `base` (`/performance`, `/activity?holder=…&`).
#[component]
pub fn PeriodPicker(period: Period, base: String) -> impl IntoView {
    let (prev, next) = neighbours(period);
    let sep = if base.contains('?') { "&" } else { "?" };
    let link = move |p: Period| format!("{base}{sep}period={}", p.key());
    view! {
        <nav class="tabs small period-picker">
            <a href=link(prev) data-testid="period-prev">"‹ "<T m=Msg::TgPrev/></a>
            {kinds_of(period).into_iter().map(|(m, p)| view! {
                <a href=link(p) class:active=p == period><T m=m/></a>
            }).collect_view()}
            <strong data-testid="period">{period.key()}</strong>
            <a href=link(next) data-testid="period-next"><T m=Msg::TgNext/>" ›"</a>
        </nav>
    }
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let period = Memo::new(move |_| query.read().get("period").unwrap_or_default());
    let loaded = Resource::new(move || period.get(), get_performance);
    view! {
        <section class="page performance-page" data-testid="performance-page">
            <header class="page-head"><h1><T m=Msg::TgPerformance/></h1></header>
            <TargetTabs active="/performance"/>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => view! { <Performance page=page/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Performance(page: Page) -> impl IntoView {
    let period = Period::from_key(&page.period).unwrap_or(Period::Year(2000));
    let key = page.period.clone();
    view! {
        <PeriodPicker period=period base="/performance".into()/>
        <section class="card" data-testid="progress">
            {page.progress.is_empty().then(|| view! { <p class="muted"><T m=Msg::TgNoTargets/></p> })}
            <ul class="plain progress-list">
                {page.progress.into_iter().map(|row| view! { <Progress row=row/> }).collect_view()}
            </ul>
        </section>
        <section class="card" data-testid="leaderboard">
            <header class="card-head">
                <h2><T m=Msg::TgLeaderboard/></h2>
                <span>
                    <a class="button small quiet" href=format!("/api/performance/board.csv?period={key}") download data-testid="board-csv"><T m=Msg::DownloadCsv/></a>
                    <a class="button small quiet" href=format!("/api/performance/board.xlsx?period={key}") download data-testid="board-xlsx"><T m=Msg::DownloadXlsx/></a>
                </span>
            </header>
            <Board rows=page.board/>
        </section>
        {page.may_edit_settings.then(|| view! { <Settings settings=page.settings/> })}
    }
}

/// A bar of the actual against the target, with the pace line drawn across it.
fn pace_bar(actual_percent: f64, expected_percent: f64, behind: bool) -> impl IntoView {
    let width = format!("{:.1}", actual_percent.clamp(0.0, 100.0));
    let pace = format!("{:.1}", expected_percent.clamp(0.0, 100.0));
    view! {
        <svg class="pace-bar" class:behind=behind viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" width="100" height="12" rx="2"/>
            <rect class="done" width=width height="12" rx="2"/>
            <line class="pace" x1=pace.clone() x2=pace y1="0" y2="12"/>
        </svg>
    }
}

#[component]
fn Progress(row: ProgressRow) -> impl IntoView {
    let i18n = use_i18n();
    let p = row.pace.clone();
    let name = holder_name(&row.holder, &row.name, i18n.lang());
    let metric = row.metric;
    let chance = row.chance.clone();
    view! {
        <li class="progress-row" class:behind=row.behind data-testid="progress-row" data-holder=row.holder.clone() data-metric=metric.key()>
            <div class="progress-head">
                <strong>{name}</strong>" · "<span>{move || i18n.t(metric_label(metric))}</span>
                {row.behind.then(|| view! { <span class="pill warn" data-testid="behind"><T m=Msg::TgBehind/></span> })}
                <span class="num progress-figures">{format!("{} / {}", figure(metric, p.actual), figure(metric, p.target))}</span>
            </div>
            {pace_bar(p.actual_percent, p.expected_percent, row.behind)}
            <div class="small muted" data-testid="pace">
                {move || format!("{} {:.1}%，{} {:.1}%", i18n.t(Msg::TgShouldBe), p.expected_percent, i18n.t(Msg::TgActual), p.actual_percent)}
                {chance.map(|c| view! {
                    <span data-testid="chance">{move || format!(" · {} {} – {} · {} {}%", i18n.t(Msg::TgLikely), figure(metric, c.low), figure(metric, c.high), i18n.t(Msg::TgChance), c.percent)}</span>
                })}
            </div>
        </li>
    }
}

fn or_dash<T>(value: Option<T>, shown: impl Fn(T) -> String) -> String {
    value.map(shown).unwrap_or_else(|| "—".into())
}

#[component]
fn Board(rows: Vec<LeaderRow>) -> impl IntoView {
    let i18n = use_i18n();
    let heads = [
        Msg::TgName, Msg::TgSigned, Msg::TgCollected, Msg::TgNewCustomers, Msg::TgFollowUps, Msg::TgOrderRevenue,
        Msg::TgWinRate, Msg::TgAvgDeal, Msg::TgCycle, Msg::TgCollectionRate, Msg::TgScore,
    ];
    view! {
        <div class="table-wrap">
            <table class="table leaderboard">
                <thead><tr><th>"#"</th>{heads.into_iter().map(|m| view! { <th>{move || i18n.t(m)}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, r)| {
                        let parts = r.parts.clone();
                        view! {
                            <tr data-testid="board-row" data-user=r.username.clone()>
                                <td>{i + 1}</td>
                                <th>{r.name.clone()}</th>
                                <td class="num" data-testid="board-signed">{figure(Metric::Signed, r.tally.signed)}</td>
                                <td class="num" data-testid="board-collected">{figure(Metric::Collected, r.tally.collected)}</td>
                                <td class="num">{r.tally.new_customers}</td>
                                <td class="num">{r.tally.follow_ups}</td>
                                <td class="num">{figure(Metric::OrderRevenue, r.tally.order_revenue)}</td>
                                <td class="num">{or_dash(r.win_rate, |v| format!("{v:.1}%"))}</td>
                                <td class="num">{or_dash(r.avg_deal, |v| figure(Metric::Signed, v))}</td>
                                <td class="num">{or_dash(r.cycle_days, |v| format!("{v:.1}"))}</td>
                                <td class="num">{or_dash(r.collection_rate, |v| format!("{v:.1}%"))}</td>
                                <td class="num score" data-testid="board-score">
                                    <strong>{format!("{:.1}", r.score)}</strong>
                                    <span class="small muted parts">{move || parts.iter().map(|p| format!("{} {}%×{:.0}%={:.1}", i18n.t(metric_label(p.metric)), p.weight, p.achievement_percent, p.points)).collect::<Vec<_>>().join(" · ")}</span>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Settings(settings: PerformanceSettings) -> impl IntoView {
    let i18n = use_i18n();
    let weights: Vec<(Metric, RwSignal<String>)> = Metric::ALL
        .into_iter()
        .map(|m| (m, RwSignal::new(settings.weights.iter().find(|w| w.metric == m).map(|w| w.percent.to_string()).unwrap_or_default())))
        .collect();
    let from_day = RwSignal::new(settings.warn.from_day.to_string());
    let behind = RwSignal::new(format!("{}", settings.warn.behind_points));
    let silence = RwSignal::new(settings.silence_days.to_string());
    let save = Action::new(move |input: &SettingsInput| {
        let input = input.clone();
        async move { save_performance_settings(input).await }
    });
    let fields = weights.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SettingsInput {
            weights: fields.iter().map(|(m, v)| (m.key().to_string(), v.get())).collect(),
            warn_from_day: from_day.get(),
            warn_behind_points: behind.get(),
            silence_days: silence.get(),
        });
    };
    let number = move |label: Msg, value: RwSignal<String>, testid: String| view! {
        <label class="field">
            <span class="field-label">{move || i18n.t(label)}</span>
            <input type="number" inputmode="numeric" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) data-testid=testid/>
        </label>
    };
    view! {
        <section class="card" data-testid="performance-settings">
            <h2><T m=Msg::TgSettings/></h2>
            <p class="muted small"><T m=Msg::TgWeightsHint/></p>
            <form class="form-grid" on:submit=submit>
                {weights.into_iter().map(|(m, v)| number(metric_label(m), v, format!("weight-{}", m.key()))).collect_view()}
                {number(Msg::TgWarnFrom, from_day, "warn-from".into())}
                {number(Msg::TgWarnBehind, behind, "warn-behind".into())}
                {number(Msg::TgSilenceDays, silence, "silence-days".into())}
                <div class="actions"><button class="button primary" type="submit" data-testid="save-settings"><T m=Msg::Save/></button></div>
            </form>
            {move || save.value().get().map(|r| match r {
                Ok(_) => view! { <p class="banner ok" role="status" data-testid="settings-saved"><T m=Msg::TgSaved/></p> }.into_any(),
                Err(e) => view! { <p class="banner error" role="alert" data-testid="settings-error">{said(&e, i18n.lang())}</p> }.into_any(),
            })}
        </section>
    }
}
