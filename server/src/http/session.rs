//! Resolves the session cookie to the signed-in user once per request.

use axum::extract::{Request, State};
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

/// Requests the page makes by itself (polling, the idle countdown): they do
/// not count as activity, or an open tab would never time out.
const BACKGROUND: &[&str] = &[
    "/api/messages/unread",
    "/api/messages/inbox",
    "/api/messages/of-client",
    "/api/messages/conversation",
    "/api/notifications/list",
    "/api/auth/idle",
    "/api/auth/idle-sign-out",
];

pub async fn resolve_session(
    State(ctx): State<ServerContext>,
    mut req: Request,
    next: Next,
) -> Response {
    // The hashed wasm, js and css bundles are the same for everyone: no
    // database round trip for them. Nor for the health probes: a probe must not depend on (or extend) a
    // session.
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/healthz" || path == "/readyz" || path == "/metrics" {
        return next.run(req).await;
    }
    if let Some(token) = cookie_value(&req, ctx.config.session_cookie_name()) {
        let touch = !BACKGROUND.contains(&req.uri().path());
        match session::resolve(&ctx.db, &token, touch).await {
            Ok(Ok(user)) => {
                req.extensions_mut().insert(user);
            }
            Ok(Err(Rejected::IdleTimeout {
                session_id,
                user_id,
                organisation_id,
            })) => {
                tracing::info!("session ended by idle timeout");
                let ip = req.extensions().get::<ClientIp>().map(|ip| ip.0.clone());
                if let Err(e) =
                    session::end_idle(&ctx.db, &session_id, user_id, organisation_id, "server", ip)
                        .await
                {
                    tracing::error!(error = %e, "could not end an idle session");
                }
            }
            Ok(Err(why)) => tracing::debug!(?why, "session cookie not accepted"),
            Err(err) => tracing::error!(error = %err, "session lookup failed"),
        }
        req.extensions_mut().insert(SessionToken(token));
    }
    next.run(req).await
}
