//! A deadline for every read. Leptos' server rendering can, rarely, wait
//! forever on a page whose resources have all loaded (seen about once in
//! several thousand renders of the portal's reports page; the upstream
//! issues describe the same for resources read in nested suspense). A
//! browser would then spin until it gave up, and the stalled render would
//! hold its memory for good. With a deadline the reader gets a clear
//! "reload" answer and the render is dropped.
//!
//! Only GET and HEAD: an upload of a large document on a slow line may
//! rightly take longer, and a write must not be cut off half-way.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode, header};

/// Far above any honest page (the slowest, a full case list, renders in
/// well under a second), far below a reader's patience.
pub const PAGE_DEADLINE: Duration = Duration::from_secs(30);

/// The longest a response body may go without sending anything.
pub const BODY_IDLE: Duration = Duration::from_secs(30);

pub async fn limit_reads(req: Request, next: Next) -> Response {
    within(PAGE_DEADLINE, req, next).await
}

pub async fn within(deadline: Duration, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    // Pages and data are made whole before they go: Leptos may send a
    // page's head at once and stall in its body, which the reader would
    // see as a page cut short. Files (documents, exports, bundles) stream.
    let whole = async {
        let response = next.run(req).await;
        if !is_page_or_data(&response) {
            return Ok(response);
        }
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_PAGE).await?;
        Ok::<_, axum::Error>(Response::from_parts(parts, Body::from(bytes)))
    };
    match tokio::time::timeout(deadline, whole).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            tracing::warn!(%error, "a page's body failed; answered 503");
            reload()
        }
        Err(_) => {
            tracing::warn!(
                deadline_seconds = deadline.as_secs(),
                "a read did not finish in time; answered 503"
            );
            reload()
        }
    }
}

/// The largest page or data answer held whole (far above any real one).
const MAX_PAGE: usize = 32 * 1024 * 1024;

fn is_page_or_data(response: &Response) -> bool {
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    kind.starts_with("text/html") || kind.starts_with("application/json")
}

fn reload() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::RETRY_AFTER, "1"),
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        ],
        "This page took too long to prepare. Reload it to try again.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::{get, post};
    use tower::ServiceExt;

    fn slow_router() -> Router {
        let forever = || async {
            std::future::pending::<()>().await;
            "never"
        };
        Router::new()
            .route("/page", get(forever))
            .route(
                "/upload",
                post(|| async {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    "stored"
                }),
            )
            .route("/quick", get(|| async { "quick" }))
            .route(
                "/half-page",
                get(|| async {
                    let first = futures::stream::once(async {
                        Ok::<_, std::io::Error>(bytes::Bytes::from_static(b"<html><body>"))
                    });
                    let body = Body::from_stream(futures::StreamExt::chain(
                        first,
                        futures::stream::pending(),
                    ));
                    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
                }),
            )
            .layer(axum::middleware::from_fn(|req, next| {
                within(Duration::from_millis(100), req, next)
            }))
    }

    async fn call(method: Method, path: &str) -> (StatusCode, String) {
        let response = slow_router()
            .oneshot(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .expect("body");
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_stalled_read_is_answered_with_503_and_a_reload_hint() {
        let (status, body) = call(Method::GET, "/page").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("Reload"), "{body}");
    }

    #[tokio::test]
    async fn a_page_that_stalls_half_way_is_answered_with_503_not_cut_short() {
        let (status, body) = call(Method::GET, "/half-page").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("Reload"), "{body}");
    }

    #[tokio::test]
    async fn quick_reads_and_slow_writes_are_untouched() {
        assert_eq!(
            call(Method::GET, "/quick").await,
            (StatusCode::OK, "quick".into())
        );
        assert_eq!(
            call(Method::POST, "/upload").await,
            (StatusCode::OK, "stored".into())
        );
    }
}
