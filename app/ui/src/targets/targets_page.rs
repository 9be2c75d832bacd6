//! `/targets`: a year's targets of one metric for every holder the reader may see (company →
//! regions → teams → people), year, quarters and months, each cell typed in place by whoever
//! may set it; the sums check says by how much months, quarters or the level below miss
//! their year; a year is cascaded into months and/or the level below, evenly or in last
//! year's shape.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use kehu_domain::targets::period::Period;
use kehu_domain::targets::types::Metric;
use kehu_domain::targets::view::{CascadeInput, TargetInput, TargetRow, TargetsPage as Page};

use super::api::{cascade_target, get_targets, set_target};
use super::labels::{figure, holder_name, metric_label, said, typed, TargetTabs};
use crate::components::{ErrorBanner, T};
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn TargetsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let this_year = chrono::Datelike::year(&kehu_domain::format::today(crate::format::use_display_offset()));
    let year = Memo::new(move |_| query.read().get("year").and_then(|y| y.parse::<i32>().ok()).unwrap_or(this_year));
    let metric = Memo::new(move |_| query.read().get("metric").and_then(|m| Metric::from_key(&m)).unwrap_or(Metric::Signed));
    let loaded = Resource::new(move || (year.get(), metric.get()), |(y, m)| get_targets(y, m.key().to_string()));
    let fresh: RwSignal<Option<Page>> = RwSignal::new(None);
    let message: RwSignal<Option<Result<(), String>>> = RwSignal::new(None);
    view! {
        <section class="page targets-page" data-testid="targets-page">
            <header class="page-head"><h1><T m=Msg::TgTargets/></h1></header>
            <TargetTabs active="/targets"/>
            <nav class="tabs small">
                {move || (this_year - 1..=this_year + 1).map(|y| view! {
                    <a href=format!("/targets?year={y}&metric={}", metric.get().key()) class:active=move || year.get() == y>{y}</a>
                }).collect_view()}
            </nav>
            <nav class="tabs small">
                {Metric::ALL.into_iter().map(|m| view! {
                    <a href=move || format!("/targets?year={}&metric={}", year.get(), m.key()) class:active=move || metric.get() == m data-testid=format!("metric-{}", m.key())>
                        {move || i18n.t(metric_label(m))}
                    </a>
                }).collect_view()}
            </nav>
            {move || message.get().map(|m| match m {
                Ok(()) => view! { <p class="banner ok" role="status" data-testid="target-saved"><T m=Msg::TgSaved/></p> }.into_any(),
                Err(text) => view! { <p class="banner error" role="alert" data-testid="target-error">{text}</p> }.into_any(),
            })}
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(page) => {
                            fresh.set(None);
                            view! { <Grid first=page fresh=fresh message=message/> }.into_any()
                        }
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Grid(first: Page, fresh: RwSignal<Option<Page>>, message: RwSignal<Option<Result<(), String>>>) -> impl IntoView {
    let i18n = use_i18n();
    let page = Memo::new(move |_| fresh.get().unwrap_or_else(|| first.clone()));
    let answer = move |result: Result<Page, kehu_domain::error::AppError>| match result {
        Ok(p) => {
            fresh.set(Some(p));
            message.set(Some(Ok(())));
        }
        Err(e) => message.set(Some(Err(said(&e, i18n.lang())))),
    };
    let set = Action::new(move |input: &TargetInput| {
        let input = input.clone();
        async move { set_target(input).await }
    });
    let cascade = Action::new(move |input: &CascadeInput| {
        let input = input.clone();
        async move { cascade_target(input).await }
    });
    Effect::new(move |_| {
        if let Some(result) = set.value().get() {
            answer(result);
        }
    });
    Effect::new(move |_| {
        if let Some(result) = cascade.value().get() {
            answer(result);
        }
    });
    let columns = move || {
        let mut c = vec![(Msg::TgYear, String::new())];
        c.extend((1..=4).map(|q| (Msg::TgQuarter, format!("Q{q}"))));
        c.extend((1..=12).map(|m| (Msg::TgMonth, format!("{m}"))));
        c
    };
    view! {
        <div class="table-wrap">
            <table class="table targets-grid" data-testid="targets-grid">
                <thead>
                    <tr>
                        <th><T m=Msg::TgHolder/></th>
                        {columns().into_iter().map(|(m, suffix)| view! {
                            <th>{move || if suffix.is_empty() { i18n.t(m).to_string() } else if m == Msg::TgMonth { format!("{suffix}{}", i18n.t(m)) } else { suffix.clone() }}</th>
                        }).collect_view()}
                        <th><T m=Msg::TgCheck/></th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let p = page.get();
                        p.rows.clone().into_iter().map(|row| view! { <Row row=row year=p.year metric=p.metric set=set cascade=cascade/> }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Row(row: TargetRow, year: i32, metric: Metric, set: Action<TargetInput, Result<Page, kehu_domain::error::AppError>>, cascade: Action<CascadeInput, Result<Page, kehu_domain::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let mut periods = vec![(Period::Year(year), row.year)];
    periods.extend((1..=4).map(|q| (Period::Quarter(year, q), row.quarters[q as usize - 1])));
    periods.extend((1..=12).map(|m| (Period::Month(year, m), row.months[m as usize - 1])));
    let holder = row.holder.clone();
    let cells = periods
        .into_iter()
        .map(|(period, amount)| {
            let shown = amount.map(|a| typed(metric, a)).unwrap_or_default();
            if row.may_set {
                let holder = holder.clone();
                let testid = format!("target-{}-{}", holder, period.key());
                view! {
                    <td class="num">
                        <input class="target-cell" inputmode="decimal" value=shown.clone() prop:value=shown data-testid=testid aria-label=period.key()
                            on:change=move |ev| {
                                set.dispatch(TargetInput { metric: metric.key().into(), holder: holder.clone(), period: period.key(), amount: event_target_value(&ev) });
                            }/>
                    </td>
                }.into_any()
            } else {
                view! { <td class="num">{amount.map(|a| figure(metric, a)).unwrap_or_else(|| "—".into())}</td> }.into_any()
            }
        })
        .collect_view();
    let gaps = [(Msg::TgMonthsGap, row.months_gap), (Msg::TgQuartersGap, row.quarters_gap), (Msg::TgChildrenGap, row.children_gap)];
    let off: Vec<(Msg, i64)> = gaps.iter().filter_map(|(m, g)| g.filter(|g| *g != 0).map(|g| (*m, g))).collect();
    let checked = gaps.iter().any(|(_, g)| g.is_some());
    let check = if off.is_empty() {
        view! { <span class="muted small" data-testid="sums-ok">{checked.then(|| i18n.t(Msg::TgAddsUp))}</span> }.into_any()
    } else {
        view! {
            <ul class="plain small gaps" data-testid="sums-off">
                {off.into_iter().map(|(m, g)| view! { <li class="warn">{move || format!("{} {}{}", i18n.t(m), if g > 0 { "+" } else { "" }, figure(metric, g))}</li> }).collect_view()}
            </ul>
        }.into_any()
    };
    let history = (row.history.len() > 1).then(|| {
        let text = row.history.iter().map(|(d, a)| format!("{} {}", d.format("%m-%d"), figure(metric, *a))).collect::<Vec<_>>().join(" → ");
        view! { <span class="muted small history" data-testid="target-history">{move || format!("{}：{text}", i18n.t(Msg::TgHistory))}</span> }
    });
    let can_cascade = row.may_set && row.year.is_some();
    let holder_for_cascade = row.holder.clone();
    let (months, children, last_year) = (RwSignal::new(true), RwSignal::new(true), RwSignal::new(false));
    let name = holder_name(&row.holder, &row.name, i18n.lang());
    view! {
        <tr data-testid="target-row" data-holder=row.holder.clone()>
            <th class=format!("holder depth-{}", row.depth)>
                <span>{name}</span>
                {history}
                {can_cascade.then(|| view! {
                    <details class="cascade" data-testid="cascade">
                        <summary class="small"><T m=Msg::TgCascade/></summary>
                        <label class="check small"><input type="checkbox" prop:checked=months on:change=move |ev| months.set(event_target_checked(&ev))/><T m=Msg::TgIntoMonths/></label>
                        <label class="check small"><input type="checkbox" prop:checked=children on:change=move |ev| children.set(event_target_checked(&ev))/><T m=Msg::TgIntoChildren/></label>
                        <label class="check small"><input type="checkbox" prop:checked=last_year on:change=move |ev| last_year.set(event_target_checked(&ev))/><T m=Msg::TgByLastYear/></label>
                        <button type="button" class="button small" data-testid="cascade-now" on:click=move |_| {
                            cascade.dispatch(CascadeInput { metric: metric.key().into(), holder: holder_for_cascade.clone(), year, into_months: months.get(), into_children: children.get(), by_last_year: last_year.get() });
                        }><T m=Msg::TgCascade/></button>
                    </details>
                })}
            </th>
            {cells}
            <td>{check}</td>
        </tr>
    }
}
