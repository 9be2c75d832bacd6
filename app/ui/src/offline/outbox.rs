//! The page's side of the phone's outbox (`public/outbox.js`, which keeps follow-ups written
//! offline in IndexedDB and sends them when the connection returns). The page gives each
//! follow-up its key, hands over the ones the server could not be reached for, lists what
//! still waits and says whose session this is. On the server these calls do nothing (the
//! pages render without an outbox; it is filled in once the page is live).

use kehu_domain::customers::follow_up::KeyedFollowUp;
use kehu_domain::customers::types::Touchpoint;
use kehu_domain::error::AppError;
use serde::Deserialize;

/// A follow-up kept in the outbox.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct OutboxItem {
    pub key: String,
    pub follow_up: KeyedFollowUp,
    /// "waiting" (sent when it can be) or "refused" (the server said why: `error`).
    pub state: String,
    #[serde(default)]
    pub error: Option<AppError>,
}

impl OutboxItem {
    pub fn refused(&self) -> bool {
        self.state == "refused"
    }
}

/// What changed in the outbox (the "kehu-outbox" event): when a follow-up was sent, the
/// follow-up as the server logged it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct OutboxNews {
    #[serde(default)]
    pub sent: Option<Touchpoint>,
}

#[cfg(feature = "hydrate")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = kehuOutbox, js_name = newKey)]
        pub fn new_key() -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox, js_name = "use")]
        pub fn use_user(user: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn add(json: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn list(user: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn discard(key: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn retry(key: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn forget(user: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch, js_namespace = kehuOutbox)]
        pub fn send() -> Result<js_sys::Promise, JsValue>;
    }

    pub async fn wait(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
        wasm_bindgen_futures::JsFuture::from(promise?).await
    }
}

/// A fresh key for a follow-up about to be sent.
pub fn new_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        // Without the outbox script (it failed to load) a key from Math.random still keeps
        // a retry from doubling the follow-up.
        js::new_key().unwrap_or_else(|_| (0..4).map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_295.0) as u32)).collect())
    }
    #[cfg(not(feature = "hydrate"))]
    String::new()
}

/// Whether the browser believes it has a network (false means surely offline).
pub fn online() -> bool {
    #[cfg(feature = "hydrate")]
    return web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
    #[cfg(not(feature = "hydrate"))]
    true
}

/// Keeps a follow-up to send when the connection returns; false if the browser cannot keep it.
pub async fn keep(follow_up: &KeyedFollowUp) -> bool {
    #[cfg(feature = "hydrate")]
    {
        let Ok(json) = serde_json::to_string(follow_up) else { return false };
        js::wait(js::add(&json)).await.is_ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = follow_up;
        false
    }
}

/// The user's follow-ups still in the outbox, oldest first.
pub async fn items(user: &str) -> Vec<OutboxItem> {
    #[cfg(feature = "hydrate")]
    {
        let Ok(json) = js::wait(js::list(user)).await else { return Vec::new() };
        json.as_string().and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = user;
        Vec::new()
    }
}

/// Says whose session this is, so the outbox sends that user's follow-ups (and only theirs).
pub fn signed_in_as(user: &str) {
    #[cfg(feature = "hydrate")]
    let _ = js::use_user(user);
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
}

pub async fn discard(key: &str) {
    #[cfg(feature = "hydrate")]
    let _ = js::wait(js::discard(key)).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

pub async fn retry(key: &str) {
    #[cfg(feature = "hydrate")]
    let _ = js::wait(js::retry(key)).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

/// Forgets the user's follow-ups (at sign-out).
pub async fn forget(user: &str) {
    #[cfg(feature = "hydrate")]
    let _ = js::wait(js::forget(user)).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
}

pub async fn send_now() {
    #[cfg(feature = "hydrate")]
    let _ = js::wait(js::send()).await;
}

/// Calls `then` whenever the outbox changes, while the calling component lives.
pub fn on_change(then: impl Fn(OutboxNews) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(window) = web_sys::window() else { return };
        let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
            let news = event.detail().as_string().and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_default();
            then(news);
        });
        if window.add_event_listener_with_callback("kehu-outbox", listener.as_ref().unchecked_ref()).is_err() {
            return;
        }
        let held = send_wrapper::SendWrapper::new((window, listener));
        on_cleanup(move || {
            let (window, listener) = held.take();
            let _ = window.remove_event_listener_with_callback("kehu-outbox", listener.as_ref().unchecked_ref());
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = then;
}
