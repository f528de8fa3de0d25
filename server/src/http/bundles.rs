//! The site's wasm, JavaScript and CSS bundles on the wire: compressed
//! (brotli, else gzip, as the browser accepts), which takes the wasm from
//! about 3.6 MB to about a third of that. Pages and data are left as they
//! are: compressing a response that mixes secrets with text an attacker
//! can reflect into it leaks the secrets through its length (BREACH), and
//! they are small anyway. They are served with `Cache-Control: no-cache`
//! and `Last-Modified` (see `headers`), so a browser that holds the
//! current bundle gets a 304 and nothing else.

use http::{Extensions, HeaderMap, StatusCode, Version, header};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Whether a response is a bundle worth compressing.
fn is_bundle(status: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    status.is_success()
        && (kind.starts_with("application/wasm")
            || kind.starts_with("text/javascript")
            || kind.starts_with("application/javascript")
            || kind.starts_with("text/css"))
}

/// The folder cargo-leptos writes the bundles to.
pub fn folder(options: &leptos::prelude::LeptosOptions) -> std::path::PathBuf {
    std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir)
}

type Rule = fn(StatusCode, Version, &HeaderMap, &Extensions) -> bool;

/// The compression layer for the router.
pub fn compression() -> CompressionLayer<Rule> {
    CompressionLayer::new()
        .br(true)
        .gzip(true)
        // Brotli's default here is its slowest setting; this one keeps a
        // first load of the wasm quick to produce and nearly as small.
        .quality(CompressionLevel::Precise(5))
        .compress_when(is_bundle as Rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::extract::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    /// Stands in for the wasm: repetitive, as code is, and large.
    fn bundle() -> Vec<u8> {
        (0..200_000u32)
            .flat_map(|n| (n % 251).to_le_bytes())
            .collect()
    }

    fn router() -> Router {
        Router::new()
            .route(
                "/pkg/caseport.wasm",
                get(|| async { ([(header::CONTENT_TYPE, "application/wasm")], bundle()) }),
            )
            .route(
                "/page",
                get(|| async {
                    (
                        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                        "<p>case</p>".repeat(500),
                    )
                }),
            )
            .layer(compression())
    }

    async fn fetch(path: &str, accept: &str) -> (Option<String>, usize) {
        let response = router()
            .oneshot(
                Request::get(path)
                    .header(header::ACCEPT_ENCODING, accept)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        let encoding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        (encoding, body.len())
    }

    #[tokio::test]
    async fn bundles_travel_compressed_in_the_best_encoding_the_browser_takes() {
        let raw = bundle().len();
        let (encoding, size) = fetch("/pkg/caseport.wasm", "gzip, deflate, br").await;
        assert_eq!(encoding.as_deref(), Some("br"));
        assert!(size * 4 < raw, "{size} of {raw}");
        let (encoding, size) = fetch("/pkg/caseport.wasm", "gzip").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert!(size * 4 < raw, "{size} of {raw}");
        assert_eq!(fetch("/pkg/caseport.wasm", "identity").await, (None, raw));
    }

    #[tokio::test]
    async fn pages_are_never_compressed() {
        let (encoding, size) = fetch("/page", "gzip, br").await;
        assert_eq!(encoding, None);
        assert_eq!(size, "<p>case</p>".len() * 500);
    }
}
