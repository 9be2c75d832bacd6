//! Tells the asset embedding (src/assets.rs) where cargo-leptos puts the site: always
//! <workspace>/target/site, whatever CARGO_TARGET_DIR says. The path is made absolute and
//! free of `..` (rust-embed compares canonical paths), and the folder is created so a server
//! built before the browser bundle still compiles; it then serves no bundle and says so.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent().map(PathBuf::from).unwrap_or(manifest.clone());
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let site = workspace.join("target").join("site");
    if let Err(e) = std::fs::create_dir_all(&site) {
        println!("cargo:warning=cannot create {}: {e}", site.display());
    }
    println!("cargo:rustc-env=KEHU_SITE_DIR={}", site.display());
    println!("cargo:rerun-if-changed=build.rs");
}
