//! 外勤: a day's visits by person — when, which customer, what was said, and where the rep
//! checked in (opens the map). A manager reads the team's day, a rep their own.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use kehu_domain::customers::visits::{DayVisits, VisitLine};

use super::api::day_visits;
use super::check_in::CheckInLink;
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::Msg;

#[component]
pub fn VisitsPage() -> impl IntoView {
    let query = use_query_map();
    let navigate = use_navigate();
    let day = move || query.with(|q| q.get("day").unwrap_or_default());
    let visits = Resource::new(day, day_visits);
    view! {
        <section class="page visits">
            <div class="page-head">
                <h1><T m=Msg::VisitsTitle/></h1>
                <label class="inline">
                    <span class="field-label"><T m=Msg::VisitsDay/></span>
                    <input type="date" name="day" data-testid="visits-day" prop:value=day
                        on:change=move |ev| navigate(&format!("/visits?day={}", event_target_value(&ev)), Default::default())/>
                </label>
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match visits.await {
                        Ok(found) => view! { <Day found=found/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Day(found: DayVisits) -> impl IntoView {
    if found.visits.is_empty() {
        return view! { <p class="empty" data-testid="no-visits"><T m=Msg::VisitsNone/></p> }.into_any();
    }
    // By person, in the order of their first visit that day.
    let mut people: Vec<(String, Vec<VisitLine>)> = Vec::new();
    for visit in found.visits {
        match people.iter_mut().find(|(name, _)| *name == visit.by_name) {
            Some((_, list)) => list.push(visit),
            None => people.push((visit.by_name.clone(), vec![visit])),
        }
    }
    people
        .into_iter()
        .map(|(name, list)| {
            view! {
                <section class="card" data-testid="visits-person">
                    <h2>{name}" "<span class="count">{list.len()}</span></h2>
                    <ul class="today-lines">{list.into_iter().map(visit_line).collect_view()}</ul>
                </section>
            }
        })
        .collect_view()
        .into_any()
}

fn visit_line(v: VisitLine) -> impl IntoView {
    let offset = use_display_offset();
    view! {
        <li class="today-line" data-testid="visit">
            <div class="line-main">
                <span>
                    <time>{datetime(v.at, offset)}</time>" "
                    <a href=format!("/customers/{}", v.customer_id)>{v.customer_name.clone()}</a>
                </span>
                <span class="small">{v.summary.clone()}</span>
            </div>
            {match v.position {
                Some(p) => view! { <CheckInLink point=p testid="visit-checked-in"/> }.into_any(),
                None => view! { <span class="muted small"><T m=Msg::VisitsNoCheckIn/></span> }.into_any(),
            }}
        </li>
    }
}
