//! Tells the asset embedding (src/assets.rs) where cargo-leptos puts the site: always
//! <workspace>/target/site, whatever CARGO_TARGET_DIR says. The path is made absolute and
//! free of `..` (rust-embed compares canonical paths), and the folder is created so a server
//! built before the browser bundle still compiles; it then serves no bundle and says so.
//!
//! Cargo does not rerun a build script because the checkout moved (its hashes ignore where
//! the workspace is), so two clones sharing one target directory — CI's clean clones — would
//! serve the site of whichever clone built first. `kehu.sh` exports the checkout's root as
//! KEHU_ROOT, and a different root reruns this script.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=KEHU_ROOT");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = match std::env::var("KEHU_ROOT") {
        Ok(root) if !root.is_empty() => PathBuf::from(root),
        _ => manifest.parent().map(PathBuf::from).unwrap_or(manifest.clone()),
    };
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let site = workspace.join("target").join("site");
    if let Err(e) = std::fs::create_dir_all(&site) {
        println!("cargo:warning=cannot create {}: {e}", site.display());
    }
    println!("cargo:rustc-env=KEHU_SITE_DIR={}", site.display());
    println!("cargo:rerun-if-changed=build.rs");
    fold_identical_code();
}

/// In a release build on x86-64 Linux with the gold linker there, the binary is linked by gold
/// with identical code folding: without link-time optimisation (too slow to build here), each
/// crate keeps its own copies of the generic code it instantiates, many byte for byte the same.
/// `safe` folds only functions whose address is never taken, so no comparison of function
/// pointers can change.
fn fold_identical_code() {
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let target = std::env::var("TARGET").unwrap_or_default();
    if release && target == "x86_64-unknown-linux-gnu" && std::path::Path::new("/usr/bin/ld.gold").exists() {
        println!("cargo:rustc-link-arg-bins=-fuse-ld=gold");
        println!("cargo:rustc-link-arg-bins=-Wl,--icf=safe");
    }
}
