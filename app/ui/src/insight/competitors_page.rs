//! `/competitors`: the competitors and their aliases (kept by admins and managers), and the
//! report — mentions per competitor, our win rate in deals where each was named, the
//! customers who mention them, and mentions month by month.

use leptos::prelude::*;

use super::api::{add_competitor, load_competitor_report, remove_competitor};
use super::chart::BarChart;
use kehu_domain::insight::competitors::{validate_competitor, Competitor, CompetitorInput, CompetitorReport};
use crate::components::fields::{save_if_valid, TextField};
use crate::components::{ErrorBanner, T};
use kehu_domain::error::{AppError, FieldError};
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

#[component]
pub fn CompetitorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let report = Resource::new(move || version.get(), |_| load_competitor_report());
    view! {
        <section class="page competitors-page">
            <header class="page-head"><h1><T m=Msg::NavCompetitors/></h1></header>
            <Suspense fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(r) => view! { <Report report=r on_change=Callback::new(move |()| version.update(|v| *v += 1))/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Report(report: CompetitorReport, on_change: Callback<()>) -> impl IntoView {
    use kehu_domain::accounts::types::Role;
    let may_edit = use_session().user_now().is_some_and(|m| matches!(m.user.role, Role::Admin | Role::Manager));
    let bars: Vec<(String, f64, String)> = report.stats.iter().map(|s| (s.name.clone(), s.mentions as f64, s.mentions.to_string())).collect();
    let names: Vec<String> = report.stats.iter().map(|s| s.name.clone()).collect();
    view! {
        {may_edit.then(|| view! { <CompetitorList competitors=report.competitors.clone() on_change=on_change/> })}
        <section class="card" data-testid="competitor-report">
            <h2><T m=Msg::CompetitorMentions/></h2>
            {if report.stats.is_empty() {
                view! { <p class="muted"><T m=Msg::NoCompetitors/></p> }.into_any()
            } else {
                view! {
                    <BarChart rows=bars/>
                    <table class="table">
                        <thead><tr>
                            <th><T m=Msg::Competitor/></th><th><T m=Msg::Mentions/></th><th><T m=Msg::ColCustomers/></th>
                            <th><T m=Msg::DealsWonLost/></th><th><T m=Msg::OurWinRate/></th><th><T m=Msg::WhoMentions/></th>
                        </tr></thead>
                        <tbody>
                            {report.stats.iter().map(|s| view! {
                                <tr>
                                    <td>{s.name.clone()}</td>
                                    <td class="num">{s.mentions}</td>
                                    <td class="num">{s.customers}</td>
                                    <td class="num">{s.deals_won}" / "{s.deals_lost}" ("{s.deals_open}")"</td>
                                    <td class="num">{s.win_rate().map(|r| format!("{:.0}%", r * 100.0)).unwrap_or_else(|| "–".into())}</td>
                                    <td>{s.some_customers.iter().map(|(id, name)| view! { <a href=format!("/customers/{id}")>{name.clone()}</a>" " }).collect_view()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h3><T m=Msg::MentionsByMonth/></h3>
                    <table class="table">
                        <thead><tr><th><T m=Msg::Month/></th>{names.iter().map(|n| view! { <th>{n.clone()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {report.by_month.iter().map(|(month, counts)| view! {
                                <tr><td>{month.clone()}</td>{counts.iter().map(|n| view! { <td class="num">{*n}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn CompetitorList(competitors: Vec<Competitor>, on_change: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let save = Action::new(move |input: &CompetitorInput| {
        let input = input.clone();
        async move {
            match add_competitor(input).await {
                Ok(_) => on_change.run(()),
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let remove = Action::new(move |id: &String| {
        let id = id.clone();
        async move {
            match remove_competitor(id).await {
                Ok(_) => on_change.run(()),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = CompetitorInput { name: name.get_untracked(), aliases: aliases.get_untracked() };
        save_if_valid(validate_competitor(&input), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    view! {
        <section class="card">
            <ul class="competitors" data-testid="competitors">
                {competitors.into_iter().map(|c| {
                    let id = c.id.clone();
                    view! {
                        <li>
                            <strong>{c.name.clone()}</strong>
                            <span class="muted">" "{c.aliases.join("、")}</span>
                            <button type="button" class="link danger" on:click=move |_| { remove.dispatch(id.clone()); }><T m=Msg::Remove/></button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form novalidate on:submit=on_submit data-testid="competitor-form">
                <div class="row">
                    <TextField label=Msg::Competitor name="name" value=name errors=e required=true/>
                    <TextField label=Msg::Aliases name="aliases" value=aliases errors=e/>
                </div>
                <button type="submit" class="button primary" data-testid="competitor-save" disabled=move || save.pending().get()><T m=Msg::Add/></button>
                <ErrorBanner error=failure/>
            </form>
        </section>
    }
}
