//! The header's reminder bell: the count of due reminders, rendered on the server (so the
//! first paint is right) and then kept live by a server-sent-event stream. The browser's
//! EventSource reconnects by itself when the server restarts; each (re)connection starts with
//! the current count.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Where the count streams from (see `backend::live`).
pub const STREAM_PATH: &str = "/api/live/reminders";

#[component]
pub fn ReminderBadge(initial: u32) -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    listen(count);
    view! {
        <a class="bell" href="/reminders" data-testid="reminders-bell"
            aria-label=move || format!("{} {}", i18n.t(Msg::RemindersDue), count.get())>
            <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path fill="currentColor" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16Zm.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7Z"/>
            </svg>
            <Show when=move || { count.get() > 0 }>
                <span class="badge" data-testid="reminders-count">{move || count.get()}</span>
            </Show>
        </a>
    }
}

/// Opens the stream once the page is live and closes it when the badge goes (sign-out).
#[cfg(feature = "hydrate")]
fn listen(count: RwSignal<u32>) {
    use send_wrapper::SendWrapper;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    Effect::new(move |_| {
        let Ok(source) = web_sys::EventSource::new(STREAM_PATH) else { return };
        let on_count = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if let Some(n) = event.data().as_string().and_then(|d| d.trim().parse::<u32>().ok()) {
                count.set(n);
            }
        });
        if source.add_event_listener_with_callback("reminders", on_count.as_ref().unchecked_ref()).is_err() {
            source.close();
            return;
        }
        let held = SendWrapper::new((source, on_count));
        on_cleanup(move || {
            let (source, _listener) = held.take();
            source.close();
        });
    });
}
