//! The site's wasm, JavaScript and CSS bundles on the wire: compressed
//! (brotli, else gzip, as the browser accepts), which takes the wasm from
//! about 3.6 MB to about a third of that. Pages and data are left as they
//! are: compressing a response that mixes secrets with text an attacker
//! can reflect into it leaks the secrets through its length (BREACH), and
//! they are small anyway. They are served with `Cache-Control: no-cache`
//! and `Last-Modified` (see `headers`), so a browser that holds the
//! current bundle gets a 304 and nothing else.
//!
//! A bundle whose name carries its hash never changes, so it is compressed
//! once, as small as brotli and gzip can make it ([`Precompressed`]): the
//! first request for it is compressed on the fly (quickly, less tightly)
//! while the tight copy is made in the background, and every later request
//! gets that copy. The main wasm is about 12 % smaller so than on the fly.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::{Extensions, HeaderMap, HeaderValue, StatusCode, Version, header};
use tower_http::compression::{CompressionLayer, CompressionLevel};

use super::headers::is_fingerprinted;

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

/// A bundle, compressed both ways.
struct Encoded {
    kind: &'static str,
    br: Bytes,
    gzip: Bytes,
}

/// The fingerprinted bundles of one folder, each compressed once. A name
/// maps to `None` while its copy is being made.
#[derive(Clone)]
pub struct Precompressed {
    folder: Arc<PathBuf>,
    files: Arc<RwLock<HashMap<String, Option<Arc<Encoded>>>>>,
}

impl Precompressed {
    pub fn new(folder: PathBuf) -> Self {
        Self {
            folder: Arc::new(folder),
            files: Arc::default(),
        }
    }

    /// The tight copies for this build of the server, if it makes them.
    /// A debug build does not: its bundles are unoptimised (about 28 MB of
    /// wasm), and squeezing them at brotli's tightest level with an
    /// unoptimised compressor takes minutes of a core, which a developer
    /// or a test run on a small machine would feel as a slow server.
    pub fn for_this_build(folder: PathBuf) -> Option<Self> {
        (!cfg!(debug_assertions)).then(|| Self::new(folder))
    }

    /// The tight copy of `name`, or `None` after starting to make it.
    fn get_or_start(&self, name: &str, kind: &'static str) -> Option<Arc<Encoded>> {
        if let Ok(files) = self.files.read()
            && let Some(entry) = files.get(name)
        {
            return entry.clone();
        }
        let Ok(mut files) = self.files.write() else {
            return None;
        };
        if files.contains_key(name) {
            return None;
        }
        files.insert(name.to_string(), None);
        drop(files);
        let (this, name) = (self.clone(), name.to_string());
        tokio::task::spawn_blocking(move || {
            let encoded = std::fs::read(this.folder.join(&name))
                .ok()
                .and_then(|raw| compress(kind, &raw));
            if let Ok(mut files) = this.files.write() {
                match encoded {
                    Some(encoded) => {
                        files.insert(name, Some(Arc::new(encoded)));
                    }
                    // A file that cannot be read stays with the
                    // on-the-fly path; a later request tries again.
                    None => {
                        files.remove(&name);
                    }
                }
            }
        });
        None
    }
}

fn compress(kind: &'static str, raw: &[u8]) -> Option<Encoded> {
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
        writer.write_all(raw).ok()?;
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(raw).ok()?;
    Some(Encoded {
        kind,
        br: br.into(),
        gzip: gzip.finish().ok()?.into(),
    })
}

/// The content type of a bundle the tight copies cover.
fn kind_of(name: &str) -> Option<&'static str> {
    match name.rsplit('.').next()? {
        "wasm" => Some("application/wasm"),
        "js" => Some("text/javascript"),
        "css" => Some("text/css"),
        _ => None,
    }
}

/// Whether `Accept-Encoding` takes `coding` (listed, and not with q=0).
fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            parts.next().is_some_and(|c| c.eq_ignore_ascii_case(coding))
                && !parts.any(|p| {
                    p.strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                        .is_some_and(|q| q == 0.0)
                })
        })
}

/// Answers a GET for a fingerprinted bundle from its tight copy, when
/// there is one and the browser takes brotli or gzip.
pub async fn serve_precompressed(
    State(bundles): State<Option<Precompressed>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(bundles) = bundles else {
        return next.run(req).await;
    };
    let name = req
        .uri()
        .path()
        .strip_prefix("/pkg/")
        .filter(|name| !name.contains('/') && is_fingerprinted(name));
    let (Some(name), Some(kind), true) = (
        name,
        name.and_then(kind_of),
        req.method() == http::Method::GET,
    ) else {
        return next.run(req).await;
    };
    let (use_br, use_gzip) = (accepts(req.headers(), "br"), accepts(req.headers(), "gzip"));
    if !use_br && !use_gzip {
        return next.run(req).await;
    }
    let Some(encoded) = bundles.get_or_start(name, kind) else {
        return next.run(req).await;
    };
    let (coding, body) = if use_br {
        ("br", encoded.br.clone())
    } else {
        ("gzip", encoded.gzip.clone())
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(encoded.kind)),
            (header::CONTENT_ENCODING, HeaderValue::from_static(coding)),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ],
        Body::from(body),
    )
        .into_response()
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
        let (encoding, body) = request(&router(), path, accept).await;
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

    async fn request(app: &Router, path: &str, accept: &str) -> (Option<String>, Bytes) {
        let response = app
            .clone()
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
        (encoding, body)
    }

    fn unbrotli(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli");
        out
    }

    fn ungzip(body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out)
            .expect("gzip");
        out
    }

    #[tokio::test]
    async fn a_hashed_bundle_is_compressed_tightly_once_and_then_served_from_that_copy() {
        let dir = tempfile::tempdir().expect("temp dir");
        let hashed = "chunk_3.Xk2-9_abcdefghijklmnop.wasm";
        std::fs::write(dir.path().join(hashed), bundle()).expect("write");
        std::fs::write(dir.path().join("caseport.wasm"), bundle()).expect("write");
        let bundles = Precompressed::new(dir.path().to_path_buf());
        let app = Router::new()
            .nest_service("/pkg", tower_http::services::ServeDir::new(dir.path()))
            .layer(axum::middleware::from_fn_with_state(
                Some(bundles.clone()),
                serve_precompressed,
            ))
            .layer(compression());
        let path = format!("/pkg/{hashed}");

        // The first request is compressed on the fly while the copy is made.
        let (encoding, on_the_fly) = request(&app, &path, "gzip, br").await;
        assert_eq!(encoding.as_deref(), Some("br"));
        assert_eq!(unbrotli(&on_the_fly), bundle());
        for _ in 0..500 {
            if bundles
                .files
                .read()
                .expect("lock")
                .get(hashed)
                .is_some_and(Option::is_some)
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }

        let (encoding, tight) = request(&app, &path, "gzip, deflate, br").await;
        assert_eq!(encoding.as_deref(), Some("br"));
        assert_eq!(unbrotli(&tight), bundle());
        let copy = bundles.files.read().expect("lock")[hashed]
            .clone()
            .expect("made");
        assert_eq!(tight, copy.br, "served from the copy");
        assert!(
            tight.len() <= on_the_fly.len(),
            "{} vs {}",
            tight.len(),
            on_the_fly.len()
        );
        let (encoding, body) = request(&app, &path, "gzip;q=1, br;q=0").await;
        assert_eq!(encoding.as_deref(), Some("gzip"));
        assert_eq!(ungzip(&body), bundle());
        let (encoding, body) = request(&app, &path, "identity").await;
        assert_eq!((encoding, body.len()), (None, bundle().len()));

        // A name without a hash may change: never kept.
        let (encoding, _) = request(&app, "/pkg/caseport.wasm", "br").await;
        assert_eq!(encoding.as_deref(), Some("br"));
        assert!(
            !bundles
                .files
                .read()
                .expect("lock")
                .contains_key("caseport.wasm")
        );
    }
}
