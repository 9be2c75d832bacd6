//! The page's language: the reader's choice as a signal (switching re-renders every text),
//! remembered in a cookie, and read from that cookie when the server renders. The texts
//! themselves and the language rules are in `kehu_domain::i18n`, shared with the server.

use leptos::prelude::*;

pub use kehu_domain::i18n::*;

#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
    /// The language of this render. On the server it never changes within a request, so
    /// reading it needs no signal; that also keeps text that leptos_meta renders after the
    /// app's reactive owner is gone (the `<title>`) from touching a disposed signal.
    #[cfg_attr(not(feature = "ssr"), allow(dead_code))]
    fixed: Lang,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        #[cfg(feature = "ssr")]
        {
            self.fixed
        }
        #[cfg(not(feature = "ssr"))]
        {
            self.lang.get()
        }
    }

    /// A fixed string in the current language; call inside a reactive closure.
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang())
    }

    /// Switches language for this page now and remembers it for the next visit.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        #[cfg(feature = "hydrate")]
        remember_in_browser(lang);
    }
}

pub fn provide_i18n(initial: Lang) -> I18n {
    let i18n = I18n { lang: RwSignal::new(initial), fixed: initial };
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(feature = "hydrate")]
fn remember_in_browser(lang: Lang) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
    if let Ok(html) = document.dyn_into::<web_sys::HtmlDocument>() {
        // A year; Lax is enough for a display preference.
        let _ = html.set_cookie(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()));
    }
}

/// The language the page starts in. On the server: the person's choice (the cookie), else
/// the deployment's default; not the browser's Accept-Language, because a company that runs
/// Kehu in Chinese wants Chinese on a laptop set up in English too. In the browser: what the
/// server put in `<html lang>`, so hydration renders exactly what the server did.
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        let default = use_context::<DefaultLang>().map(|d| d.0).unwrap_or_default();
        let Some(parts) = use_context::<axum::http::request::Parts>() else { return default };
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        header(axum::http::header::COOKIE).and_then(Lang::from_cookie_header).unwrap_or(default)
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

/// The deployment's default language (from `Leptos.toml`), provided by the server.
#[derive(Clone, Copy, Debug)]
pub struct DefaultLang(pub Lang);

