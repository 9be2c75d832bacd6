//! The service queue (`/tickets`): open tickets given to me, given to nobody, or all I may
//! see — the breached first, then by the nearest deadline — each with its SLA time left and
//! a link to the customer's profile, where the ticket is worked.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::ticket_queue;
use super::tickets_view::{clock_class, clock_text, kind_msg, priority_msg, status_msg};
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Msg};
use kehu_domain::service::types::{QueueScope, Ticket};

fn scope_of(key: Option<String>) -> QueueScope {
    match key.as_deref() {
        Some("unassigned") => QueueScope::Unassigned,
        Some("all") => QueueScope::All,
        _ => QueueScope::Mine,
    }
}

#[component]
pub fn TicketQueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let scope = Memo::new(move |_| scope_of(query.with(|q| q.get("scope"))));
    let loaded = Resource::new(move || scope.get(), ticket_queue);
    let tab = move |key: &'static str, label: Msg, this: QueueScope| {
        view! {
            <a href=format!("/tickets?scope={key}") class="tab" class:active=move || scope.get() == this data-testid=format!("queue-{key}")>
                {move || i18n.t(label)}
            </a>
        }
    };
    view! {
        <section class="page">
            <h1><T m=Msg::TkQueueTitle/></h1>
            <nav class="tabs">
                {tab("mine", Msg::TkQueueMine, QueueScope::Mine)}
                {tab("unassigned", Msg::TkUnassigned, QueueScope::Unassigned)}
                {tab("all", Msg::TkQueueAll, QueueScope::All)}
            </nav>
            <Transition fallback=move || view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="queue-empty"><T m=Msg::TkNone/></p> }.into_any(),
                        Ok(list) => view! { <QueueTable tickets=list/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn QueueTable(tickets: Vec<Ticket>) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    view! {
        <div class="table-wrap">
            <table class="queue" data-testid="queue">
                <thead><tr>
                    <th><T m=Msg::TkFieldTitle/></th>
                    <th><T m=Msg::NavCustomers/></th>
                    <th><T m=Msg::TkFieldPriority/></th>
                    <th><T m=Msg::TkFieldAssignee/></th>
                    <th><T m=Msg::TkFirstResponse/></th>
                    <th><T m=Msg::TkResolution/></th>
                </tr></thead>
                <tbody>
                    {tickets.into_iter().map(|t| {
                        let clock = |c: Option<kehu_domain::service::sla::SlaClock>| c.map(|c| view! {
                            <span class=clock_class(&c)>{move || clock_text(&c, i18n.lang())}</span>
                        });
                        let (status, kind, priority) = (t.status, t.kind, t.priority);
                        view! {
                            <tr data-testid="queue-row">
                                <td>
                                    <span class=format!("ticket-status status-{}", status.key())>{move || i18n.t(status_msg(status))}</span>" "
                                    <a href=format!("/customers/{}#tickets", t.customer_id)>{t.title.clone()}</a>
                                    <div class="muted small">{move || i18n.t(kind_msg(kind))}" · "{datetime(t.created_at, offset)}</div>
                                </td>
                                <td>{t.customer_name.clone()}</td>
                                <td data-label=move || i18n.t(Msg::TkFieldPriority)>{move || i18n.t(priority_msg(priority))}</td>
                                <td data-label=move || i18n.t(Msg::TkFieldAssignee)>{if t.assignee_name.is_empty() { i18n.t(Msg::TkUnassigned).to_string() } else { t.assignee_name.clone() }}</td>
                                <td data-label=move || i18n.t(Msg::TkFirstResponse)>{clock(t.first_response)}</td>
                                <td data-label=move || i18n.t(Msg::TkResolution)>{clock(t.resolution_clock)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
