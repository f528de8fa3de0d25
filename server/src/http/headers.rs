//! Security headers on every response. Pages and data about clients and
//! cases are never cached; the wasm/js/css bundles are, revalidated on use.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::{self, HeaderName};

use app::server_context::{CspNonce, RuntimeConfig};

/// The policy for one response. Leptos' inline hydration script runs by
/// the response's nonce, never by `'unsafe-inline'`; wasm needs
/// `'wasm-unsafe-eval'`. No other origin is contacted, except the
/// development build's reload socket.
fn content_security_policy(nonce: &str) -> String {
    let reload = if cfg!(debug_assertions) {
        " ws://127.0.0.1:3001"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'{reload}; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// `caseport.<hash>.wasm`, `chunk_3.<hash>.wasm`: cargo-leptos' names for
/// bundles and chunks built with `hash-files`, the hash 22 characters of
/// URL-safe base64.
pub(crate) fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts.iter().rev().nth(1).is_some_and(|hash| {
            hash.len() == 22
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

pub async fn security_headers(
    State(config): State<Arc<RuntimeConfig>>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let cacheable = path.starts_with("/pkg/") || path.starts_with("/style/");
    let fingerprinted = path.starts_with("/pkg/") && is_fingerprinted(path);
    // A fresh nonce per response: the page renders it into its scripts
    // (see `http::router`), and only those scripts run.
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let fingerprinted = fingerprinted && res.status().is_success();
    let h = res.headers_mut();
    let set = |h: &mut http::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    if let Ok(csp) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    if fingerprinted {
        // A name that carries its content's hash never names other bytes:
        // the browser keeps it for a year without asking again.
        set(
            h,
            header::CACHE_CONTROL,
            "public, max-age=31536000, immutable",
        );
    } else if cacheable {
        // Files that keep one name from build to build (the stylesheets
        // main.css imports, bundles built without hashes): the browser may
        // keep a copy but must ask each time whether it still holds (a 304
        // when it does), so it never runs an old bundle against a new server.
        set(h, header::CACHE_CONTROL, "no-cache");
    } else {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    if config.secure_cookies {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

#[cfg(test)]
mod tests {
    use super::is_fingerprinted;

    #[test]
    fn only_names_carrying_a_content_hash_count_as_fingerprinted() {
        assert!(is_fingerprinted(
            "/pkg/caseport.Xk2-9_abcdefghijklmnop.wasm"
        ));
        assert!(is_fingerprinted("/pkg/caseport.Xk2-9_abcdefghijklmnop.js"));
        // The chunks of a split build and their loader.
        assert!(is_fingerprinted(
            "/pkg/chunk_12.Xk2-9_abcdefghijklmnop.wasm"
        ));
        assert!(is_fingerprinted(
            "/pkg/split_case_pages_4002872895477228348.Xk2-9_abcdefghijklmnop.wasm"
        ));
        assert!(is_fingerprinted(
            "/pkg/__wasm_split.Xk2-9_abcdefghijklmnop.js"
        ));
        assert!(!is_fingerprinted("/pkg/caseport.wasm"));
        assert!(!is_fingerprinted("/pkg/caseport_bg.wasm"));
        assert!(!is_fingerprinted("/pkg/caseport.short.css"));
        assert!(!is_fingerprinted("/pkg/caseport.Xk2-9_abcdefghijklm/op.js"));
        assert!(!is_fingerprinted("/pkg/caseport.Xk2%9_abcdefghijklmnop.js"));
    }
}
