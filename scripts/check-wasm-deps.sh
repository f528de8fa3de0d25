#!/usr/bin/env bash
# Fails when a server-only crate reaches the browser build.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(sea-orm|sea-query|sqlx|sqlx-core|argon2|lettre|tokio|axum|leptos_axum|hyper|tower-http|libsqlite3-sys|secrecy|rand|sha2|printpdf|object_store|reqwest|rustls|hmac|sha1|qrcode|data-encoding|zxcvbn|chacha20poly1305)$'
tree=$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal,no-proc-macro --prefix none --format '{p}' \
  | awk '{print $1}' | sort -u)
leaks=$(grep -E "$forbidden" <<<"$tree" || true)
if [ -n "$leaks" ]; then
  echo "server-only crates in the wasm build:" >&2
  echo "$leaks" >&2
  exit 1
fi
echo "wasm dependency check: $(wc -l <<<"$tree") crates, none server-only"
