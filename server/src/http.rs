//! The HTTP stack: Leptos pages and server functions, wrapped in the
//! session, CSRF, security-header and tracing layers.

mod api_errors;
mod bundles;
mod case_files;
pub mod client_ip;
mod csrf;
mod deadline;
mod documents;
mod exports;
mod fhir;
mod headers;
mod health;
mod input_guard;
pub mod metrics;
mod reports;
mod session;
mod styles;

use axum::Router;
use axum::extract::FromRef;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use app::server_context::ServerContext;
use app::{App, shell};

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: ServerContext,
}

/// What `Cargo.toml` tells cargo-leptos to name the site's bundles.
const OUTPUT_NAME: &str = "caseport";

/// Leptos options from cargo-leptos' environment, or defaults that match
/// `Cargo.toml` when the binary runs on its own (tests, `caseport serve`).
/// Without cargo-leptos' `LEPTOS_OUTPUT_NAME` at run time, Leptos reads an
/// empty bundle name and every page would ask for `/pkg/.js`: the pages
/// would never hydrate.
pub fn leptos_options() -> LeptosOptions {
    let mut options = get_configuration(None)
        .map(|c| c.leptos_options)
        .unwrap_or_else(|_| {
            LeptosOptions::builder()
                .output_name(OUTPUT_NAME)
                .site_root("target/site")
                .site_pkg_dir("pkg")
                .build()
        });
    if options.output_name.is_empty() {
        options.output_name = OUTPUT_NAME.into();
    }
    // cargo-leptos names the bundles by their content and lists the names
    // in a file beside the binary; Leptos reads it there. Whether it is
    // there decides, not the environment: a binary started on its own
    // (`caseport serve`, a service unit) must ask for the files that exist.
    options.hash_files = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join(&*options.hash_file)))
        .is_some_and(|path| path.is_file());
    options
}

pub fn router(
    ctx: ServerContext,
    leptos_options: LeptosOptions,
    proxies: client_ip::TrustedProxies,
) -> Router {
    let state = AppState {
        leptos_options: leptos_options.clone(),
        ctx: ctx.clone(),
    };
    let routes = generate_route_list(App);
    let context = {
        let ctx = ctx.clone();
        move || {
            provide_context(ctx.clone());
            app::server_context::provide_csp_nonce();
        }
    };
    metrics::install();
    let request_id = http::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/healthz", axum::routing::get(health::healthz))
        .route("/readyz", axum::routing::get(health::readyz))
        .route("/metrics", axum::routing::get(metrics::scrape))
        .route("/cases/export.csv", axum::routing::get(exports::cases_csv))
        .route("/activity/export.csv", axum::routing::get(exports::activity_csv))
        .route(
            "/clients/{id}/documents",
            axum::routing::post(documents::upload).layer(axum::extract::DefaultBodyLimit::max(
                ctx.storage.max_upload_bytes + 64 * 1024,
            )),
        )
        .route("/documents/{id}/download", axum::routing::get(documents::download))
        .route(
            "/cases/{id}/attachments",
            axum::routing::post(case_files::attach).layer(axum::extract::DefaultBodyLimit::max(
                ctx.storage.max_upload_bytes + 64 * 1024,
            )),
        )
        .route("/case-files/{id}", axum::routing::get(case_files::download))
        .route(
            "/settings/logo",
            axum::routing::post(documents::upload_logo)
                .layer(axum::extract::DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route("/portal/{slug}/logo", axum::routing::get(documents::logo))
        .route("/reports/{id}/download", axum::routing::get(reports::download))
        .merge(fhir::routes())
        // The bundles, served here rather than by Leptos' file handler,
        // which passes on the path alone: the browser's If-Modified-Since
        // then reaches the files and an unchanged bundle is a 304.
        .route("/style/{name}", axum::routing::get(styles::serve))
        .nest_service("/pkg", tower_http::services::ServeDir::new(bundles::folder(&leptos_options)))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), session::resolve_session))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(proxies),
            client_ip::resolve_client_ip,
        ))
        .layer(axum::middleware::from_fn(deadline::limit_reads))
        .layer(axum::middleware::from_fn(metrics::measure))
        .layer(tower_http::timeout::ResponseBodyTimeoutLayer::new(deadline::BODY_IDLE))
        .layer(axum::middleware::from_fn(input_guard::refuse_nul))
        .layer(axum::middleware::from_fn(api_errors::status_from_error_body))
        .layer(axum::middleware::from_fn(csrf::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            bundles::Precompressed::for_this_build(bundles::folder(&leptos_options)),
            bundles::serve_precompressed,
        ))
        .layer(axum::middleware::from_fn_with_state(ctx.config.clone(), headers::security_headers))
        .layer(bundles::compression())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}
