#!/usr/bin/env bash
# Sets up the tools, builds Caseport and runs it with demo data on the
# embedded SQLite database at http://127.0.0.1:3000 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tools.sh demo

# The wasm is the release build, what a browser gets in production (size
# profile, wasm-opt, compressed). The demo's server is the debug build the
# tests use: it builds in a third of the release build's time (3.5 against
# 10.5 minutes on two cores), and its slow parts (password hashing,
# compression) are optimised even there; build for production as the
# README says. The two build side by side: each has single-threaded
# stretches (the wasm's link-time optimisation, wasm-opt, the app crate,
# the link) that the other fills.
cargo leptos build --release --split --frontend-only &
front=$!
trap 'kill "$front" 2>/dev/null || true' EXIT
cargo leptos build --split --server-only
wait "$front"
trap - EXIT
# The server finds the bundles' hashed names beside its binary.
cp target/release/hash.txt target/debug/hash.txt

export CASEPORT_SEED_DEMO=true
export DATABASE_URL="${DATABASE_URL:-sqlite://data/caseport.sqlite?mode=rwc}"
# What `cargo leptos serve` would tell the server.
export LEPTOS_OUTPUT_NAME=caseport LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec target/debug/caseport
