#!/usr/bin/env bash
# Builds the release site and prints the wasm size, raw and gzipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tools.sh >/dev/null
cargo leptos build --release >/dev/null
wasm=$(ls target/site/pkg/*.wasm)
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'release wasm %s: %d bytes raw (%.0f KiB), %d bytes gzip -9 (%.0f KiB)\n' \
  "$(basename "$wasm")" "$raw" "$(echo "$raw/1024" | bc -l)" "$gz" "$(echo "$gz/1024" | bc -l)"
