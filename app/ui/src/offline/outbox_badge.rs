//! The header's count of follow-ups written on this device and not yet on the server; it
//! links to the outbox page and is not shown when nothing waits. Mounting it also tells the
//! outbox whose session this is, so the outbox starts sending that user's follow-ups as soon
//! as a page of theirs is open and the network is there.

use leptos::prelude::*;

use super::outbox;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn OutboxBadge(user: String) -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(0usize);
    let user = StoredValue::new(user);
    let load = move || leptos::task::spawn_local(async move { count.set(outbox::items(&user.get_value()).await.len()) });
    Effect::new(move |_| {
        outbox::signed_in_as(&user.get_value());
        load();
    });
    outbox::on_change(move |_| load());
    view! {
        <Show when=move || { count.get() > 0 }>
            <a class="outbox-badge" href="/outbox" data-testid="outbox-count">
                {move || format!("{} {}", count.get(), i18n.t(Msg::OutboxUnsent))}
            </a>
        </Show>
    }
}
