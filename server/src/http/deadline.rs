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
    match tokio::time::timeout(deadline, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(
                deadline_seconds = deadline.as_secs(),
                "a read did not finish in time; answered 503"
            );
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
    }
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
