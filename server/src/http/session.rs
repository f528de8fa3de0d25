//! Resolves the session cookie to the signed-in user once per request.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::COOKIE;

use app::auth::session::{self, Rejected};
use app::server_context::{ClientIp, ServerContext, SessionToken};

fn cookie_value(req: &Request, name: &str) -> Option<String> {
    req.headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        // Tokens are 64 hex characters; anything else is not ours.
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub async fn resolve_session(
    State(ctx): State<ServerContext>,
    mut req: Request,
    next: Next,
) -> Response {
    // The hashed wasm, js and css bundles are the same for everyone: no
    // database round trip for them.
    if req.uri().path().starts_with("/pkg/") {
        return next.run(req).await;
    }
    if let Some(ConnectInfo(addr)) = req.extensions().get::<ConnectInfo<SocketAddr>>().cloned() {
        req.extensions_mut().insert(ClientIp(addr.ip().to_string()));
    }
    if let Some(token) = cookie_value(&req, ctx.config.session_cookie_name()) {
        match session::resolve(&ctx.db, &token).await {
            Ok(Ok(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(Err(Rejected::IdleTimeout)) => {
                tracing::info!("session ended by idle timeout");
            }
            Ok(Err(why)) => tracing::debug!(?why, "session cookie not accepted"),
            Err(err) => tracing::error!(error = %err, "session lookup failed"),
        }
        req.extensions_mut().insert(SessionToken(token));
    }
    next.run(req).await
}
