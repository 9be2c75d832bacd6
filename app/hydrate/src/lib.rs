#![recursion_limit = "512"]
//! The browser entry point: takes over the page the server rendered.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    // Asynchronous: the opened page's piece of wasm (routes.rs) is fetched before its part of
    // the page is taken over.
    wasm_bindgen_futures::spawn_local(async move {
        leptos::mount::hydrate_from_async(body, kehu_ui::App).await.forget();
        // Says "the page is live" to anything waiting for it: browser tests, and CSS that
        // hides controls which do nothing before hydration.
        if let Some(root) = document.document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
