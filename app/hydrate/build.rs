//! A bigger wasm stack than Rust's default 1 MiB for unoptimised (debug) builds. Hydration is
//! asynchronous since pages load as areas of wasm (app/ui/src/routes.rs), and the unoptimised
//! profile page then ran out of the default stack while taking over the page ("memory access
//! out of bounds": the stack is first in memory). Optimised builds use far less stack.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("PROFILE").as_deref() == Ok("debug") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=8388608");
    }
}
