//! The header's reminder bell: the count of due reminders, rendered on the server (so the
//! first paint is right) and then kept live by a server-sent-event stream. The browser's
//! EventSource reconnects by itself when the server restarts; each (re)connection starts with
//! the current count.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Where the count streams from (see the server's `http::live`).
pub const STREAM_PATH: &str = "/api/live/reminders";

/// The live due count as the stream last said it, for pages that follow it too (the
/// reminder center reloads its list when it changes). Provided by the app.
#[derive(Clone, Copy)]
pub struct LiveDueCount(pub RwSignal<u32>);

#[component]
pub fn ReminderBadge(initial: u32) -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(initial);
    #[cfg(feature = "hydrate")]
    listen(count);
    if let Some(LiveDueCount(shared)) = use_context::<LiveDueCount>() {
        Effect::new(move |_| shared.set(count.get()));
    }
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

/// Opens the stream once the page is live and while the tab is visible; closes it when the
/// tab is hidden or the badge goes (sign-out). Why close hidden tabs: browsers allow six
/// HTTP/1.1 connections per server, and a stream holds one for as long as it is open, so a
/// person with many Kehu tabs would otherwise starve their own requests. A tab coming back
/// reconnects and gets the current count at once.
#[cfg(feature = "hydrate")]
fn listen(count: RwSignal<u32>) {
    use std::cell::RefCell;
    use std::rc::Rc;

    use send_wrapper::SendWrapper;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    type Stream = (web_sys::EventSource, Closure<dyn FnMut(web_sys::MessageEvent)>);

    fn connect(open: &RefCell<Option<Stream>>, count: RwSignal<u32>) {
        if open.borrow().is_some() {
            return;
        }
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
        *open.borrow_mut() = Some((source, on_count));
    }

    fn disconnect(open: &RefCell<Option<Stream>>) {
        if let Some((source, _listener)) = open.borrow_mut().take() {
            source.close();
        }
    }

    Effect::new(move |_| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let open: Rc<RefCell<Option<Stream>>> = Rc::new(RefCell::new(None));
        if !document.hidden() {
            connect(&open, count);
        }
        let on_visibility = {
            let (open, document) = (open.clone(), document.clone());
            Closure::<dyn FnMut()>::new(move || {
                if document.hidden() {
                    disconnect(&open);
                } else {
                    connect(&open, count);
                }
            })
        };
        let _ = document.add_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
        let held = SendWrapper::new((document, open, on_visibility));
        on_cleanup(move || {
            let (document, open, on_visibility) = held.take();
            let _ = document.remove_event_listener_with_callback("visibilitychange", on_visibility.as_ref().unchecked_ref());
            disconnect(&open);
        });
    });
}
