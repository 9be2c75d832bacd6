//! The timeline of touchpoints, newest first, with a follow-up form on top whose entry
//! appears in place as soon as the server has it. Without a connection the follow-up is kept
//! in the phone's outbox (`crate::offline::outbox`) and shown at the top as not yet sent,
//! until the outbox has sent it (or the server refused it, with the reason).

use leptos::prelude::*;

use super::api::log_follow_up;
use crate::offline::outbox::{self, OutboxItem};
use crate::offline::outbox_page::refusal_text;
use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::customers::types::{Touchpoint, TouchpointInput, TouchpointKind};
use crate::components::fields::{TextField, save_if_valid};
use crate::components::{ErrorBanner, T};
use kehu_domain::customers::validate::validate_touchpoint;
use kehu_domain::error::{AppError, FieldError};
use crate::format::{datetime, day, today, use_display_offset};
use crate::i18n::{touch_label, use_i18n, Msg};
use super::check_in::{current_position, CheckInLink, GeoFailure};
use kehu_domain::insight::types::Order;
use kehu_domain::service::tickets::TicketStatus;
use kehu_domain::service::types::Ticket;
use kehu_domain::money::money_text;
use crate::session::use_session;

/// One entry of the timeline: a follow-up, an order (shown on its day), a ticket opened, or
/// a ticket solved (when it was).
#[derive(Clone, PartialEq)]
enum Item {
    Touch(Touchpoint),
    Order(Order),
    TicketOpened(Ticket),
    TicketSolved(Ticket, chrono::DateTime<chrono::Utc>),
}

impl Item {
    fn key(&self) -> String {
        match self {
            Item::Touch(t) => format!("t:{}", t.id),
            Item::Order(o) => format!("o:{}:{}", o.id, o.total_cents),
            Item::TicketOpened(t) => format!("k:{}:{}", t.id, t.status.key()),
            Item::TicketSolved(t, at) => format!("s:{}:{at}", t.id),
        }
    }
}

/// Follow-ups, orders and tickets, newest first. An order entered on its own day sorts by
/// when it was entered; one entered later (history, imports) by noon (UTC) of its day.
fn merged(entries: Vec<Touchpoint>, orders: Vec<Order>, tickets: Vec<Ticket>) -> Vec<Item> {
    let mut all: Vec<(chrono::DateTime<chrono::Utc>, Item)> = entries.into_iter().map(|t| (t.at, Item::Touch(t))).collect();
    for o in orders {
        let noon = o.on.and_hms_opt(12, 0, 0).map(|d| d.and_utc()).unwrap_or(o.created_at);
        let at = if o.created_at.date_naive() == o.on { o.created_at } else { noon };
        all.push((at, Item::Order(o)));
    }
    for t in tickets {
        // The last time it was solved (a reopened ticket solved again counts once, then).
        if let Some(solved) = t.history.iter().rev().find(|h| h.status == TicketStatus::Solved).map(|h| h.at) {
            all.push((solved, Item::TicketSolved(t.clone(), solved)));
        }
        all.push((t.created_at, Item::TicketOpened(t)));
    }
    all.sort_by(|a, b| b.0.cmp(&a.0));
    all.into_iter().map(|(_, item)| item).collect()
}

#[component]
pub fn Timeline(customer_id: String, customer_name: String, entries: Vec<Touchpoint>, orders: RwSignal<Vec<Order>>, tickets: RwSignal<Vec<Ticket>>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let entries = RwSignal::new(entries);
    let kind = RwSignal::new(TouchpointKind::Call);
    // Follow-ups are signed by whoever is signed in; the server fills in the name.
    let me = use_session().user_now();
    let author = me.as_ref().map(|m| m.user.display_name.clone()).unwrap_or_default();
    let user = StoredValue::new(me.map(|m| m.user.username).unwrap_or_default());
    let summary = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_step_on = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let kept = RwSignal::new(false);
    let id = StoredValue::new(customer_id);
    let name = StoredValue::new(customer_name);

    // This customer's follow-ups still in the outbox; a sent one joins the timeline.
    let pending = RwSignal::new(Vec::<OutboxItem>::new());
    let load_pending = move || {
        leptos::task::spawn_local(async move {
            let mine = outbox::items(&user.get_value()).await;
            pending.set(mine.into_iter().filter(|i| i.follow_up.customer_id == id.get_value()).collect());
        })
    };
    Effect::new(move |_| load_pending());
    outbox::on_change(move |news| {
        if let Some(entry) = news.sent.filter(|e| e.customer_id == id.get_value()) {
            if !entries.with_untracked(|list| list.iter().any(|t| t.id == entry.id)) {
                entries.update(|list| list.insert(0, entry));
            }
        }
        load_pending();
    });

    // Visit check-in: ticked by the rep, the phone's position is asked for at saving.
    let check_in = RwSignal::new(false);
    let locating = RwSignal::new(false);
    let geo_failure = RwSignal::new(None::<GeoFailure>);
    let clear = move || {
        check_in.set(false);
        geo_failure.set(None);
        summary.set(String::new());
        next_step.set(String::new());
        next_step_on.set(String::new());
        errors.set(Vec::new());
        failure.set(None);
    };
    // Each follow-up gets its key here, so sending it again (the outbox, after an answer that
    // never arrived) logs it once.
    let submit = Action::new_local(move |input: &TouchpointInput| {
        let follow_up = KeyedFollowUp {
            key: outbox::new_key(),
            customer_id: id.get_value(),
            customer_name: name.get_value(),
            user: user.get_value(),
            input: input.clone(),
            written_at: chrono::Utc::now(),
        };
        async move {
            kept.set(false);
            let answer = if outbox::online() { log_follow_up(follow_up.clone()).await } else { Err(AppError::Transport("offline".into())) };
            match answer {
                Ok(entry) => {
                    entries.update(|list| list.insert(0, entry));
                    clear();
                }
                Err(AppError::Transport(_)) if outbox::keep(&follow_up).await => {
                    clear();
                    kept.set(true);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut input = TouchpointInput {
            kind: kind.get_untracked(),
            author: author.clone(),
            summary: summary.get_untracked(),
            next_step: next_step.get_untracked(),
            next_step_on: next_step_on.get_untracked(),
            position: None,
        };
        geo_failure.set(None);
        if !(check_in.get_untracked() && input.kind == TouchpointKind::Visit) {
            save_if_valid(validate_touchpoint(&input, today(offset)), input, errors, submit);
            return;
        }
        // Checked first, so a follow-up that would be refused does not ask for the position.
        if let Err(list) = validate_touchpoint(&input, today(offset)) {
            errors.set(list);
            return;
        }
        locating.set(true);
        leptos::task::spawn_local(async move {
            let found = current_position().await;
            locating.set(false);
            match found {
                Ok(point) => {
                    input.position = Some(point);
                    save_if_valid(validate_touchpoint(&input, today(offset)), input, errors, submit);
                }
                Err(why) => geo_failure.set(Some(why)),
            }
        });
    };
    let errors_signal: Signal<Vec<FieldError>> = errors.into();
    // "记跟进" from the day's list or the profile's head links to `#follow-up`: the form is far
    // down a phone's page and the profile draws after the route changes, so the browser's own
    // jump to the anchor finds nothing; scrolled here once the form is there.
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let hash = leptos_router::hooks::use_location().hash;
    Effect::new(move |_| {
        if hash.get() == "#follow-up" {
            if let Some(form) = form_ref.get() {
                form.scroll_into_view();
            }
        }
    });

    view! {
        <section class="card timeline" data-testid="timeline">
            <h2><T m=Msg::Timeline/></h2>
            <form class="follow-up" id="follow-up" node_ref=form_ref novalidate on:submit=on_submit data-testid="follow-up-form">
                <div class="row">
                    <label class="field">
                        <span class="field-label"><T m=Msg::FieldTouchKind/></span>
                        <select name="kind" on:change=move |ev| {
                            if let Some(k) = TouchpointKind::parse(&event_target_value(&ev)) {
                                kind.set(k)
                            }
                        }>
                            {TouchpointKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == k>{move || i18n.t(touch_label(k))}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <Show when=move || kind.get() == TouchpointKind::Visit>
                    <label class="check-in-choice">
                        <input type="checkbox" name="check_in" data-testid="check-in"
                            prop:checked=move || check_in.get() on:change=move |ev| check_in.set(event_target_checked(&ev))/>
                        <span><T m=Msg::CheckInChoice/></span>
                    </label>
                    {move || geo_failure.get().map(|why| view! {
                        <p class="field-error" role="alert" data-testid="check-in-failed">
                            {move || i18n.t(match why { GeoFailure::Denied => Msg::CheckInDenied, GeoFailure::Unavailable => Msg::CheckInUnavailable })}
                        </p>
                    })}
                </Show>
                <TextField label=Msg::FieldSummary name="summary" value=summary errors=errors_signal required=true multiline=true/>
                <div class="row">
                    <TextField label=Msg::FieldNextStep name="next_step" value=next_step errors=errors_signal/>
                    <TextField label=Msg::FieldNextStepOn name="next_step_on" value=next_step_on errors=errors_signal input_type="date"/>
                </div>
                <button type="submit" class="button primary" disabled=move || submit.pending().get() || locating.get()>
                    {move || i18n.t(if locating.get() { Msg::CheckInLocating } else { Msg::AddFollowUp })}
                </button>
                <ErrorBanner error=failure/>
                <Show when=move || kept.get()>
                    <p class="banner warning" role="status" data-testid="follow-up-kept"><T m=Msg::OutboxKept/></p>
                </Show>
            </form>
            <Show when=move || entries.with(|e| e.is_empty()) && orders.with(|o| o.is_empty()) && tickets.with(|t| t.is_empty())>
                <p class="muted"><T m=Msg::NoTouchpoints/></p>
            </Show>
            <ol class="events">
                <For each=move || pending.get() key=|item| (item.key.clone(), item.state.clone()) let:item>
                    {
                        let refused = item.refused();
                        let reason = item.error.clone();
                        let t = item.follow_up.clone();
                        view! {
                            <li class="event event-pending" class:refused=refused data-testid="timeline-pending">
                                <div class="event-head">
                                    <span class="event-kind">{move || i18n.t(touch_label(t.input.kind))}</span>
                                    <time datetime=t.written_at.to_rfc3339()>{datetime(t.written_at, offset)}</time>
                                    <a class="pending-mark" href="/outbox">
                                        {move || i18n.t(if refused { Msg::OutboxRefused } else { Msg::OutboxWaiting })}
                                    </a>
                                </div>
                                <p class="event-summary">{t.input.summary.clone()}</p>
                                {reason.map(|e| view! { <p class="field-error">{move || refusal_text(&e, i18n.lang())}</p> })}
                            </li>
                        }
                    }
                </For>
                <For each=move || merged(entries.get(), orders.get(), tickets.get()) key=|item| item.key() let:item>
                    {match item {
                        Item::Touch(t) => view! {
                            <li class=format!("event event-{}", t.kind.as_str())>
                                <div class="event-head">
                                    <span class="event-kind">{move || i18n.t(touch_label(t.kind))}</span>
                                    <time datetime=t.at.to_rfc3339()>{datetime(t.at, offset)}</time>
                                    <span class="muted">{t.author.clone()}</span>
                                </div>
                                <p class="event-summary">{t.summary.clone()}</p>
                                {t.position.map(|p| view! { <p class="event-check-in"><CheckInLink point=p testid="checked-in"/></p> })}
                                {(!t.next_step.is_empty() || t.next_step_on.is_some()).then(|| view! {
                                    <p class="event-next">
                                        <span class="muted"><T m=Msg::FieldNextStep/>": "</span>
                                        {t.next_step.clone()}
                                        {t.next_step_on.map(|d| format!(" ({})", day(d)))}
                                    </p>
                                })}
                            </li>
                        }.into_any(),
                        Item::Order(o) => view! {
                            <li class="event event-order" data-testid="timeline-order">
                                <div class="event-head">
                                    <span class="event-kind"><T m=Msg::OrderEvent/></span>
                                    <time datetime=o.on.to_string()>{day(o.on)}</time>
                                    <span class="muted">{o.order_no.clone()}</span>
                                </div>
                                <p class="event-summary">
                                    {o.lines.iter().map(|l| format!("{} × {}", l.product_name, l.quantity)).collect::<Vec<_>>().join("，")}
                                    " · "{money_text(o.total_cents, "CNY")}
                                </p>
                            </li>
                        }.into_any(),
                        Item::TicketOpened(t) => {
                            let (kind, status) = (t.kind, t.status);
                            view! {
                                <li class="event event-ticket" data-testid="timeline-ticket">
                                    <div class="event-head">
                                        <span class="event-kind"><T m=Msg::NavTickets/></span>
                                        <time datetime=t.created_at.to_rfc3339()>{datetime(t.created_at, offset)}</time>
                                        <span class="muted">{t.assignee_name.clone()}</span>
                                    </div>
                                    <p class="event-summary">
                                        <a href="#tickets">{t.title.clone()}</a>
                                        " · "{move || i18n.t(crate::aftersales::tickets_view::kind_msg(kind))}
                                        " · "{move || i18n.t(crate::aftersales::tickets_view::status_msg(status))}
                                    </p>
                                </li>
                            }.into_any()
                        }
                        Item::TicketSolved(t, at) => view! {
                            <li class="event event-ticket-solved" data-testid="timeline-ticket-solved">
                                <div class="event-head">
                                    <span class="event-kind"><T m=Msg::TkStatusSolved/></span>
                                    <time datetime=at.to_rfc3339()>{datetime(at, offset)}</time>
                                </div>
                                <p class="event-summary">{t.title.clone()}{(!t.resolution.is_empty()).then(|| format!("：{}", t.resolution))}</p>
                            </li>
                        }.into_any(),
                    }}
                </For>
            </ol>
        </section>
       }
    .into_any()
}
