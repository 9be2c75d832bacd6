//! The bar at the top of every page: brand, navigation for the signed-in user's role,
//! notifications, language, and signing out. On a phone the navigation, the name, sign-out
//! and the language move to the bottom bar and the 我的 page (style/main.css hides them), so
//! the bar keeps to one line: brand, new customer, unsent count, reminders, notifications.

use leptos::prelude::*;

use super::lang_switch::LangSwitch;
use super::places::places;
use super::reminder_badge::ReminderBadge;
use super::sign_out::use_sign_out;
use super::T;
use crate::i18n::{use_i18n, Msg};
use crate::offline::outbox_badge::OutboxBadge;
use crate::session::use_session;
use kehu_domain::accounts::types::Me;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let sign_out = use_sign_out();
    let user_nav = move |me: Option<Me>| {
        me.map(|me| {
            let unread = me.unread_notifications;
            let username = me.user.username.clone();
            view! {
                <nav class="nav">
                    {places(&me)
                        .into_iter()
                        .map(|p| view! { <a href=p.href data-testid=p.testid><T m=p.label/></a> })
                        .collect_view()}
                </nav>
                <div class="topbar-actions">
                    <a class="button primary new-customer" href="/customers/new" data-testid="new-customer" aria-label=move || i18n.t(Msg::NewCustomer)>
                        <span class="plus" aria-hidden="true">"+"</span>
                        <span class="label"><T m=Msg::NewCustomer/></span>
                    </a>
                    <OutboxBadge user=username.clone()/>
                    <ReminderBadge initial=me.due_reminders/>
                    <a class="bell" href="/notifications" aria-label=move || i18n.t(Msg::Notifications) data-testid="notifications">
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                            <path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"/>
                        </svg>
                        {(unread > 0).then(|| view! { <span class="badge" data-testid="unread">{unread}</span> })}
                    </a>
                    <a class="who wide-only" href=crate::session::PASSWORD_PAGE data-testid="who" title=move || i18n.t(Msg::ChangePassword)>{me.user.display_name.clone()}</a>
                    <button type="button" class="button quiet wide-only" data-testid="sign-out" on:click=move |_| { sign_out.dispatch(username.clone()); }>
                        <T m=Msg::SignOut/>
                    </button>
                </div>
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="/today">
                <span class="brand-mark" aria-hidden="true">"客"</span>
                <span class="brand-name"><T m=Msg::AppName/></span>
            </a>
            // Awaited, not read with `.get()`, as Leptos advises for several boundaries sharing
            // one resource (leptos#4578). On the server the session is there before rendering.
            <Transition fallback=|| ()>{move || Suspend::new(async move { user_nav(session.signed_in().await) })}</Transition>
            <div class="wide-only"><LangSwitch/></div>
        </header>
    }
}
