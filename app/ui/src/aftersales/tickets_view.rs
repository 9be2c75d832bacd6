//! Service tickets on the customer profile (售后工单): the customer's tickets with their SLA
//! time left in working hours, a form that hands a problem to service in one step, and each
//! ticket worked in place — status, reassignment, notes internal or told to the customer.

use leptos::prelude::*;

use super::api::{act_on_ticket, customer_tickets, open_ticket, ticket_form_choices};
use crate::components::fields::{save_if_valid, FieldMessages, TextField};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Lang, Msg};
use kehu_domain::error::{AppError, FieldError};
use kehu_domain::service::sla::{ClockState, SlaClock};
use kehu_domain::service::tickets::{Priority, TicketKind, TicketStatus};
use kehu_domain::service::types::{validate_ticket, Ticket, TicketAction, TicketFormOptions, TicketInput};

pub(crate) fn kind_msg(kind: TicketKind) -> Msg {
    match kind {
        TicketKind::Question => Msg::TkKindQuestion,
        TicketKind::Incident => Msg::TkKindIncident,
        TicketKind::Complaint => Msg::TkKindComplaint,
        TicketKind::Installation => Msg::TkKindInstallation,
        TicketKind::Return => Msg::TkKindReturn,
    }
}

pub(crate) fn priority_msg(priority: Priority) -> Msg {
    match priority {
        Priority::Low => Msg::TkPriorityLow,
        Priority::Normal => Msg::TkPriorityNormal,
        Priority::High => Msg::TkPriorityHigh,
        Priority::Urgent => Msg::TkPriorityUrgent,
    }
}

pub(crate) fn status_msg(status: TicketStatus) -> Msg {
    match status {
        TicketStatus::New => Msg::TkStatusNew,
        TicketStatus::InProgress => Msg::TkStatusInProgress,
        TicketStatus::WaitingCustomer => Msg::TkStatusWaiting,
        TicketStatus::Solved => Msg::TkStatusSolved,
        TicketStatus::Closed => Msg::TkStatusClosed,
    }
}

/// Working time as people say it: "3 小时 20 分" / "3 h 20 min".
fn working_time(minutes: i64, lang: Lang) -> String {
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    match (lang, h) {
        (Lang::Zh, 0) => format!("{m} 分钟"),
        (Lang::Zh, _) => format!("{h} 小时 {m} 分"),
        (Lang::En, 0) => format!("{m} min"),
        (Lang::En, _) => format!("{h} h {m} min"),
    }
}

/// A clock in a few words: time left (working time), paused, met, or over by how much.
pub(crate) fn clock_text(clock: &SlaClock, lang: Lang) -> String {
    let left = working_time(clock.left_minutes(), lang);
    match (clock.state, lang) {
        (ClockState::Running | ClockState::Warning, Lang::Zh) => format!("剩余 {left}（工作时间）"),
        (ClockState::Running | ClockState::Warning, Lang::En) => format!("{left} left (working time)"),
        (ClockState::Paused, _) => Msg::TkSlaPaused.text(lang).to_string(),
        (ClockState::Met, _) => Msg::TkSlaMet.text(lang).to_string(),
        (ClockState::Breached, Lang::Zh) => format!("已超时 {left}"),
        (ClockState::Breached, Lang::En) => format!("Breached by {left}"),
    }
}

pub(crate) fn clock_class(clock: &SlaClock) -> &'static str {
    match clock.state {
        ClockState::Breached => "sla sla-breached",
        ClockState::Warning => "sla sla-warning",
        ClockState::Met => "sla sla-met",
        _ => "sla",
    }
}

/// The moves offered from a status, with the label of each button.
fn moves(status: TicketStatus) -> Vec<(TicketStatus, Msg)> {
    TicketStatus::ALL
        .into_iter()
        .filter(|to| status.can_move_to(*to))
        .map(|to| (to, if status.is_reopening(to) { Msg::TkReopen } else { status_msg(to) }))
        .collect()
}

#[component]
pub fn CustomerTickets(
    customer_id: String,
    changed: RwSignal<usize>,
    /// The list as it is here, for the timeline beside it.
    shared: RwSignal<Vec<Ticket>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(customer_id);
    let loaded = load_in_browser(move || customer_tickets(id.get_value()));
    let options_loaded = load_in_browser(ticket_form_choices);
    let tickets = RwSignal::new(None::<Vec<Ticket>>);
    let options = RwSignal::new(TicketFormOptions::default());
    let failure = RwSignal::new(None::<AppError>);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(list)) => tickets.set(Some(list)),
        Some(Err(e)) => failure.set(Some(e)),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(Ok(o)) = options_loaded.get() {
            options.set(o);
        }
    });
    // A ticket the server answered with replaces its old version (or is added, newest first).
    let put = move |ticket: Ticket| {
        changed.update(|n| *n += 1);
        tickets.update(|list| {
            let list = list.get_or_insert_with(Vec::new);
            match list.iter_mut().find(|t| t.id == ticket.id) {
                Some(old) => *old = ticket,
                None => list.insert(0, ticket),
            }
        })
    };
    Effect::new(move |_| shared.set(tickets.get().unwrap_or_default()));
    // A merge changes two tickets: the list is read again.
    let refetch = Action::new(move |_: &()| async move {
        match customer_tickets(id.get_value()).await {
            Ok(list) => {
                changed.update(|n| *n += 1);
                tickets.set(Some(list));
            }
            Err(e) => failure.set(Some(e)),
        }
    });
    // The open tickets another may be merged into: id, title.
    let open_ones = Memo::new(move |_| {
        tickets.with(|list| {
            list.iter().flatten().filter(|t| t.status.is_open() && t.merged_into.is_empty()).map(|t| (t.id.clone(), t.title.clone())).collect::<Vec<_>>()
        })
    });
    let title_of = move |id: &str| tickets.with(|list| list.iter().flatten().find(|t| t.id == id).map(|t| t.title.clone())).unwrap_or_default();
    // Loading, none, or some: the list below is drawn once and then kept, item by item.
    let shape = Memo::new(move |_| tickets.with(|t| t.as_ref().map(Vec::is_empty)));
    view! {
        <section class="card tickets" id="tickets" data-testid="tickets">
            <h2><T m=Msg::TkTitle/></h2>
            <ErrorBanner error=failure/>
            {move || match shape.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Some(true) => view! { <p class="muted" data-testid="tickets-none"><T m=Msg::TkNone/></p> }.into_any(),
                Some(false) => view! {
                    <ul class="plain ticket-list">
                        <For each=move || tickets.get().unwrap_or_default() key=|t| t.id.clone() let:t>
                            {
                                let id = t.id.clone();
                                let current = Signal::derive(move || {
                                    tickets.with(|list| list.as_ref().and_then(|l| l.iter().find(|x| x.id == id).cloned())).unwrap_or_else(|| t.clone())
                                });
                                let merged_title = Signal::derive(move || current.with(|t| (!t.merged_into.is_empty()).then(|| title_of(&t.merged_into))));
                                view! {
                                    <TicketItem ticket=current options=options on_change=Callback::new(put)
                                        open_ones=open_ones.into() merged_title=merged_title on_merge=Callback::new(move |_| { refetch.dispatch(()); })/>
                                }
                            }
                        </For>
                    </ul>
                }.into_any(),
            }}
            <OpenTicketForm customer_id=id.get_value() options=options on_open=Callback::new(put)/>
        </section>
    }
}

/// One ticket, kept on the page while it changes: what the server answers flows in through
/// `ticket`, and what is being typed into its forms (and whether it is unfolded) stays.
#[component]
fn TicketItem(
    ticket: Signal<Ticket>,
    options: RwSignal<TicketFormOptions>,
    on_change: Callback<Ticket>,
    /// The customer's open tickets (id, title), this one among them if open.
    open_ones: Signal<Vec<(String, String)>>,
    /// The title of the ticket this one was merged into, once it was.
    merged_title: Signal<Option<String>>,
    on_merge: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let failure = RwSignal::new(None::<AppError>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let note = RwSignal::new(String::new());
    let to_customer = RwSignal::new(false);
    let resolution = RwSignal::new(String::new());
    let tid = StoredValue::new(ticket.with_untracked(|t| t.id.clone()));
    let act = Action::new(move |action: &TicketAction| {
        let action = action.clone();
        async move {
            match act_on_ticket(tid.get_value(), action).await {
                Ok(t) => {
                    note.set(String::new());
                    resolution.set(String::new());
                    errors.set(Vec::new());
                    failure.set(None);
                    if t.id == tid.get_value() {
                        on_change.run(t);
                    } else {
                        // A merge answers with the ticket merged into.
                        on_merge.run(());
                    }
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let e: Signal<Vec<FieldError>> = errors.into();
    let on_note = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        act.dispatch(TicketAction::Note { body: note.get_untracked(), to_customer: to_customer.get_untracked() });
    };
    let summary = move || {
        let t = ticket.get();
        let (status, kind, priority) = (t.status, t.kind, t.priority);
        let clocks = [(Msg::TkFirstResponse, t.first_response), (Msg::TkResolution, t.resolution_clock)];
        view! {
            <span class=format!("ticket-status status-{}", status.key()) data-testid="ticket-status">{move || i18n.t(status_msg(status))}</span>
            " "<strong>{t.title.clone()}</strong>
            " "<span class="muted small">{move || i18n.t(kind_msg(kind))}" · "{move || i18n.t(priority_msg(priority))}
            " · "{if t.assignee_name.is_empty() { i18n.t(Msg::TkUnassigned).to_string() } else { t.assignee_name.clone() }}</span>
            {clocks.into_iter().filter_map(|(label, c)| c.map(|c| (label, c))).map(|(label, c)| {
                view! { <span class=clock_class(&c) data-testid="sla">{move || format!("{}：{}", i18n.t(label), clock_text(&c, i18n.lang()))}</span> }
            }).collect_view()}
        }
    };
    let merge_into = RwSignal::new(String::new());
    let body = move || {
        let t = ticket.get();
        let status = t.status;
        let assignee = t.assignee.clone();
        let merged = merged_title.get();
        view! {
            <p class="muted small">{datetime(t.created_at, offset)}{(!t.category.is_empty()).then(|| format!(" · {}", t.category))}{(!t.sla_name.is_empty()).then(|| format!(" · SLA {}", t.sla_name))}</p>
            {(!t.order_label.is_empty()).then(|| view! { <p class="small" data-testid="ticket-order"><span class="muted"><T m=Msg::TkOrder/>"："</span>{t.order_label.clone()}</p> })}
            {(!t.description.is_empty()).then(|| view! { <p class="notes">{t.description.clone()}</p> })}
            {(!t.resolution.is_empty()).then(|| view! { <p class="notes"><strong><T m=Msg::TkResolutionText/>"："</strong>{t.resolution.clone()}</p> })}
            <ul class="plain ticket-notes">
                {t.notes.iter().map(|n| {
                    let label = if n.to_customer { Msg::TkTold } else { Msg::TkInternal };
                    view! {
                        <li class:told=n.to_customer data-testid="ticket-note">
                            <span class="muted small">{datetime(n.at, offset)}" · "{n.author_name.clone()}" · "{move || i18n.t(label)}</span>
                            <p>{n.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {merged.clone().map(|title| view! { <p class="banner info" data-testid="ticket-merged"><T m=Msg::TkMerged/>"「"{title}"」"</p> })}
            <div class="row ticket-moves" class:hidden=merged.is_some()>
                {moves(status).into_iter().map(|(to, label)| view! {
                    <button type="button" class="button small" data-testid=format!("move-{}", to.key())
                        disabled=move || act.pending().get()
                        on:click=move |_| { act.dispatch(TicketAction::Move { status: to, resolution: resolution.get_untracked() }); }>
                        {move || i18n.t(label)}
                    </button>
                }).collect_view()}
                <label class="field">
                    <span class="field-label"><T m=Msg::TkAssign/></span>
                    <select name="assignee" on:change=move |ev| { act.dispatch(TicketAction::Assign { assignee: event_target_value(&ev) }); }>
                        <option value="" selected=assignee.is_empty()>{move || i18n.t(Msg::TkUnassigned)}</option>
                        {move || options.get().assignees.into_iter().map(|(username, name)| {
                            let selected = username == assignee;
                            view! { <option value=username selected=selected>{name}</option> }
                        }).collect_view()}
                        {move || options.get().teams.into_iter().map(|(team, name)| {
                            view! { <option value=team>{format!("{name} {}", i18n.t(Msg::TkTeamLeastBusy))}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {move || {
                    let others: Vec<(String, String)> = open_ones.get().into_iter().filter(|(id, _)| *id != tid.get_value()).collect();
                    (!others.is_empty() && status != TicketStatus::Closed).then(|| view! {
                        <label class="field">
                            <span class="field-label"><T m=Msg::TkMergeInto/></span>
                            <select name="merge_into" on:change=move |ev| merge_into.set(event_target_value(&ev))>
                                <option value="">"—"</option>
                                {others.into_iter().map(|(id, title)| view! { <option value=id>{title}</option> }).collect_view()}
                            </select>
                        </label>
                        <button type="button" class="button small quiet" data-testid="merge" disabled=move || act.pending().get() || merge_into.get().is_empty()
                            on:click=move |_| { act.dispatch(TicketAction::Merge { into: merge_into.get_untracked() }); }>
                            <T m=Msg::TkMerge/>
                        </button>
                    })
                }}
            </div>
            {status.can_move_to(TicketStatus::Solved).then(|| view! {
                <TextField label=Msg::TkResolutionText name="resolution" value=resolution errors=e multiline=true/>
            })}
        }
    };
    view! {
        <li class="ticket" data-testid="ticket">
            <details>
                <summary>{summary}</summary>
                <div class="ticket-body">
                    {body}
                    <form class="ticket-note-form" class:hidden=move || merged_title.get().is_some() novalidate on:submit=on_note data-testid="ticket-note-form">
                        <TextField label=Msg::TkNote name="body" value=note errors=e multiline=true/>
                        <label class="check">
                            <input type="checkbox" name="to_customer" prop:checked=move || to_customer.get() on:change=move |ev| to_customer.set(event_target_checked(&ev))/>
                            " "<T m=Msg::TkToCustomer/>
                        </label>
                        <button type="submit" class="button small" disabled=move || act.pending().get()><T m=Msg::TkAddNote/></button>
                        <FieldMessages errors=e name="status"/>
                        <FieldMessages errors=e name="into"/>
                        <FieldMessages errors=e name="ticket"/>
                    </form>
                    <ErrorBanner error=failure/>
                </div>
            </details>
        </li>
    }
}

#[component]
fn OpenTicketForm(customer_id: String, options: RwSignal<TicketFormOptions>, on_open: Callback<Ticket>) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(customer_id);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let priority = RwSignal::new(Priority::Normal.key().to_string());
    let category = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let order = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    // The customer's orders, to name the one a problem is about.
    let customer_orders = load_in_browser(move || crate::insight::api::customer_orders(id.get_value()));
    // The form folds away once its ticket is open, showing the ticket in the list above.
    let unfolded = RwSignal::new(false);
    let save = Action::new(move |input: &TicketInput| {
        let input = input.clone();
        async move {
            match open_ticket(id.get_value(), input).await {
                Ok(t) => {
                    for field in [title, description, kind, category, assignee, order] {
                        field.set(String::new());
                    }
                    errors.set(Vec::new());
                    failure.set(None);
                    unfolded.set(false);
                    on_open.run(t);
                }
                Err(AppError::Invalid(list)) => errors.set(list),
                Err(e) => failure.set(Some(e)),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = TicketInput {
            title: title.get_untracked(),
            description: description.get_untracked(),
            kind: kind.get_untracked(),
            priority: priority.get_untracked(),
            category: category.get_untracked(),
            assignee: assignee.get_untracked(),
            order_id: order.get_untracked(),
        };
        save_if_valid(validate_ticket(&input, &options.get_untracked().categories), input, errors, save);
    };
    let e: Signal<Vec<FieldError>> = errors.into();
    let select = move |label: Msg, name: &'static str, value: RwSignal<String>, choices: Signal<Vec<(String, String)>>| {
        view! {
            <label class="field" class:invalid=move || e.get().iter().any(|x| x.field == name)>
                <span class="field-label">{move || i18n.t(label)}</span>
                <select name=name prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
                    {move || choices.get().into_iter().map(|(key, text)| {
                        let selected = key == value.get_untracked();
                        view! { <option value=key selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
                <FieldMessages errors=e name=name/>
            </label>
        }
    };
    let kinds = Signal::derive(move || {
        let mut list = vec![(String::new(), i18n.t(Msg::TkChooseKind).to_string())];
        list.extend(TicketKind::ALL.into_iter().map(|k| (k.key().to_string(), i18n.t(kind_msg(k)).to_string())));
        list
    });
    let priorities = Signal::derive(move || Priority::ALL.into_iter().map(|p| (p.key().to_string(), i18n.t(priority_msg(p)).to_string())).collect());
    let categories = Signal::derive(move || {
        let mut list = vec![(String::new(), i18n.t(Msg::TkNoCategory).to_string())];
        list.extend(options.get().categories.into_iter().map(|c| (c.clone(), c)));
        list
    });
    let assignees = Signal::derive(move || {
        let mut list = vec![(String::new(), i18n.t(Msg::TkUnassigned).to_string())];
        let o = options.get();
        list.extend(o.assignees);
        list.extend(o.teams.into_iter().map(|(team, name)| (team, format!("{name} {}", i18n.t(Msg::TkTeamLeastBusy)))));
        list
    });
    let orders = Signal::derive(move || {
        let mut list = vec![(String::new(), i18n.t(Msg::TkNoOrder).to_string())];
        if let Some(Ok(found)) = customer_orders.get() {
            list.extend(found.into_iter().map(|o| {
                let products: Vec<String> = o.lines.iter().map(|l| l.product_name.clone()).collect();
                let number = if o.order_no.is_empty() { String::new() } else { format!(" {}", o.order_no) };
                (o.id, format!("{}{number} · {}", o.on, products.join("、")))
            }));
        }
        list
    });
    view! {
        <details class="open-ticket" prop:open=move || unfolded.get()>
            <summary class="button small" data-testid="open-ticket" on:click=move |ev| {
                ev.prevent_default();
                unfolded.update(|open| *open = !*open);
            }><T m=Msg::TkOpen/></summary>
            <form novalidate on:submit=on_submit data-testid="ticket-form">
                <TextField label=Msg::TkFieldTitle name="title" value=title errors=e required=true/>
                <TextField label=Msg::TkFieldDescription name="description" value=description errors=e multiline=true/>
                <div class="row">
                    {select(Msg::TkFieldKind, "kind", kind, kinds)}
                    {select(Msg::TkFieldPriority, "priority", priority, priorities)}
                </div>
                <div class="row">
                    {select(Msg::TkFieldCategory, "category", category, categories)}
                    {select(Msg::TkFieldAssignee, "assignee", assignee, assignees)}
                </div>
                {move || (orders.with(Vec::len) > 1).then(|| select(Msg::TkOrder, "order_id", order, orders))}
                <button type="submit" class="button" disabled=move || save.pending().get()><T m=Msg::TkOpenSubmit/></button>
                <ErrorBanner error=failure/>
            </form>
        </details>
    }
}
