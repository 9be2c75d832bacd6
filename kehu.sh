#!/usr/bin/env bash
# Kehu's one entry point. From a fresh machine, each command installs what it is missing
# (once; later runs skip it) and then does its job:
#
#   ./kehu.sh run [serve flags]   build and run the app on ./data; prints the URL
#   ./kehu.sh test                every test: unit, server (in-memory store), browser
#
# and for the people who work on it:
#
#   ./kehu.sh build [--release]   debug build, or the single self-contained release binary
#   ./kehu.sh demo [--customers N] add generated sample customers to ./data
#   ./kehu.sh bench [--customers N] release build, then list/search/profile timings
#   ./kehu.sh bench-import [--rows N] release build, then customer import rows/s (SQLite as reference)
#   ./kehu.sh bench-tickets [--tickets N] release build, then ticket queue/report timings
#   ./kehu.sh bench-wasm          release browser bundle, then what each page downloads (brotli)
#   ./kehu.sh soak [soak flags]     release build, then kill -9 / flood / bad input / load
#   ./kehu.sh cluster [--rounds N] [--write-seconds N]  SurrealDB server + two replicas: visibility, writes/s, lease, restart
#   ./kehu.sh setup               install the toolchain pieces only
set -euo pipefail

KEHU_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The server's build script reads it: the site it serves is this checkout's (server/build.rs).
export KEHU_ROOT
cd "$KEHU_ROOT"
# shellcheck source=scripts/toolchain.sh
source scripts/toolchain.sh

# cargo-leptos sets this when it builds; the server, its tests and everything else set it
# the same way, so cargo never rebuilds leptos (and all above it) because it changed.
export LEPTOS_OUTPUT_NAME=kehu
TARGET_DIR=${CARGO_TARGET_DIR:-$KEHU_ROOT/target}

# The browser half (wasm, JS, CSS, public/) into target/site, in debug. `--split` cuts the
# wasm into the app's frame and an area of pages per piece (app/ui/src/routes.rs).
build_site() {
  log "building the browser bundle"
  cargo leptos build --frontend-only --split
}

build_server() {
  log "building the server"
  cargo build -p kehu
}

# Both halves in release: the site first, compressed copies of it next, then the server
# that embeds all of it (it serves .br/.gz to browsers that accept them).
# The browser half in release, optimised by wasm-opt.
build_release_site() {
  ensure_wasm_opt
  log "building the release browser bundle"
  cargo leptos build --release --frontend-only --split
}

build_release() {
  ensure_compressors
  build_release_site
  find target/site -type f ! -name '*.gz' ! -name '*.br' -size +1k | while read -r file; do
    gzip -9 -k -f "$file"
    brotli -q 11 -f -o "$file.br" "$file"
  done
  log "building the release server (site embedded)"
  cargo leptos build --release --server-only
  log "single binary: $TARGET_DIR/release/kehu ($(du -h "$TARGET_DIR/release/kehu" | cut -f1))"
}

run_tests() {
  ensure_browser_tools
  ensure_smtp_server
  ensure_contract_tools
  build_site
  log "unit and server tests"
  cargo test -p kehu-domain -p kehu-backend -p kehu
  # The server tests built the debug binary already (cargo builds a package's binaries for
  # its integration tests); the browser tests use that one rather than build it again.
  [ -x "$TARGET_DIR/debug/kehu" ] || build_server
  log "browser tests (headless Chromium)"
  (cd end2end && KEHU_BIN="$TARGET_DIR/debug/kehu" npx playwright test)
  log "all tests passed"
}

command=${1:-help}
[ $# -gt 0 ] && shift
case "$command" in
  setup)
    ensure_build_tools
    ensure_browser_tools
    ensure_contract_tools
    ensure_wasm_opt
    ;;
  run)
    ensure_build_tools
    build_site
    build_server
    exec "$TARGET_DIR/debug/kehu" serve "$@"
    ;;
  test)
    ensure_build_tools
    run_tests
    ;;
  build)
    ensure_build_tools
    if [ "${1:-}" = "--release" ]; then build_release; else build_site; build_server; fi
    ;;
  demo)
    ensure_build_tools
    build_server
    exec "$TARGET_DIR/debug/kehu" demo "$@"
    ;;
  bench)
    ensure_build_tools
    build_release
    exec "$TARGET_DIR/release/kehu" bench "$@"
    ;;
  bench-import)
    ensure_build_tools
    build_release
    exec "$TARGET_DIR/release/kehu" bench-import "$@"
    ;;
  bench-wasm)
    ensure_build_tools
    build_release_site
    cd end2end && exec node tools/wasm-sizes.mjs
    ;;
  bench-tickets)
    ensure_build_tools
    build_release
    exec "$TARGET_DIR/release/kehu" bench-tickets "$@"
    ;;
  soak)
    ensure_build_tools
    build_release
    exec "$TARGET_DIR/release/kehu" soak "$@"
    ;;
  cluster)
    ensure_build_tools
    ensure_surreal
    build_server
    exec "$TARGET_DIR/debug/kehu" cluster --surreal "$KEHU_SURREAL" "$@"
    ;;
  help|-h|--help)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    ;;
  *)
    die "unknown command '$command' (try: ./kehu.sh help)"
    ;;
esac
