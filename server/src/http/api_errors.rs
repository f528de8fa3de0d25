//! Server functions answer every error with 500 unless told otherwise.
//! Errors raised inside our code set their own status (see
//! `app::server_context::run`), but one raised by Leptos while decoding the
//! arguments never reaches our code. This layer gives those their status
//! from the typed error in the body, so malformed input is a 4xx.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::StatusCode;

use app::error::AppError;

/// Error bodies are small; anything bigger is not one of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn status_from_error_body(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let res = next.run(req).await;
    if !is_api || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}
