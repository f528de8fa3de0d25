#!/usr/bin/env bash
# Runs every check Caseport has: formatting, clippy for the server and the
# browser feature sets, the wasm dependency check, unit and integration
# tests on SQLite and PostgreSQL, and the Playwright end-to-end tests in
# Chromium. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
step() { printf '\n==> %s\n' "$*"; }

step "tools"
scripts/setup-tools.sh

step "PostgreSQL"
PG_URL="${CASEPORT_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_up && command -v pg_ctlcluster >/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  sleep 2
fi
if pg_up; then
  # Reachable here, so the suite must run on it too: no silent skip.
  export CASEPORT_REQUIRE_POSTGRES=1
  echo "PostgreSQL reachable: the suite runs on SQLite and PostgreSQL ($PG_URL)"
else
  echo "PostgreSQL not reachable: the suite runs on SQLite only"
fi
export CASEPORT_TEST_PG="$PG_URL"

step "S3-compatible storage (moto)"
MOTO_SERVER="${CASEPORT_TOOLS_DIR:-$HOME/.local/share/caseport}/moto-5.2.5/bin/moto_server"
S3_PORT=5055
if command -v fuser >/dev/null; then fuser -k $S3_PORT/tcp 2>/dev/null || true; fi
mkdir -p "$ROOT/target"
"$MOTO_SERVER" -H 127.0.0.1 -p $S3_PORT >"$ROOT/target/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 30); do
  curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break
  sleep 1
done
# Running here, so the storage tests must use it: no silent skip.
export CASEPORT_TEST_S3="http://127.0.0.1:$S3_PORT"
export CASEPORT_REQUIRE_S3=1

step "format"
cargo fmt --all -- --check

step "clippy (ssr)"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server -p migration --all-targets -- -D warnings
step "clippy (hydrate, wasm32)"
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "wasm has no server-only crates"
scripts/check-wasm-deps.sh

step "wasm size (release build of the wasm only)"
scripts/wasm-size.sh

step "unit and integration tests"
cargo test -p app --features ssr
# The FHIR tests save every resource the API answered with, for the validator.
rm -rf "$ROOT/target/fhir-samples"
cargo test -p migration -p server

step "FHIR R4 validation of the API's answers"
"$(dirname "$MOTO_SERVER")/python" scripts/fhir-validate.py "$ROOT/target/fhir-samples"

step "end-to-end (Playwright, Chromium)"
E2E_DIR="$ROOT/target/e2e"
rm -rf "$E2E_DIR" && mkdir -p "$E2E_DIR"
export DATABASE_URL="sqlite://$E2E_DIR/caseport.sqlite?mode=rwc"
export CASEPORT_SEED_DEMO=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Mail goes over real SMTP to a local sink that writes each message to a
# folder the tests read.
export CASEPORT_SMTP_URL="smtp://127.0.0.1:2526"
export CASEPORT_PUBLIC_URL="http://127.0.0.1:3000"
export CASEPORT_STORAGE_DIR="$E2E_DIR/files"
export CASEPORT_E2E_MAIL_DIR="$E2E_DIR/mail"
# A server left over from an interrupted run would answer instead of ours.
if command -v fuser >/dev/null; then fuser -k 3000/tcp 2526/tcp 2>/dev/null || true; fi
cargo build -p server --bin caseport
"$ROOT/target/debug/caseport" smtp-sink --listen 127.0.0.1:2526 --dir "$CASEPORT_E2E_MAIL_DIR" &
SINK_PID=$!
trap 'kill $SINK_PID $MOTO_PID 2>/dev/null || true' EXIT
cargo leptos end-to-end --split

step "two instances behind a proxy (Playwright, PostgreSQL, S3)"
if pg_up; then
  scripts/cluster-e2e.sh
else
  echo "PostgreSQL not reachable: the two-instance run needs it; skipped"
fi
