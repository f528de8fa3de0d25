//! Probes for load balancers and orchestrators: `/healthz` says the
//! process answers; `/readyz` says this instance can serve (the database
//! answers, its schema is current, the document storage is reachable).
//! Neither needs a session, and neither touches one.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use migration::{Migrator, MigratorTrait};
use serde::Serialize;

use app::server_context::ServerContext;

pub async fn healthz() -> &'static str {
    "ok"
}

#[derive(Serialize)]
struct Readiness {
    database: &'static str,
    migrations: &'static str,
    storage: &'static str,
}

/// Each check is bounded, so a hung dependency reads "timeout", not a hung
/// probe.
pub async fn readyz(State(ctx): State<ServerContext>) -> Response {
    let within = std::time::Duration::from_secs(5);
    let database = match tokio::time::timeout(within, ctx.db.ping()).await {
        Ok(Ok(())) => "ok",
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database");
            "unreachable"
        }
        Err(_) => "timeout",
    };
    let migrations = if database != "ok" {
        "unknown"
    } else {
        match tokio::time::timeout(within, Migrator::get_pending_migrations(&ctx.db)).await {
            Ok(Ok(pending)) if pending.is_empty() => "ok",
            Ok(Ok(_)) => "pending",
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: migrations");
                "unknown"
            }
            Err(_) => "timeout",
        }
    };
    let storage = match tokio::time::timeout(within, ctx.storage.check()).await {
        Ok(Ok(())) => "ok",
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: storage");
            "unreachable"
        }
        Err(_) => "timeout",
    };
    let ready = [database, migrations, storage].iter().all(|s| *s == "ok");
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Readiness {
            database,
            migrations,
            storage,
        }),
    )
        .into_response()
}
