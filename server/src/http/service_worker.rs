//! The service worker at `/sw.js` (it must live at the site's root to serve every page), with
//! this build's version written in, and the same version on every response as
//! `X-Kehu-Build`. A new build is a new worker, which the page offers to switch to; and the
//! worker, seeing a page come from a build other than its own, fetches the wasm and JS from
//! the network instead of its cache, so a page never runs stale wasm against a new server.

use std::sync::OnceLock;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::assets;

pub const PATH: &str = "/sw.js";

const SOURCE: &str = include_str!("service_worker.js");

const BUILD_HEADER: HeaderName = HeaderName::from_static("x-kehu-build");

/// This build's version: `KEHU_BUILD_ID` when set (to make every open page offer a reload
/// without a new build), else the browser bundle's hash.
pub fn version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| match std::env::var("KEHU_BUILD_ID").map(|v| v.trim().to_string()) {
        Ok(id) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) => id,
        _ => assets::bundle_hash(),
    })
}

/// The worker's script: never cached by the browser's HTTP cache, so an update is seen on the
/// next visit.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache, max-age=0")),
        ],
        source(),
    )
        .into_response()
}

/// The script with this build's version and shell files written in (made once: neither
/// changes while the process runs).
fn source() -> String {
    static SOURCE_NOW: OnceLock<String> = OnceLock::new();
    SOURCE_NOW
        .get_or_init(|| {
            let mut shell: Vec<String> = assets::bundle_files();
            shell.extend(["/icon.svg", "/icon-192.png", "/manifest.webmanifest", "/pwa.js", "/outbox.js"].map(String::from));
            let shell = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into());
            SOURCE.replace("__KEHU_VERSION__", version()).replace("\"__KEHU_SHELL_FILES__\"", &shell)
        })
        .clone()
}

/// Marks every response with the build that made it.
pub async fn build_header(request: Request, next: Next) -> Response {
    // Made once: the version does not change while the process runs.
    static VALUE: OnceLock<Option<HeaderValue>> = OnceLock::new();
    let mut response = next.run(request).await;
    if let Some(v) = VALUE.get_or_init(|| HeaderValue::from_str(version()).ok()) {
        response.headers_mut().insert(BUILD_HEADER, v.clone());
    }
    response
}
