//! The list of things Kehu told the user.

use leptos::prelude::*;

use super::api::{mark_notifications_read, my_notifications};
use crate::components::{ErrorBanner, T};
use crate::format::{datetime, use_display_offset};
use crate::i18n::{use_i18n, Lang, Msg};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let offset = use_display_offset();
    let list = Resource::new(|| (), |_| my_notifications());
    let mark_read = Action::new(|_: &()| mark_notifications_read());
    let session = crate::session::use_session();
    Effect::new(move |_| {
        if let Some(Ok(())) = mark_read.value().get() {
            list.refetch();
            session.reload();
        }
    });
    view! {
        <section class="page">
            <h1><T m=Msg::Notifications/></h1>

            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(items) if items.is_empty() => view! { <p class="muted"><T m=Msg::NoNotifications/></p> }.into_any(),
                        Ok(items) => view! {
                            {items.iter().any(|n| !n.read).then(|| view! {
                                <button type="button" class="button quiet" data-testid="mark-read" on:click=move |_| { mark_read.dispatch(()); }>
                                    <T m=Msg::MarkAllRead/>
                                </button>
                            })}
                            <ul class="notifications" data-testid="notification-list">
                                {items.into_iter().map(|n| {
                                    let days = n.detail.clone();
                                    let name = n.customer_name.clone();
                                    view! {
                                        <li class:unread=!n.read>
                                            <time>{datetime(n.at, offset)}</time>" "
                                            <a href=format!("/customers/{}", n.customer)>{name}</a>" "
                                            {move || match i18n.lang() {
                                                Lang::Zh => format!("{days} 天未跟进，已自动退回线索池。"),
                                                Lang::En => format!("went back to the lead pool after {days} days without a follow-up."),
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorBanner error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
