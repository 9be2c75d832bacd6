//! One deal: where it stands and what the next stage still needs, its playbook, the form,
//! quotes and contract, winning or losing it, and its stage history.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::api::{close_deal, get_deal, move_deal, tick_playbook};
use super::deal_form::{input_of, DealForm};
use super::deal_money_view::{ContractView, QuotesView};
use kehu_domain::pipeline::types::*;
use kehu_domain::money::money_text;
use crate::components::{ErrorBanner, T};
use kehu_domain::error::AppError;
use crate::format::{datetime, use_display_offset};
use crate::i18n::{blocked_text, deal_status_label as status_label, stage_name, use_i18n, Msg};

#[component]
pub fn DealPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let view_data = Resource::new(move || id.get(), get_deal);
    let reload = Callback::new(move |()| view_data.refetch());
    view! {
        <section class="page deal-page">
            <a class="back" href="/pipeline">"← "<T m=Msg::NavPipeline/></a>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match view_data.await {
                        Ok(v) => view! { <DealView data=v reload=reload/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn DealView(data: DealView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let DealView { deal, pipeline, win_percent, quotes, contract, history, can_edit } = data;
    let open = deal.status == DealStatus::Open;
    let editable = can_edit && open;
    let stage_def = pipeline.stage(&deal.stage).cloned();
    let status = deal.status;
    let deal_id = deal.id.clone();
    view! {
        <header class="profile-head">
            <div>
                <h1 data-testid="deal-title">{deal.title.clone()}</h1>
                <p class="profile-meta">
                    <a href=format!("/customers/{}", deal.customer_id)>{deal.customer_name.clone()}</a>
                    <span class=format!("status status-{}", status.as_str()) data-testid="deal-status">{move || i18n.t(status_label(status))}</span>
                    <span data-testid="deal-stage">{
                        let s = stage_def.clone();
                        move || s.as_ref().map(|s| stage_name(s, i18n.lang())).unwrap_or_default()
                    }</span>
                    <span class="amount">{money_text(deal.amount_cents, &deal.currency)}</span>
                    <span class="win">{move || i18n.t(Msg::WinChance)}" "{format!("{win_percent}%")}</span>
                    <span class="muted">{deal.owner_name.clone()}</span>
                </p>
                {(!deal.lost_reason.is_empty()).then(|| view! { <p class="muted">{move || i18n.t(Msg::LostReason)}": "{deal.lost_reason.clone()}</p> })}
            </div>
        </header>
        <StageStrip deal=deal.clone() pipeline=pipeline.clone() editable=editable reload=reload/>
        <div class="profile-grid">
            <div class="profile-side">
                {stage_def.filter(|s| !s.playbook.is_empty()).map(|s| view! {
                    <PlaybookView deal=deal.clone() stage=s editable=editable/>
                })}
                {editable.then(|| view! { <CloseDeal deal=deal.clone() pipeline=pipeline.clone() reload=reload/> })}
                <HistoryView history=history pipeline=pipeline.clone()/>
            </div>
            <div class="profile-main">
                {if editable {
                    view! {
                        <DealForm initial=input_of(&deal) existing=Some((deal_id.clone(), deal.version)) on_saved=Callback::new(move |_| reload.run(()))/>
                    }.into_any()
                } else {
                    view! { <ReadOnlyDeal deal=deal.clone()/> }.into_any()
                }}
                <QuotesView deal_id=deal_id.clone() currency=deal.currency.clone() quotes=quotes editable=can_edit on_change=reload/>
                <ContractView deal_id=deal_id.clone() contract=contract editable=can_edit on_change=reload/>
            </div>
        </div>
    }
    .into_any()
}

/// The stages in a row: passed, current, and for each later one what it still needs.
#[component]
fn StageStrip(deal: Deal, pipeline: Pipeline, editable: bool, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let here = pipeline.index_of(&deal.stage).unwrap_or(0);
    let failure = RwSignal::new(None::<AppError>);
    let (id, version, current) = (deal.id.clone(), deal.version, deal.stage.clone());
    let mover = Action::new(move |to: &String| {
        let (id, to) = (id.clone(), to.clone());
        async move {
            match move_deal(id, to, version).await {
                Ok(_) => reload.run(()),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <ol class="stage-strip" data-testid="stage-strip">
            {pipeline.stages.iter().enumerate().map(|(i, s)| {
                let missing = pipeline.missing_for(&deal.facts, &current, &s.key).unwrap_or_default();
                let name = s.clone();
                let key = s.key.clone();
                let state = if i < here { "passed" } else if i == here { "current" } else { "ahead" };
                view! {
                    <li class=format!("stage-step {state}")>
                        <span class="stage-name">{move || stage_name(&name, i18n.lang())}</span>
                        {(!missing.is_empty()).then(|| {
                            let missing = missing.clone();
                            view! { <span class="stage-missing">{move || blocked_text(&missing, i18n.lang())}</span> }
                        })}
                        {(editable && i != here).then(|| view! {
                            <button type="button" class="button small" data-testid=format!("move-{key}")
                                on:click=move |_| { mover.dispatch(key.clone()); }>
                                {move || i18n.t(Msg::MoveTo)}
                            </button>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
        <ErrorBanner error=failure/>
    }
    .into_any()
}

#[component]
fn PlaybookView(deal: Deal, stage: StageDef, editable: bool) -> impl IntoView {
    let i18n = use_i18n();
    let ticked = RwSignal::new(deal.checklist.clone());
    let failure = RwSignal::new(None::<AppError>);
    let id = StoredValue::new(deal.id.clone());
    let key = StoredValue::new(stage.key.clone());
    let toggle = Action::new(move |(index, on): &(usize, bool)| {
        let (index, on) = (*index, *on);
        async move {
            match tick_playbook(id.get_value(), key.get_value(), index, on).await {
                Ok(d) => ticked.set(d.checklist),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    view! {
        <section class="card playbook" data-testid="playbook">
            <h2><T m=Msg::Playbook/>" · "{
                let stage = stage.clone();
                move || stage_name(&stage, i18n.lang())
            }</h2>
            <ul class="checklist">
                {stage.playbook.iter().enumerate().map(|(i, item)| {
                    let item_key = format!("{}:{i}", key.get_value());
                    let checked_key = item_key.clone();
                    view! {
                        <li><label>
                            <input type="checkbox" disabled=!editable
                                prop:checked=move || ticked.with(|t| t.contains(&checked_key))
                                on:change=move |ev| { toggle.dispatch((i, event_target_checked(&ev))); }/>
                            " "{item.clone()}
                        </label></li>
                    }
                }).collect_view()}
            </ul>
            <ErrorBanner error=failure/>
        </section>
    }
    .into_any()
}

#[component]
fn CloseDeal(deal: Deal, pipeline: Pipeline, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let missing = pipeline.missing_to_win(&deal.facts);
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<AppError>);
    let (id, version) = (deal.id.clone(), deal.version);
    let close = Action::new(move |won: &bool| {
        let (id, won, reason) = (id.clone(), *won, reason.get_untracked());
        async move {
            match close_deal(id, won, reason, version).await {
                Ok(_) => reload.run(()),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let blocked = !missing.is_empty();
    view! {
        <section class="card close-deal">
            <button type="button" class="button primary" data-testid="mark-won" disabled=blocked
                on:click=move |_| { close.dispatch(true); }><T m=Msg::MarkWon/></button>
            {blocked.then(|| view! { <p class="muted">{move || blocked_text(&missing, i18n.lang())}</p> })}
            <label class="field">
                <span class="field-label"><T m=Msg::LostReason/></span>
                <input name="lost_reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
            </label>
            <button type="button" class="button danger" data-testid="mark-lost"
                on:click=move |_| { close.dispatch(false); }><T m=Msg::MarkLost/></button>
            <ErrorBanner error=failure/>
        </section>
    }
    .into_any()
}

#[component]
fn ReadOnlyDeal(deal: Deal) -> impl IntoView {
    let row = |label: Msg, value: String| (!value.is_empty()).then(|| view! { <dt><T m=label/></dt><dd>{value}</dd> });
    view! {
        <section class="card details">
            <dl>
                {row(Msg::FieldExpectedClose, crate::format::day(deal.expected_close))}
                {row(Msg::FieldProducts, deal.products.join("、"))}
                {row(Msg::FieldCompetitor, deal.competitor.clone())}
                {row(Msg::FieldNextStep, deal.next_step.clone())}
            </dl>
            {(!deal.needs_analysis.is_empty()).then(|| view! {
                <h3><T m=Msg::FieldNeedsAnalysis/></h3>
                <p class="notes">{deal.needs_analysis.clone()}</p>
            })}
        </section>
    }
}

#[component]
fn HistoryView(history: Vec<StageMove>, pipeline: Pipeline) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let name = move |key: &str| -> String {
        match key {
            "" => i18n.t(Msg::Created).to_string(),
            "won" => i18n.t(Msg::StatusWon).to_string(),
            "lost" => i18n.t(Msg::StatusLost).to_string(),
            other => pipeline.stage(other).map(|s| stage_name(s, i18n.lang())).unwrap_or_else(|| other.to_string()),
        }
    };
    view! {
        <section class="card" data-testid="stage-history">
            <h2><T m=Msg::StageHistory/></h2>
            <ol class="events">
                {history.into_iter().rev().map(|m| view! {
                    <li class="event">
                        <time datetime=m.at.to_rfc3339()>{datetime(m.at, offset)}</time>
                        " "{name(&m.from)}" → "{name(&m.to)}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
