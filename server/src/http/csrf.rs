//! Leptos server functions do no CSRF checking of their own. Browsers mark
//! every request with `Sec-Fetch-Site` (and cross-origin ones with
//! `Origin`); a state-changing request that a browser says came from
//! another site is refused here, before any handler runs.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// True when the browser tells us the request came from elsewhere.
fn is_cross_site(req: &Request) -> bool {
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        // "none" is the user typing a URL or using a bookmark.
        return !matches!(site, "same-origin" | "none");
    }
    // Older browsers: compare Origin with Host.
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok());
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or(origin);
            origin_host != host
        }
        (Some(_), None) => true,
        // No browser signal at all: not a browser, so not a CSRF vector.
        (None, _) => false,
    }
}

pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if !is_safe(req.method()) && is_cross_site(&req) {
        tracing::warn!(path = %req.uri().path(), "refused cross-site request");
        return (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response();
    }
    next.run(req).await
}
