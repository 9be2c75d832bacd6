#![recursion_limit = "512"]
//! The browser entry point: takes over the page the server rendered.

use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(kehu_ui::App);
    // Says "the page is live" to anything waiting for it: browser tests, and CSS that
    // hides controls which do nothing before hydration.
    if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
