#!/usr/bin/env bash
# Builds the release site (split into lazily loaded chunks, see
# app/src/routes.rs) and prints what a browser downloads: the main wasm
# every page needs (raw, gzip -9 and, where the brotli tool is installed,
# brotli), and for each group of pages the main wasm plus that group's
# chunks. Fails when the gzipped main wasm is over the budget,
# CASEPORT_WASM_BUDGET_BYTES, by default 250,000 bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
# Code splitting by audience and erased component types took the main wasm
# from 1,573 KiB gzip (one bundle) to 289 KiB, a header without a sign-in
# action and session resource of its own to 246 KiB, one JSON reader and
# the idle dialog's plain sign-out form, with room for the splitter's data
# (frontend/src/lib.rs), to 237 KiB. What a page needs in all is the main
# wasm plus its group's chunks, printed below.
BUDGET="${CASEPORT_WASM_BUDGET_BYTES:-250000}"
scripts/setup-tools.sh >/dev/null
# Only the wasm: the release server takes far longer and is not measured here.
cargo leptos build --release --split --frontend-only >/dev/null
pkg=target/site/pkg
# The bundles' names carry their hash (hash-files); hash.txt says which.
hash() { awk -F': ' -v k="$1" '$1 == k { print $2 }' target/release/hash.txt; }
wasm="$pkg/caseport.$(hash wasm).wasm"
manifest="$pkg/__wasm_split_manifest.$(hash manifest).json"
gz() { cat "$@" | gzip -9 -c | wc -c; }
each_gz() { local t=0 f; for f in "$@"; do t=$(( t + $(gzip -9 -c "$f" | wc -c) )); done; echo $t; }
kib() { echo $(( ($1 + 512) / 1024 )); }

raw=$(stat -c %s "$wasm")
main_gz=$(gz "$wasm")
line="main wasm $(basename "$wasm"): $raw bytes raw ($(kib "$raw") KiB), $main_gz bytes gzip -9 ($(kib "$main_gz") KiB)"
if command -v brotli >/dev/null; then
  br=$(brotli -c -q 11 "$wasm" | wc -c)
  line="$line, $br bytes brotli -q 11 ($(kib "$br") KiB)"
fi
echo "$line"
echo "js: $(kib "$(gz "$pkg/caseport.$(hash js).js")") KiB gzip (loader), $(kib "$(gz "$pkg/__wasm_split.$(hash split).js")") KiB gzip (chunk loader)"
all=$(ls "$pkg"/*.wasm | wc -l)
echo "all wasm files ($all): $(kib "$(cat "$pkg"/*.wasm | wc -c)") KiB raw, $(kib "$(each_gz "$pkg"/*.wasm)") KiB gzip, each file compressed on its own"
# Each group of pages: its chunk files, as the manifest lists them.
python3 - "$manifest" "$pkg" <<'EOF'
import gzip, json, os, re, sys
manifest, pkg = sys.argv[1], sys.argv[2]
for split, files in sorted(json.load(open(manifest)).items()):
    paths = [os.path.join(pkg, f + ".wasm") for f in files]
    size = sum(len(gzip.compress(open(p, "rb").read(), 9)) for p in paths)
    name = re.sub(r"_[0-9]+$", "", split)
    print(f"  {name}: {len(files)} files, {round(size / 1024)} KiB gzip on top of the main wasm")
EOF
if [ "$main_gz" -gt "$BUDGET" ]; then
  echo "the gzipped main wasm is over its budget of $BUDGET bytes" >&2
  exit 1
fi
