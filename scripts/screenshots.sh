#!/usr/bin/env bash
# Starts the demo on a scratch SQLite database and saves a PNG of every
# main page at 1280 px and 390 px, light and dark, under
# target/screenshots/ (not committed). Look at them after changing a page.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tools.sh
cargo leptos build --split
OUT="${1:-target/screenshots}"
PORT="${CASEPORT_SCREENSHOT_PORT:-3100}"
SCRATCH="$(mktemp -d)"
BIN=target/debug/caseport
export DATABASE_URL="sqlite://$SCRATCH/demo.sqlite?mode=rwc"
export CASEPORT_SEED_DEMO=true
export CASEPORT_LISTEN="127.0.0.1:$PORT"
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_OUTPUT_NAME=caseport
export CASEPORT_SECRET_KEY="$("$BIN" secrets generate-key | tail -1)"
"$BIN" serve > "$SCRATCH/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$SCRATCH"' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
(cd end2end && node tools/screenshots.mjs "http://127.0.0.1:$PORT" "../$OUT")
