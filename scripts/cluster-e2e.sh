#!/usr/bin/env bash
# Two Caseport instances on one PostgreSQL database and one S3 bucket
# (a local moto server), behind HAProxy on loopback, and the Playwright
# tests in end2end/cluster run through the proxy. Called by
# scripts/test.sh after the single-instance end-to-end run; needs the
# server binary and the site bundle that run built, PostgreSQL, haproxy
# and moto (scripts/setup-tools.sh installs the last two).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR="$ROOT/target/cluster"
rm -rf "$DIR" && mkdir -p "$DIR/mail"

PG="${CASEPORT_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG%/*}"
DB_NAME=caseport_cluster
psql "$PG" -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" -c "CREATE DATABASE $DB_NAME"
export CLUSTER_DATABASE_URL="$PG_BASE/$DB_NAME"

# Ports: the proxy on 3080, the instances on 3001 and 3002, mail on 2527,
# the bucket on 5056. Anything left over from an interrupted run goes.
if command -v fuser >/dev/null; then fuser -k 3080/tcp 3001/tcp 3002/tcp 2527/tcp 5056/tcp 2>/dev/null || true; fi
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; }
trap cleanup EXIT

MOTO_SERVER="${CASEPORT_TOOLS_DIR:-$HOME/.local/share/caseport}/moto-5.2.5/bin/moto_server"
"$MOTO_SERVER" -H 127.0.0.1 -p 5056 >"$DIR/moto.log" 2>&1 &
PIDS+=($!)
BIN="$ROOT/target/debug/caseport"
"$BIN" smtp-sink --listen 127.0.0.1:2527 --dir "$DIR/mail" >"$DIR/sink.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 30); do curl -s -o /dev/null http://127.0.0.1:5056/ && break; sleep 1; done
# The test server takes an unsigned PUT as "create bucket".
curl -sf -X PUT http://127.0.0.1:5056/caseport-cluster >/dev/null

# What both instances share, as in a real deployment: the database, the
# bucket, the key that seals secrets, the public address (the proxy), the
# mail server, and the proxy as the one trusted hop. Jobs run every second
# so "exactly once" is tried hard.
export DATABASE_URL="$CLUSTER_DATABASE_URL"
export CASEPORT_S3_BUCKET=caseport-cluster
export CASEPORT_S3_ENDPOINT=http://127.0.0.1:5056
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
export CASEPORT_SECRET_KEY="$("$BIN" secrets generate-key | tail -1)"
export CASEPORT_PUBLIC_URL=http://127.0.0.1:3080
export CASEPORT_SMTP_URL=smtp://127.0.0.1:2527
export CASEPORT_TRUSTED_PROXIES=127.0.0.1/32
export CASEPORT_SCHEDULER_SECONDS=1 CASEPORT_OUTBOX_SECONDS=1
export LEPTOS_SITE_ROOT="$ROOT/target/site"
unset CASEPORT_STORAGE_DIR CASEPORT_E2E_MAIL_DIR CASEPORT_SEED_DEMO

ready() {
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "$1/readyz" && return 0
    sleep 1
  done
  echo "instance at $1 did not become ready; its log:" >&2
  cat "$2" >&2
  return 1
}
# The first instance migrates and loads the demo; the second starts on
# the result.
CASEPORT_LISTEN=127.0.0.1:3001 CASEPORT_SEED_DEMO=true "$BIN" serve >"$DIR/a.log" 2>&1 &
PIDS+=($!)
ready http://127.0.0.1:3001 "$DIR/a.log"
CASEPORT_LISTEN=127.0.0.1:3002 "$BIN" serve >"$DIR/b.log" 2>&1 &
PIDS+=($!)
ready http://127.0.0.1:3002 "$DIR/b.log"

cat >"$DIR/haproxy.cfg" <<CFG
global
    maxconn 256
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend caseport
    bind 127.0.0.1:3080
    option forwardfor
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /readyz
    server a 127.0.0.1:3001 check inter 2s
    server b 127.0.0.1:3002 check inter 2s
CFG
haproxy -f "$DIR/haproxy.cfg" -db >"$DIR/haproxy.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 30); do curl -sf -o /dev/null http://127.0.0.1:3080/healthz && break; sleep 1; done

export CASEPORT_E2E_MAIL_DIR="$DIR/mail"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(cd end2end && npx playwright test --config playwright.cluster.config.ts)
