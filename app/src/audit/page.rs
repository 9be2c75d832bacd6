//! The audit log for admins and managers, and a customer's field history on the profile.

use leptos::prelude::*;

use super::api::{audit_log, customer_history};
use super::types::{AuditAction, AuditEntry};
use crate::components::{load_in_browser, ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Lang, Msg};

fn action_text(action: AuditAction, lang: Lang) -> &'static str {
    use AuditAction::*;
    match (action, lang) {
        (CustomerCreated, Lang::Zh) => "新建客户",
        (CustomerCreated, Lang::En) => "Customer created",
        (CustomerUpdated, Lang::Zh) => "修改客户",
        (CustomerUpdated, Lang::En) => "Customer edited",
        (TagAdded, Lang::Zh) => "添加标签",
        (TagAdded, Lang::En) => "Tag added",
        (TagRemoved, Lang::Zh) => "删除标签",
        (TagRemoved, Lang::En) => "Tag removed",
        (ContactAdded, Lang::Zh) => "添加联系人",
        (ContactAdded, Lang::En) => "Contact added",
        (ContactUpdated, Lang::Zh) => "修改联系人",
        (ContactUpdated, Lang::En) => "Contact edited",
        (ContactRemoved, Lang::Zh) => "删除联系人",
        (ContactRemoved, Lang::En) => "Contact removed",
        (Claimed, Lang::Zh) => "领取",
        (Claimed, Lang::En) => "Claimed",
        (Assigned, Lang::Zh) => "分配",
        (Assigned, Lang::En) => "Assigned",
        (ReturnedToPool, Lang::Zh) => "退回线索池",
        (ReturnedToPool, Lang::En) => "Returned to pool",
        (Recycled, Lang::Zh) => "超期自动回收",
        (Recycled, Lang::En) => "Recycled (no follow-up)",
        (Merged, Lang::Zh) => "合并",
        (Merged, Lang::En) => "Merged",
        (UserCreated, Lang::Zh) => "新建用户",
        (UserCreated, Lang::En) => "User created",
        (UserUpdated, Lang::Zh) => "修改用户",
        (UserUpdated, Lang::En) => "User edited",
        (UserDeactivated, Lang::Zh) => "停用用户",
        (UserDeactivated, Lang::En) => "User deactivated",
        (TeamCreated, Lang::Zh) => "新建团队",
        (TeamCreated, Lang::En) => "Team created",
    }
}

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
            let action = e.action;
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
                    <td>{e.actor_name.clone()}</td>
                    <td>{move || action_text(action, i18n.lang())}</td>
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
