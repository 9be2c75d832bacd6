//! A bigger wasm stack than Rust's default 1 MiB. Hydration is asynchronous since pages load as
//! pieces of wasm (app/ui/src/routes.rs), and unoptimised (debug) builds of the largest pages
//! then ran out of the default stack while taking over the page ("memory access out of
//! bounds", the stack being first in memory).
fn main() {
    println!("cargo:rustc-link-arg-cdylib=-zstack-size=8388608");
}
