//! The bar at the top of every page: brand, navigation for the signed-in user's role,
//! notifications, language, and signing out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::reminder_badge::ReminderBadge;
use super::T;
use crate::accounts::api::logout;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::offline::outbox;
use crate::offline::outbox_badge::OutboxBadge;
use crate::session::use_session;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    // Follow-ups still in this device's outbox are the user's own unsent work: signing out
    // deletes them (nothing of a user stays behind on a shared phone), after asking.
    let sign_out = Action::new_local(move |user: &String| {
        let user = user.clone();
        async move {
            let unsent = outbox::items(&user).await.len();
            if unsent > 0 && !web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::OutboxSignOutConfirm)).ok()).unwrap_or(false) {
                return Ok(false);
            }
            logout().await?;
            outbox::forget(&user).await;
            // The next user's daily lists are fetched for offline reading at once (public/pwa.js).
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = storage.remove_item("kehu-warmed");
            }
            Ok::<bool, kehu_domain::error::AppError>(true)
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(true)) = sign_out.value().get() {
            session.reload();
            navigate("/login", Default::default());
        }
    });
    let user_nav = move || {
        session.user().map(|me| {
            let unread = me.unread_notifications;
            let username = me.user.username.clone();
            view! {
                <nav class="nav">
                    <a href="/customers"><T m=Msg::NavCustomers/></a>
                    <a href="/customers?owner=~pool" data-testid="nav-pool"><T m=Msg::NavPool/></a>
                    {(me.user.role != kehu_domain::accounts::types::Role::Service).then(|| view! { <a href="/pipeline" data-testid="nav-pipeline"><T m=Msg::NavPipeline/></a> })}
                    <a href="/reminders" data-testid="nav-reminders"><T m=Msg::NavReminders/></a>
                    <a href="/tickets" data-testid="nav-tickets"><T m=Msg::NavTickets/></a>
                    {matches!(me.user.role, kehu_domain::accounts::types::Role::Admin | kehu_domain::accounts::types::Role::Manager)
                        .then(|| view! { <a href="/service/reports" data-testid="nav-service-report"><T m=Msg::NavServiceReport/></a> })}
                    {(me.user.role != kehu_domain::accounts::types::Role::Service).then(|| view! { <a href="/performance" data-testid="nav-performance"><T m=Msg::NavPerformance/></a> })}
                    <a href="/insight" data-testid="nav-insight"><T m=Msg::NavInsight/></a>
                    {me.can_audit.then(|| view! { <a href="/audit"><T m=Msg::NavAudit/></a> })}
                    {me.is_admin.then(|| view! { <a href="/admin/users" data-testid="nav-users"><T m=Msg::NavUsers/></a> })}
                    {me.is_admin.then(|| view! { <a href="/admin/reminders" data-testid="nav-reminder-rules"><T m=Msg::NavReminderRules/></a> })}
                    {me.is_admin.then(|| view! { <a href="/admin/service" data-testid="nav-service-settings"><T m=Msg::NavServiceSettings/></a> })}
                </nav>
                <div class="topbar-actions">
                    <a class="button primary" href="/customers/new" data-testid="new-customer"><T m=Msg::NewCustomer/></a>
                    <OutboxBadge user=username.clone()/>
                    <ReminderBadge initial=me.due_reminders/>
                    <a class="bell" href="/notifications" aria-label=move || i18n.t(Msg::Notifications) data-testid="notifications">
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                            <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/>
                        </svg>
                        {(unread > 0).then(|| view! { <span class="badge" data-testid="unread">{unread}</span> })}
                    </a>
                    <a class="who" href=crate::session::PASSWORD_PAGE data-testid="who" title=move || i18n.t(Msg::ChangePassword)>{me.user.display_name.clone()}</a>
                    <button type="button" class="button quiet" data-testid="sign-out" on:click=move |_| { sign_out.dispatch(username.clone()); }>
                        <T m=Msg::SignOut/>
                    </button>
                </div>
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/customers">
                <span class="brand-mark" aria-hidden="true">"客"</span>
                <span class="brand-name"><T m=Msg::AppName/></span>
            </a>
            <Transition fallback=|| ()>{user_nav}</Transition>
            <div class="lang-switch" role="group" aria-label=move || i18n.t(Msg::Language)>
                {Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        view! {
                            <button
                                type="button"
                                class:active=move || i18n.lang() == lang
                                aria-pressed=move || if i18n.lang() == lang { "true" } else { "false" }
                                data-lang=lang.code()
                                on:click=move |_| i18n.set(lang)
                            >
                                {lang.native_name()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </header>
    }
}
