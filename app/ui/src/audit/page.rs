//! The audit log for admins and managers, and a customer's field history on the profile.

use leptos::prelude::*;

use super::api::{audit_log, customer_history};
use kehu_domain::audit::types::AuditEntry;
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Msg};

#[component]
fn Entries(entries: Vec<AuditEntry>, #[prop(optional)] link_customers: bool) -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    if entries.is_empty() {
        return view! { <p class="muted"><T m=Msg::NoHistory/></p> }.into_any();
    }
    let rows = entries
        .into_iter()
        .map(|e| {
            let kind = e.kind;
            let subject = if link_customers && !e.customer.is_empty() {
                view! { <a href=format!("/customers/{}", e.customer)>{e.subject.clone()}</a> }.into_any()
            } else {
                e.subject.clone().into_any()
            };
            let changes = e
                .changes
                .iter()
                .map(|c| view! { <li><span class="muted">{c.field.clone()}": "</span><del>{c.before.clone()}</del>" → "<ins>{c.after.clone()}</ins></li> })
                .collect_view();
            view! {
                <tr>
                    <td class="nowrap">{datetime(e.at, offset)}</td>
                    <td>{e.actor_name.clone()}{e.via_api.then(|| view! { " " <span class="badge" data-testid="via-api" title="REST API">"API"</span> })}</td>
                    <td>{move || kind.label(i18n.lang())}</td>
                    <td>{subject}<ul class="changes">{changes}</ul></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="customers audit">
                <thead><tr><th><T m=Msg::When/></th><th><T m=Msg::Who/></th><th><T m=Msg::Action/></th><th><T m=Msg::What/></th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let log = Resource::new(|| (), |_| audit_log());
    view! {
        <section class="page">
            <h1><T m=Msg::NavAudit/></h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match log.await {
                        Ok(entries) => view! { <Entries entries link_customers=true/> }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A customer's change history, for the profile of an admin or manager.
#[component]
pub fn CustomerHistory(customer_id: String) -> impl IntoView {
    let history = load_in_browser(move || customer_history(customer_id.clone()));
    view! {
        <section class="card history" data-testid="history">
            <h2><T m=Msg::History/></h2>
            {move || match history.get() {
                None => ().into_any(),
                Some(Ok(entries)) => view! { <Entries entries/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
            }}
        </section>
    }
}
