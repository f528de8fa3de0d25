#!/usr/bin/env bash
# Sets up the tools, builds Caseport and runs it with demo data on the
# embedded SQLite database at http://127.0.0.1:3000 (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-tools.sh demo
export CASEPORT_SEED_DEMO=true
export DATABASE_URL="${DATABASE_URL:-sqlite://data/caseport.sqlite?mode=rwc}"
exec cargo leptos serve --release --split
