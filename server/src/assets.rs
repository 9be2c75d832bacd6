//! The site (wasm, JS, CSS and everything in public/), built by cargo-leptos into
//! target/site. A release build carries it inside the binary, so the one file runs anywhere;
//! a debug build reads the folder at request time, so a rebuilt bundle shows on reload.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$KEHU_SITE_DIR"]
#[allow_missing = true]
pub struct Site;

/// Whether the browser bundle is there at all; checked once at start-up.
pub fn bundle_present() -> bool {
    Site::get("pkg/kehu.js").is_some() && Site::get("pkg/kehu.wasm").is_some()
}

/// The browser bundle's files as the browser asks for them (`/pkg/...`): the app's wasm, JS
/// and CSS and every piece of wasm split off it (app/ui/src/routes.rs), in a stable order;
/// not the compressed copies, type declarations or the split manifest (read by the server).
pub fn bundle_files() -> Vec<String> {
    let mut files: Vec<String> = Site::iter()
        .filter(|path| path.starts_with("pkg/"))
        .filter(|path| [".wasm", ".js", ".css"].iter().any(|ext| path.ends_with(ext)))
        .map(|path| format!("/{path}"))
        .collect();
    files.sort();
    files
}

/// A short hash of the browser bundle (all of `bundle_files`): what names this build to
/// browsers. A change to one page's piece of wasm alone is a new build too.
pub fn bundle_hash() -> String {
    let hashes: String = bundle_files()
        .iter()
        .filter_map(|path| Site::get(path.trim_start_matches('/')))
        .map(|file| hex(&file.metadata.sha256_hash()))
        .collect();
    kehu_backend::accounts::passwords::token_key(&hashes)[..12].to_string()
}

static SITE_ROOT: OnceLock<String> = OnceLock::new();

/// The site root the page renderer is given. Leptos reads the wasm cutter's manifest (which
/// pieces of wasm each page needs, for the page's preload links) from `<site root>/pkg/` on
/// disk, but the site is inside a release binary, and wherever the binary runs there is no
/// `target/site`. So the manifest is written out at start, once, into a directory of this
/// process's own in the temporary directory. `target/site` (where nothing is found) if the
/// bundle has no manifest or it cannot be written: pages then fetch their area of the wasm
/// after the frame, a round trip later, and work all the same.
pub fn site_root_for_pages() -> String {
    SITE_ROOT.get_or_init(|| {
        const MANIFEST: &str = "pkg/__wasm_split_manifest.json";
        let fallback = "target/site".to_string();
        let Some(manifest) = Site::get(MANIFEST) else { return fallback };
        remove_dead_processes_site_dirs();
        let root = std::env::temp_dir().join(site_dir_name());
        // `create_dir`, not `create_dir_all`: a directory (or a link) someone else put there
        // first is refused, not written through.
        let written = std::fs::create_dir(&root).and_then(|_| std::fs::create_dir(root.join("pkg"))).and_then(|_| std::fs::write(root.join(MANIFEST), &manifest.data));
        match (written, root.to_str()) {
            (Ok(()), Some(path)) => path.to_string(),
            (Err(e), _) => {
                tracing::warn!("cannot write the wasm manifest to {}: {e}; pages will not preload their wasm", root.display());
                fallback
            }
            (Ok(()), None) => fallback,
        }
    })
    .clone()
}

/// This process's directory for the manifest: its id and start time, so that a directory left
/// by a killed process whose id comes round again is never taken for this one's.
fn site_dir_name() -> String {
    let started = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("kehu-site-{}-{started}", std::process::id())
}

/// Removes the manifest directories of processes that are gone without a clean stop (killed,
/// crashed, or a test binary whose in-process servers never stop): the process id in the name
/// no longer runs. Only where `/proc` tells which processes run (Linux); elsewhere each such
/// stop leaves a 20 KB directory for the system's temp cleaning.
fn remove_dead_processes_site_dirs() {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(site_dir_pid) else { continue };
        // A live process's directory stays, even if its id was reused by another program.
        if !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The process id in a name `site_dir_name` made.
fn site_dir_pid(name: &str) -> Option<u32> {
    let (pid, started) = name.strip_prefix("kehu-site-")?.split_once('-')?;
    started.parse::<u128>().ok()?;
    pid.parse().ok()
}

/// Removes the directory `site_root_for_pages` wrote, at a clean stop (a test run starts dozens
/// of servers; each would otherwise leave one behind). Nothing to do if none was written.
pub fn remove_site_root() {
    let Some(root) = SITE_ROOT.get() else { return };
    let root = std::path::Path::new(root);
    // Only a directory of ours: never the `target/site` given when none could be written.
    if root.file_name().is_some_and(|name| name.to_string_lossy().starts_with("kehu-site-")) {
        if let Err(e) = std::fs::remove_dir_all(root) {
            tracing::warn!("cannot remove {}: {e}", root.display());
        }
    }
}

/// The encodings the client accepts that we may have precompressed copies in.
fn accepted_encodings(headers: &HeaderMap) -> (bool, bool) {
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    (accept.contains("br"), accept.contains("gzip"))
}

/// Serves `path` from the site if it is there.
pub fn serve(path: &str, headers: &HeaderMap) -> Option<Response> {
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with(".br") || path.ends_with(".gz") {
        return None;
    }
    let file = Site::get(path)?;
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()[..12]));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Some(StatusCode::NOT_MODIFIED.into_response());
    }
    let (brotli, gzip) = accepted_encodings(headers);
    let (body, encoding) = match () {
        _ if brotli && Site::get(&format!("{path}.br")).is_some() => (Site::get(&format!("{path}.br"))?.data, Some("br")),
        _ if gzip && Site::get(&format!("{path}.gz")).is_some() => (Site::get(&format!("{path}.gz"))?.data, Some("gzip")),
        _ => (file.data, None),
    };
    let mut response = Response::new(Body::from(body.into_owned()));
    let h = response.headers_mut();
    if let Ok(mime) = HeaderValue::from_str(file.metadata.mimetype()) {
        h.insert(header::CONTENT_TYPE, mime);
    }
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    // File names carry no hash: revalidate each time, cheaply, by ETag.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    Some(response)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_dir_names_its_process() {
        assert_eq!(site_dir_pid("kehu-site-4242-1796606612215287123"), Some(4242));
        assert_eq!(site_dir_pid(&site_dir_name()), Some(std::process::id()));
        assert_eq!(site_dir_pid("kehu-site-4242"), None);
        assert_eq!(site_dir_pid("kehu-site-x-1"), None);
        assert_eq!(site_dir_pid("kehu-sites-4242-1"), None);
    }

    #[test]
    fn a_gone_process_s_site_dir_is_removed_and_a_running_one_s_kept() {
        if !std::path::Path::new("/proc/self").exists() {
            return;
        }
        // Above Linux's highest possible process id (2^22): no process runs with it.
        let gone = std::env::temp_dir().join("kehu-site-4194999-1");
        let mine = std::env::temp_dir().join(format!("kehu-site-{}-2", std::process::id()));
        std::fs::create_dir_all(gone.join("pkg")).expect("temp dir writable");
        std::fs::create_dir_all(&mine).expect("temp dir writable");
        remove_dead_processes_site_dirs();
        assert!(!gone.exists());
        assert!(mine.exists());
        let _ = std::fs::remove_dir_all(mine);
    }
}
