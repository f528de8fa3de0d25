#!/usr/bin/env bash
# Installs the build and test tools Caseport needs, idempotently.
# Every step checks first, so a warm machine spends seconds here and a fresh
# one gets everything (see README "Tooling").
set -euo pipefail

# `setup-tools.sh demo`: only what building and running the app needs (the
# demo's first run on a fresh machine should not wait for a browser, a
# proxy and a Python environment that only the tests use).
MODE="${1:-all}"
testing() { [ "$MODE" != demo ]; }

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130

log() { printf '==> %s\n' "$*"; }

if testing && ! command -v chromium >/dev/null 2>&1; then
  log "installing Debian chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

# HAProxy, the reverse proxy in front of two instances in the cluster test.
if testing && ! command -v haproxy >/dev/null 2>&1; then
  log "installing Debian haproxy"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
fi

# brotli, to report the wasm's brotli size (scripts/wasm-size.sh).
if testing && ! command -v brotli >/dev/null 2>&1; then
  log "installing Debian brotli"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq brotli >/dev/null
fi

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  log "adding wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli and cargo-leptos build side by side: on a fresh machine
# they are most of the set-up, and each has single-threaded stretches
# (its largest crates, its link) the other can fill.
bindgen_pid=""
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its lockfile names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force &
  bindgen_pid=$!
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION"
  # Its lockfile wants cargo-util-schemas 0.14.2 (rustc 1.96); pin 0.14.1 and
  # drop its rust-toolchain.toml so it builds on the stable toolchain here.
  cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked >/dev/null 2>&1 || true
  src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cargo-leptos-$CARGO_LEPTOS_VERSION 2>/dev/null | head -1)
  if [ -z "$src" ]; then
    echo "cargo-leptos source not unpacked; cannot install" >&2
    exit 1
  fi
  work=$(mktemp -d)
  cp -r "$src" "$work/cargo-leptos"
  rm -f "$work/cargo-leptos/rust-toolchain.toml"
  # An unoptimised build (its work is waiting on cargo and wasm-opt), and
  # without debug info, which nobody reads and which slows the build.
  (cd "$work/cargo-leptos" && cargo update -p cargo-util-schemas --precise 0.14.1 \
     && CARGO_PROFILE_DEV_DEBUG=false cargo install --path . --locked --debug)
  rm -rf "$work"
fi

if [ -n "$bindgen_pid" ] && ! wait "$bindgen_pid"; then
  echo "installing wasm-bindgen-cli failed" >&2
  exit 1
fi

# A local S3-compatible server (moto) for the storage tests, in its own
# virtual environment.
MOTO_VERSION=5.2.5
MOTO_VENV="${CASEPORT_TOOLS_DIR:-$HOME/.local/share/caseport}/moto-$MOTO_VERSION"
if testing && [ ! -x "$MOTO_VENV/bin/moto_server" ]; then
  log "installing moto $MOTO_VERSION (S3-compatible test server)"
  python3 -m venv "$MOTO_VENV"
  "$MOTO_VENV/bin/pip" install -q "moto[server]==$MOTO_VERSION"
fi
# The FHIR R4 validator for the API's answers (its R4B models), in the same
# environment.
FHIR_RESOURCES_VERSION=8.3.0
if testing && ! "$MOTO_VENV/bin/python" -c "import sys, fhir.resources as f; sys.exit(f.__version__ != '$FHIR_RESOURCES_VERSION')" 2>/dev/null; then
  log "installing fhir.resources $FHIR_RESOURCES_VERSION (FHIR R4 validator)"
  "$MOTO_VENV/bin/pip" install -q "fhir.resources==$FHIR_RESOURCES_VERSION"
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ -f "$ROOT/package-lock.json" ] && [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
  log "npm ci (root: binaryen)"
  (cd "$ROOT" && npm ci --no-audit --no-fund)
fi
if testing && [ -f "$ROOT/end2end/package-lock.json" ] && [ ! -d "$ROOT/end2end/node_modules/@playwright" ]; then
  log "npm ci (end2end: playwright)"
  (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
fi
log "tools ready"
