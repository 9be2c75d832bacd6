# Sourced by kehu.sh. Installs, once per machine, everything a build or a test run needs,
# and puts it on PATH. Every step checks first and skips what is already there, so a second
# run costs a few seconds. Facts behind the choices: ../shared/BUILD-NOTES.md.
#
# Two kinds of machine are supported:
#  - a developer machine whose rustup has the wasm32-unknown-unknown target: used as is;
#  - a Debian 12 machine without it (rustup cannot download targets there): Debian's
#    rustc-web/cargo-web compiler plus its std source, from which the wasm32 std is built once
#    into the Debian sysroot. Server and browser are then both built by /usr/bin/cargo so that
#    one compiler serves both.

KEHU_CARGO_LEPTOS_VERSION=0.3.11
KEHU_BINARYEN_VERSION=132
# Where the project's own tools live, outside the checkout so clean clones reuse them.
KEHU_TOOLS=${KEHU_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/kehu/tools}

log() { printf '\033[1;34m[kehu]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[kehu]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install sudo or run as root)"; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages ${missing[*]} and no apt-get to install them"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing Debian packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

rustup_has_wasm() {
  command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}

# The wasm32 standard library, built from Debian's std source into Debian's sysroot, with
# LLVM bitcode embedded so that release builds can link it with LTO. A marker file records
# which compiler and recipe built it; a different one triggers a rebuild.
KEHU_STD_RECIPE="embed-bitcode-v1"
ensure_debian_wasm_std() {
  local sysroot_lib=/usr/lib/rustlib/wasm32-unknown-unknown/lib
  local stamp; stamp="$(/usr/bin/rustc --version) $KEHU_STD_RECIPE"
  if [ "$(cat "$sysroot_lib/.kehu-std" 2>/dev/null)" = "$stamp" ]; then return 0; fi
  log "building the wasm32 standard library once (about a minute)"
  local work; work=$(mktemp -d)
  (
    cd "$work"
    /usr/bin/cargo new --lib --quiet stdbuild
    cd stdbuild
    # Its own target directory: a CARGO_TARGET_DIR set for the project (CI sets one) would
    # otherwise receive the build, and nothing would be copied from here.
    CARGO_TARGET_DIR="$work/stdbuild/target" RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Cembed-bitcode=yes" \
      /usr/bin/cargo build --quiet --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort || exit 1
    ls target/wasm32-unknown-unknown/release/deps/libstd-*.rlib >/dev/null 2>&1 || exit 1
    as_root mkdir -p "$sysroot_lib" || exit 1
    as_root find "$sysroot_lib" -name '*.rlib' -delete
    find target/wasm32-unknown-unknown/release/deps -name '*.rlib' ! -name 'libstdbuild-*' \
      -exec cp {} "$sysroot_lib/" \; || exit 1
    # The stamp last, and only after the copy: a failed step must not mark the std as built.
    echo "$stamp" | as_root tee "$sysroot_lib/.kehu-std" >/dev/null
  ) || die "building the wasm32 std failed (see above)"
  rm -rf "$work"
  # Cargo does not track the sysroot: wasm artifacts built against the old std would no
  # longer link, so they go.
  rm -rf "${CARGO_TARGET_DIR:-$KEHU_ROOT/target}/front/wasm32-unknown-unknown"
}

ensure_rust() {
  mkdir -p "$KEHU_TOOLS/bin"
  export PATH="$KEHU_TOOLS/bin:$PATH"
  if rustup_has_wasm; then
    return 0
  fi
  apt_install rustc-web cargo-web rust-web-src lld-22
  # rustc links wasm with `rust-lld -flavor wasm`; Debian's lld is that linker.
  ln -sf /usr/lib/llvm-22/bin/lld "$KEHU_TOOLS/bin/rust-lld"
  # Debian's cargo and rustc ahead of rustup's proxies, so server and browser share one compiler.
  export PATH="$KEHU_TOOLS/bin:/usr/bin:$PATH"
  ensure_debian_wasm_std
}

# A cargo-installed tool at an exact version, skipped when that version is already there.
# These are tools, not the product: no fat LTO (most of a release build's time), and no
# debug info when built unoptimised.
cargo_tool() {
  local bin=$1 crate=$2 version=$3; shift 3
  if "$KEHU_TOOLS/bin/$bin" --version 2>/dev/null | grep -q " $version"; then return 0; fi
  log "installing $crate $version (one time, several minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_DEV_DEBUG=0 \
    cargo install --quiet --root "$KEHU_TOOLS" --force "$crate" --version "$version" "$@" \
    || die "cargo install $crate $version failed"
}

# The wasm-bindgen crate version in Cargo.lock; the CLI must equal it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$KEHU_ROOT/Cargo.lock"
}

ensure_build_tools() {
  ensure_rust
  # cargo-leptos only orchestrates (cargo, wasm-bindgen, CSS): an unoptimised build runs
  # fast enough and installs in a fraction of the time of a release one.
  cargo_tool cargo-leptos cargo-leptos "$KEHU_CARGO_LEPTOS_VERSION" --locked --debug --features no_downloads
  local wb; wb=$(locked_wasm_bindgen_version)
  [ -n "$wb" ] || die "Cargo.lock names no wasm-bindgen version"
  # Not --locked: the CLI's own lock file pins a yanked webpki-roots.
  cargo_tool wasm-bindgen wasm-bindgen-cli "$wb"
}

# wasm-opt is needed by release builds only; Debian's binaryen is too old for today's wasm.
ensure_wasm_opt() {
  if "$KEHU_TOOLS/bin/wasm-opt" --version 2>/dev/null | grep -q "version $KEHU_BINARYEN_VERSION"; then return 0; fi
  command -v npm >/dev/null || apt_install nodejs npm
  log "installing wasm-opt (binaryen $KEHU_BINARYEN_VERSION) from npm"
  mkdir -p "$KEHU_TOOLS/npm"
  npm install --silent --no-audit --no-fund --prefix "$KEHU_TOOLS/npm" "binaryen@$KEHU_BINARYEN_VERSION" >/dev/null \
    || die "npm install binaryen failed"
  ln -sf "$KEHU_TOOLS/npm/node_modules/.bin/wasm-opt" "$KEHU_TOOLS/bin/wasm-opt"
}

# gzip and brotli, for the precompressed copies of the release site.
ensure_compressors() {
  command -v brotli >/dev/null || apt_install brotli
  command -v gzip >/dev/null || apt_install gzip
}

# A real SMTP server for the mail tests: aiosmtpd from PyPI, started by the test itself.
ensure_smtp_server() {
  command -v python3 >/dev/null || apt_install python3
  python3 -c "import aiosmtpd" 2>/dev/null && return 0
  log "installing aiosmtpd (the SMTP server the mail tests start)"
  python3 -m pip install --quiet --user aiosmtpd==1.4.6 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages aiosmtpd==1.4.6 \
    || die "installing aiosmtpd with pip failed"
}

# schemathesis (PyPI), which fuzzes the REST API against its OpenAPI document in the browser
# tests' contract run; in its own virtualenv, so it never meets other Python packages.
KEHU_SCHEMATHESIS_VERSION=4.32.5
ensure_contract_tools() {
  local venv="$KEHU_TOOLS/schemathesis"
  export KEHU_SCHEMATHESIS="$venv/bin/schemathesis"
  "$KEHU_SCHEMATHESIS" --version 2>/dev/null | grep -q "version $KEHU_SCHEMATHESIS_VERSION" && return 0
  command -v python3 >/dev/null || apt_install python3
  log "installing schemathesis $KEHU_SCHEMATHESIS_VERSION (the API contract test)"
  rm -rf "$venv"
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; } || die "making a Python virtualenv failed"
  "$venv/bin/pip" install --quiet "schemathesis==$KEHU_SCHEMATHESIS_VERSION" || die "installing schemathesis with pip failed"
}

# The SurrealDB server (`surreal`), for the cluster check (`./kehu.sh cluster`) only: crates.io
# has it as a library (`surrealdb-server`, the same core as the client Kehu embeds), so
# scripts/surreal-server is its one-line binary; storage in memory and on surrealkv only (the
# defaults add RocksDB, TiKV, GraphQL and scripting). Built once per machine, unoptimised (a
# release build of it takes over half an hour here; the check needs correctness, and its
# delays are then an upper bound), starting from Kehu's Cargo.lock so the shared crates match,
# in its own target directory, removed afterwards.
KEHU_SURREAL_VERSION=3.3.5
ensure_surreal() {
  export KEHU_SURREAL="$KEHU_TOOLS/bin/surreal"
  "$KEHU_SURREAL" version 2>/dev/null | grep -q "^$KEHU_SURREAL_VERSION" && return 0
  log "building the SurrealDB server $KEHU_SURREAL_VERSION (one time, long)"
  local build; build=$(mktemp -d)
  cp -r "$KEHU_ROOT/scripts/surreal-server" "$build/src" && cp "$KEHU_ROOT/Cargo.lock" "$build/src/"
  CARGO_PROFILE_DEV_DEBUG=0 \
    cargo install --quiet --debug --root "$KEHU_TOOLS" --target-dir "$build/target" --force --path "$build/src" \
    || { rm -rf "$build"; die "building the SurrealDB server failed"; }
  rm -rf "$build"
}

# Debian's Chromium and the project's pinned Playwright (never its browser download).
ensure_browser_tools() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -d "$KEHU_ROOT/end2end/node_modules/@playwright/test" ]; then
    log "installing Playwright (npm ci in end2end/)"
    (cd "$KEHU_ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund) \
      || die "npm ci in end2end/ failed"
  fi
}
