//! The display offset as the page knows it: from the server's context while rendering, and in
//! the browser from what the server wrote into the page. The formatting itself is shared with
//! the server, in `kehu_domain::format`.

use leptos::prelude::*;

pub use kehu_domain::format::*;

/// The display offset from context: the server's config, or in the browser what the server
/// wrote into the page.
pub fn use_display_offset() -> DisplayOffset {
    if let Some(offset) = use_context::<DisplayOffset>() {
        return offset;
    }
    #[cfg(feature = "hydrate")]
    {
        let from_page = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-utc-offset"))
            .and_then(|t| DisplayOffset::parse(&t));
        if let Some(offset) = from_page {
            provide_context(offset);
            return offset;
        }
    }
    DisplayOffset::default()
}
