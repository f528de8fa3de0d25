//! Refuses server-function calls whose arguments hold a NUL character.
//! PostgreSQL cannot store one in text and SQLite truncates at it, so such
//! input would fail deep in a query as a 500; no form ever sends one. One
//! check here covers every server function, for the query string and the
//! body alike (raw, percent-encoded, or as a JSON escape).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use app::error::AppError;

/// Server-function bodies are small; the same limit as axum's default.
const MAX_BODY: usize = 2 * 1024 * 1024;

fn holds_nul(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    bytes.contains(&0)
        || lower.windows(3).any(|w| w == b"%00")
        || lower.windows(6).any(|w| w == b"\\u0000")
}

fn refuse() -> Response {
    let err = AppError::invalid("input", "Text may not contain NUL characters.");
    (err.status_code(), axum::Json(err)).into_response()
}

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    if req.uri().query().is_some_and(|q| holds_nul(q.as_bytes())) {
        return refuse();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        let err = AppError::invalid("input", "The request is too large.");
        return (http::StatusCode::PAYLOAD_TOO_LARGE, axum::Json(err)).into_response();
    };
    if holds_nul(&bytes) {
        return refuse();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

#[cfg(test)]
mod tests {
    use super::holds_nul;

    #[test]
    fn nul_is_found_however_it_is_written() {
        assert!(holds_nul(b"a=\0"));
        assert!(holds_nul(b"a=%00&b=1"));
        assert!(holds_nul(br#"{"a":"x\u0000"}"#));
        assert!(!holds_nul(b"a=%0A&b=100"));
        assert!(!holds_nul(br#"{"a":"\u00e9"}"#));
    }
}
