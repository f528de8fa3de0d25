#!/usr/bin/env bash
# Builds the release site, prints the wasm's size (raw, gzip -9 and, where
# the brotli tool is installed, brotli), and fails when the gzipped wasm is
# over the budget: CASEPORT_WASM_BUDGET_KB, by default the size it has now,
# so it cannot grow unnoticed while it is brought down to the 250 KB target.
set -euo pipefail
cd "$(dirname "$0")/.."
# 1,545 KiB: response deadlines added 36 KiB gzip and saved views 20 KiB
# (1,426 KiB → 1,482 KiB); the case conversation and attachments, and the
# digest and hand-on settings, 53 KiB more (→ 1,537 KiB); the API-token
# section of the account page 37 KiB more (→ 1,573 KiB). Raised on purpose,
# with a little room, not to hide growth.
BUDGET_KB="${CASEPORT_WASM_BUDGET_KB:-1580}"
scripts/setup-tools.sh >/dev/null
# Only the wasm: the release server (fat LTO) takes far longer and is not measured here.
cargo leptos build --release --frontend-only >/dev/null
# The bundle's name carries its hash (hash-files); hash.txt says which.
hash=$(awk -F': ' '$1 == "wasm" { print $2 }' target/release/hash.txt)
wasm="target/site/pkg/caseport.$hash.wasm"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
line=$(printf 'release wasm %s: %d bytes raw (%.0f KiB), %d bytes gzip -9 (%.0f KiB)' \
  "$(basename "$wasm")" "$raw" "$(echo "$raw/1024" | bc -l)" "$gz" "$(echo "$gz/1024" | bc -l)")
if command -v brotli >/dev/null; then
  br=$(brotli -c -q 11 "$wasm" | wc -c)
  line="$line, $br bytes brotli -q 11 ($(( br / 1024 )) KiB)"
fi
echo "$line"
if [ "$gz" -gt $(( BUDGET_KB * 1024 )) ]; then
  echo "the gzipped wasm is over its budget of $BUDGET_KB KiB" >&2
  exit 1
fi
