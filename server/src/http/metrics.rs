//! Prometheus metrics at `/metrics`: every request counted and timed by
//! route template and status, plus what the app counts (failed and
//! throttled sign-ins, scheduled report runs, mail attempts; see
//! `app::counters`) and two gauges read at scrape time, the database pool
//! and the mail outbox backlog.
//!
//! Routes are labelled by template (`/cases/{id}`, a server function's
//! path), never by the path asked for: ids would make a series per record,
//! and an unknown path per probe of a scanner.

use std::collections::HashSet;
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{StatusCode, header};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter};
use sha2::{Digest, Sha256};

use app::entities::mail_outbox;
use app::server_context::{ClientIp, ServerContext};

const DURATION: &str = "caseport_http_request_duration_seconds";

/// The process's one recorder (the `metrics` facade has one global slot;
/// a test process builds many routers and shares it).
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(DURATION.to_string()),
                &[
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
                ],
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics stays empty");
        }
        handle
    })
}

/// Installs the recorder; call before serving.
pub fn install() {
    let _ = handle();
}

/// The SHA-256 (hex) of a token, as the settings keep it.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn server_functions() -> &'static HashSet<&'static str> {
    static PATHS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    PATHS.get_or_init(|| {
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, _)| path)
            .collect()
    })
}

/// The route's template, a server function's path, or "unmatched".
fn route_label(req: &Request) -> String {
    let path = req.uri().path();
    match req.extensions().get::<MatchedPath>() {
        Some(m) if !m.as_str().contains('*') => m.as_str().to_string(),
        _ if server_functions().contains(path) => path.to_string(),
        _ => "unmatched".to_string(),
    }
}

/// Counts and times every request.
pub async fn measure(req: Request, next: Next) -> Response {
    let route = route_label(&req);
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(
        "caseport_http_requests_total",
        "route" => route.clone(),
        "method" => method.clone(),
        "status" => status
    )
    .increment(1);
    metrics::histogram!(DURATION, "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// May this request read the metrics? With a token set, it must carry it
/// (`Authorization: Bearer …`); without one, it must come from this machine.
fn allowed(ctx: &ServerContext, req: &Request) -> bool {
    match &ctx.config.metrics_token_sha256 {
        Some(expected) => req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|token| {
                // Digests of equal length: comparing them reveals nothing
                // useful about the token through timing.
                digest(token.trim()).as_bytes() == expected.as_bytes()
            }),
        None => req
            .extensions()
            .get::<ClientIp>()
            .and_then(|ip| ip.0.parse::<std::net::IpAddr>().ok())
            .is_some_and(|ip| ip.is_loopback()),
    }
}

/// `GET /metrics`: the Prometheus text format.
pub async fn scrape(State(ctx): State<ServerContext>, req: Request) -> Response {
    if !allowed(&ctx, &req) {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    record_gauges(&ctx).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
        .into_response()
}

/// The gauges that are a reading, not an event: taken at each scrape.
async fn record_gauges(ctx: &ServerContext) {
    let (size, idle) = match ctx.db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = ctx.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = ctx.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("caseport_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    metrics::gauge!("caseport_db_pool_connections", "state" => "idle").set(f64::from(idle));
    let backlog = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::FailedAt.is_null())
        .count(&ctx.db)
        .await;
    match backlog {
        Ok(n) => metrics::gauge!("caseport_mail_outbox_backlog").set(n as f64),
        Err(e) => tracing::warn!(error = %e, "could not count the mail outbox"),
    }
}
