//! 今天: due reminders, deals closing this month with their next step, customers in their
//! buying window, and leads ranked by the learned score with the reasons beside it. Every
//! line is one tap from a call, a follow-up or the profile.

use leptos::prelude::*;

use kehu_domain::money::money_text;
use kehu_domain::today::{ClosingDeal, LeadLine, RepurchaseLine, TodayView};
use kehu_domain::reminders::types::Reminder;

use super::api::my_day;
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, day, use_display_offset};
use crate::i18n::{lead_model_text, lead_reason_text, reminder_kind_label, usual_interval_text, use_i18n, Msg};

#[component]
pub fn TodayPage() -> impl IntoView {
    let day_view = Resource::new(|| (), |_| my_day());
    view! {
        <section class="page today">
            <h1><T m=Msg::TodayTitle/></h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match day_view.await {
                        Ok(view) => view! { <Day view=view/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Day(view: TodayView) -> impl IntoView {
    let TodayView { due, due_total, closing, repurchase, leads, model, sells } = view;
    let i18n = use_i18n();
    view! {
        <section class="card today-part" data-testid="today-due">
            <div class="card-head">
                <h2><T m=Msg::TodayDue/>" "<span class="count">{due_total}</span></h2>
                <a href="/reminders" class="small"><T m=Msg::TodayAllReminders/></a>
            </div>
            {if due.is_empty() {
                view! { <p class="muted"><T m=Msg::TodayNoneDue/></p> }.into_any()
            } else {
                view! { <ul class="today-lines">{due.into_iter().map(due_line).collect_view()}</ul> }.into_any()
            }}
        </section>
        {sells.then(|| view! {
            <section class="card today-part" data-testid="today-closing">
                <h2><T m=Msg::TodayClosing/></h2>
                {if closing.is_empty() {
                    view! { <p class="muted"><T m=Msg::TodayNoneClosing/></p> }.into_any()
                } else {
                    view! { <ul class="today-lines">{closing.into_iter().map(closing_line).collect_view()}</ul> }.into_any()
                }}
            </section>
        })}
        <section class="card today-part" data-testid="today-repurchase">
            <h2><T m=Msg::TodayRepurchase/></h2>
            {if repurchase.is_empty() {
                view! { <p class="muted"><T m=Msg::TodayNoneRepurchase/></p> }.into_any()
            } else {
                view! { <ul class="today-lines">{repurchase.into_iter().map(repurchase_line).collect_view()}</ul> }.into_any()
            }}
        </section>
        {sells.then(|| view! {
            <section class="card today-part" data-testid="today-leads">
                <h2><T m=Msg::TodayLeads/></h2>
                {match model {
                    Some(m) => view! { <p class="muted small" data-testid="lead-model">{move || lead_model_text(m, i18n.lang())}</p> }.into_any(),
                    None => view! { <p class="muted small" data-testid="lead-model-none"><T m=Msg::TodayNoModel/></p> }.into_any(),
                }}
                {if leads.is_empty() {
                    view! { <p class="muted"><T m=Msg::TodayNoLeads/></p> }.into_any()
                } else {
                    view! { <ol class="today-lines">{leads.into_iter().map(lead_line).collect_view()}</ol> }.into_any()
                }}
            </section>
        })}
    }
}

/// The one-tap actions of a line: call (when there is a number), log a follow-up, open.
fn actions(customer_id: &str, phone: &str) -> impl IntoView {
    let phone = phone.trim().to_string();
    view! {
        <span class="line-actions">
            {(!phone.is_empty()).then(|| view! {
                <a class="button small" href=format!("tel:{phone}") data-testid="line-call"><T m=Msg::TodayCall/></a>
            })}
            <a class="button small" href=format!("/customers/{customer_id}#follow-up") data-testid="line-log"><T m=Msg::TodayLog/></a>
        </span>
    }
}

fn due_line(r: Reminder) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    view! {
        <li class="today-line" data-testid="today-reminder">
            <div class="line-main">
                <a href=format!("/customers/{}", r.customer_id)>{r.customer_name.clone()}</a>
                <span class="muted small">
                    {move || i18n.t(reminder_kind_label(r.kind))}" · "{datetime(r.due, offset)}
                    {(!r.subject.is_empty()).then(|| view! { " · "{r.subject.clone()} })}
                </span>
            </div>
            {actions(&r.customer_id, "")}
        </li>
    }
}

fn closing_line(d: ClosingDeal) -> impl IntoView {
    let i18n = use_i18n();
    let next = d.next_step.clone();
    view! {
        <li class="today-line" data-testid="today-deal">
            <div class="line-main">
                <a href=format!("/deals/{}", d.id)>{d.title.clone()}</a>
                <span class="muted small">
                    <a href=format!("/customers/{}", d.customer_id)>{d.customer_name.clone()}</a>
                    " · "{money_text(d.amount_cents, &d.currency)}" · "{day(d.expected_close)}
                </span>
                {(!next.is_empty()).then(|| view! { <span class="small">{move || i18n.t(Msg::TodayNextStep)}": "{next.clone()}</span> })}
            </div>
            {actions(&d.customer_id, "")}
        </li>
    }
}

fn repurchase_line(r: RepurchaseLine) -> impl IntoView {
    let i18n = use_i18n();
    let usual = r.window.usual_days;
    view! {
        <li class="today-line" data-testid="today-repurchase-line">
            <div class="line-main">
                <a href=format!("/customers/{}", r.customer_id)>{r.customer_name.clone()}</a>
                <span class="muted small">{move || usual_interval_text(usual, i18n.lang())}" · "{day(r.window.from)}" – "{day(r.window.to)}</span>
            </div>
            {actions(&r.customer_id, &r.phone)}
        </li>
    }
}

fn lead_line(l: LeadLine) -> impl IntoView {
    let i18n = use_i18n();
    let score = l.score.clone();
    view! {
        <li class="today-line" data-testid="today-lead">
            <div class="line-main">
                <span>
                    <a href=format!("/customers/{}", l.customer_id)>{l.customer_name.clone()}</a>
                    {(!l.source.is_empty()).then(|| view! { " "<span class="muted small">{l.source.clone()}</span> })}
                </span>
                {score.map(|s| {
                    let reasons = s.reasons.clone();
                    view! {
                        <span class="small">
                            <span class="lead-score" data-testid="lead-score" title=move || i18n.t(Msg::TodayWinChance)>{format!("{}%", s.percent)}</span>
                            {reasons.into_iter().map(|r| view! { " "<span class="chip" data-testid="lead-reason">{move || lead_reason_text(&r, i18n.lang())}</span> }).collect_view()}
                        </span>
                    }
                })}
            </div>
            {actions(&l.customer_id, &l.phone)}
        </li>
    }
}
