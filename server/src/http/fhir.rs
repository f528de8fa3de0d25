//! The FHIR R4 API's HTTP side: who is asking (a bearer token or the
//! browser session), the routes, and the one place an error becomes an
//! OperationOutcome. What may be read is decided in `app::fhir`.

use axum::extract::{FromRequestParts, Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::request::Parts;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Value, json};

use app::api_tokens::service::resolve;
use app::auth::CurrentUser;
use app::auth::caller::Caller;
use app::error::AppError;
use app::fhir::bundle::operation_outcome;
use app::fhir::export::{self, ExportState};
use app::fhir::{BASE_PATH, FHIR_JSON, FHIR_NDJSON, FhirCaller, ResourceType};
use app::server_context::{ClientIp, ServerContext};

use super::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fhir/r4/metadata", get(metadata))
        .route("/fhir/r4/Group/{group}/$export", get(export_start))
        .route("/fhir/r4/$export-status/{job}", get(export_status))
        .route("/fhir/r4/$export-file/{job}/{kind}", get(export_file))
        .route("/fhir/r4/{kind}", get(search))
        .route("/fhir/r4/{kind}/{id}", get(read))
}

fn base(ctx: &ServerContext) -> String {
    format!("{}{BASE_PATH}", ctx.config.public_url.trim_end_matches('/'))
}

/// Every answer: FHIR JSON, never cached (it is health data).
fn fhir_json(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, FHIR_JSON),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The one mapping from an error to its status and OperationOutcome.
fn outcome(e: &AppError) -> Response {
    let (status, code, text) = match e {
        AppError::NotFound => (
            StatusCode::NOT_FOUND,
            "not-found",
            "No such resource, or you may not read it.".to_string(),
        ),
        AppError::Unauthorized | AppError::InvalidCredentials => (
            StatusCode::UNAUTHORIZED,
            "login",
            "Send a valid API token as Authorization: Bearer, or sign in.".to_string(),
        ),
        AppError::PasswordChangeRequired | AppError::TermsNotAccepted => (
            StatusCode::FORBIDDEN,
            "forbidden",
            "Sign in to Caseport first: your account needs your attention.".to_string(),
        ),
        AppError::Forbidden => (
            StatusCode::FORBIDDEN,
            "forbidden",
            "This token may not read that kind of resource.".to_string(),
        ),
        AppError::Validation(map) => (
            StatusCode::BAD_REQUEST,
            "invalid",
            map.values()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
        ),
        AppError::Conflict(why) => (StatusCode::CONFLICT, "conflict", why.clone()),
        AppError::TooManyRequests => (
            StatusCode::TOO_MANY_REQUESTS,
            "throttled",
            "Too many requests. Wait a moment.".to_string(),
        ),
        AppError::Busy | AppError::Unavailable(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "transient",
            "Caseport is busy. Try again shortly.".to_string(),
        ),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "exception",
            "Something went wrong on the server.".to_string(),
        ),
    };
    let mut res = fhir_json(status, &operation_outcome(code, &text));
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"caseport-fhir\""),
        );
    }
    res
}

/// Who asks: a bearer token when one is sent (and then only it), else the
/// signed-in browser session.
async fn caller(
    ctx: &ServerContext,
    headers: &HeaderMap,
    session: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
) -> Result<FhirCaller, AppError> {
    let ip = ip.map(|Extension(ip)| ip.0);
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            // The scheme's name is case-insensitive (RFC 9110).
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token)
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        return match resolve(&ctx.db, token).await? {
            Ok(holder) => Ok(FhirCaller {
                caller: Caller::new(holder.user, ip),
                scopes: Some(holder.scopes),
                token_id: Some(holder.token_id),
            }),
            Err(why) => {
                tracing::info!(?why, "API token refused");
                Err(AppError::Unauthorized)
            }
        };
    }
    match session {
        Some(Extension(u)) if u.must_change_password => Err(AppError::PasswordChangeRequired),
        Some(Extension(u)) if u.terms_pending => Err(AppError::TermsNotAccepted),
        Some(Extension(u)) => Ok(FhirCaller {
            caller: Caller::new(u, ip),
            scopes: None,
            token_id: None,
        }),
        None => Err(AppError::Unauthorized),
    }
}

/// The caller of a FHIR route, or the OperationOutcome that refuses them.
pub struct Asker(FhirCaller);

impl FromRequestParts<AppState> for Asker {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(Extension);
        let ip = parts.extensions.get::<ClientIp>().cloned().map(Extension);
        caller(&state.ctx, &parts.headers, session, ip)
            .await
            .map(Asker)
            .map_err(|e| outcome(&e))
    }
}

/// The query string as ordered pairs, decoded.
fn pairs(query: Option<String>) -> Result<Vec<(String, String)>, AppError> {
    let Some(q) = query else {
        return Ok(Vec::new());
    };
    serde_urlencoded::from_str::<Vec<(String, String)>>(&q)
        .map_err(|_| AppError::invalid("search", "The query string could not be read."))
}

fn kind_of(name: &str) -> Result<ResourceType, Box<Response>> {
    ResourceType::parse(name).ok_or_else(|| {
        Box::new(fhir_json(
            StatusCode::NOT_FOUND,
            &operation_outcome(
                "not-supported",
                &format!(
                    "Caseport does not serve the resource type \"{}\".",
                    name.chars().take(64).collect::<String>()
                ),
            ),
        ))
    })
}

async fn metadata(State(ctx): State<ServerContext>) -> Response {
    fhir_json(
        StatusCode::OK,
        &app::fhir::capability::capability_statement(&base(&ctx), env!("CARGO_PKG_VERSION")),
    )
}

fn answer(result: Result<Value, AppError>) -> Response {
    match result {
        Ok(r) => fhir_json(StatusCode::OK, &r),
        Err(e) => outcome(&e),
    }
}

async fn read(
    State(ctx): State<ServerContext>,
    Asker(fc): Asker,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    match kind_of(&kind) {
        Ok(kind) => answer(app::fhir::read::read(&ctx.db, &fc, kind, &id).await),
        Err(res) => *res,
    }
}

async fn search(
    State(ctx): State<ServerContext>,
    Asker(fc): Asker,
    Path(kind): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let kind = match kind_of(&kind) {
        Ok(k) => k,
        Err(res) => return *res,
    };
    answer(
        async {
            let query = pairs(query)?;
            app::fhir::search::search(&ctx.db, &fc, &base(&ctx), kind, &query).await
        }
        .await,
    )
}

/// The Bulk Data kick-off: 202 and where to ask how it goes. FHIR asks for
/// `Prefer: respond-async`; a link followed from another site cannot send
/// it, so a session cannot be made to start exports unawares.
async fn export_start(
    State(ctx): State<ServerContext>,
    Asker(fc): Asker,
    headers: HeaderMap,
    Path(group): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let result = async {
        let async_asked = headers
            .get("prefer")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|p| p.trim() == "respond-async"));
        if !async_asked {
            return Err(AppError::invalid("prefer", "Send Prefer: respond-async to start an export."));
        }
        for (name, value) in pairs(query)? {
            let ndjson = name == "_outputFormat"
                && matches!(value.as_str(), "application/fhir+ndjson" | "application/ndjson" | "ndjson");
            if !ndjson {
                return Err(AppError::invalid(
                    "search",
                    format!("Caseport's export takes no \"{name}\" parameter; it writes every referral as NDJSON."),
                ));
            }
        }
        let organisation = group.parse::<i32>().map_err(|_| AppError::NotFound)?;
        export::start(&ctx, &fc, organisation).await
    }
    .await;
    match result {
        Ok(job) => (
            StatusCode::ACCEPTED,
            [
                (
                    header::CONTENT_LOCATION,
                    format!("{}/$export-status/{job}", base(&ctx)),
                ),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
        )
            .into_response(),
        Err(e) => outcome(&e),
    }
}

async fn export_status(
    State(ctx): State<ServerContext>,
    Asker(fc): Asker,
    Path(job): Path<String>,
) -> Response {
    match export::state(&ctx.db, &fc, &job).await {
        Ok(ExportState::Running) => (
            StatusCode::ACCEPTED,
            [
                (
                    header::HeaderName::from_static("x-progress"),
                    "writing files",
                ),
                (header::RETRY_AFTER, "2"),
                (header::CACHE_CONTROL, "no-store"),
            ],
        )
            .into_response(),
        Ok(ExportState::Done {
            organisation_id,
            transaction_time,
            files,
        }) => {
            let base = base(&ctx);
            let manifest = json!({
                "transactionTime": transaction_time,
                "request": format!("{base}/Group/{organisation_id}/$export"),
                "requiresAccessToken": true,
                "output": files.iter().map(|(kind, count)| json!({
                    "type": kind,
                    "url": format!("{base}/$export-file/{job}/{kind}"),
                    "count": count,
                })).collect::<Vec<_>>(),
                "error": [],
            });
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                manifest.to_string(),
            )
                .into_response()
        }
        Ok(ExportState::Failed(why)) => fhir_json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &operation_outcome("exception", &why),
        ),
        Err(e) => outcome(&e),
    }
}

async fn export_file(
    State(ctx): State<ServerContext>,
    Asker(fc): Asker,
    Path((job, kind)): Path<(String, String)>,
) -> Response {
    match export::file(&ctx, &fc, &job, &kind).await {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, FHIR_NDJSON),
                (header::CACHE_CONTROL, "no-store"),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => outcome(&e),
    }
}
