//! CSV export of the case list: a plain GET link, so the browser downloads
//! it as a file. Same scoping as the list, through the same service.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

use app::activity::service::{Entry, record};
use app::activity::{ActivityAction, Subject};
use app::auth::CurrentUser;
use app::auth::caller::Caller;
use app::cases::filters::CaseFilter;
use app::server_context::{ClientIp, ServerContext};

pub async fn cases_csv(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(Extension(user)) = user.filter(|u| !u.must_change_password) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let filter = CaseFilter::from_pairs(|k| params.get(k).cloned());
    let actor = user.actor();
    let (csv, rows) = match app::cases::service::export_csv(&ctx.db, &actor, &filter).await {
        Ok(out) => out,
        Err(e) => return (e.status_code(), e.to_string()).into_response(),
    };
    // Exports of health data are logged like any other disclosure.
    let entry = Entry::new(ActivityAction::CaseExported, Subject::CaseList)
        .by(actor.user_id, actor.organisation_id)
        .detail(serde_json::json!({ "rows": rows, "filter": filter.to_query_string() }))
        .from_ip(ip.map(|Extension(ip)| ip.0));
    let logged = async {
        let txn = app::db::begin_write(&ctx.db).await?;
        record(&txn, entry).await?;
        txn.commit().await
    };
    if let Err(e) = logged.await {
        tracing::error!(error = %e, "could not log export");
        return (StatusCode::INTERNAL_SERVER_ERROR, "Export failed.").into_response();
    }
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"cases.csv\""),
    );
    (headers, csv).into_response()
}

/// The activity log as CSV, with the page's filters (admins only).
pub async fn activity_csv(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(Extension(user)) = user.filter(|u| !u.must_change_password) else {
        return (StatusCode::UNAUTHORIZED, "Please sign in.").into_response();
    };
    let caller = Caller::new(user, ip.map(|Extension(ip)| ip.0));
    let param = |k: &str| params.get(k).cloned().unwrap_or_default();
    let filter = app::activity::log::LogFilter {
        action: param("action"),
        text: param("q"),
        from: param("from"),
        to: param("to"),
    };
    match app::activity::log::service::export_csv(&ctx.db, &caller, &filter).await {
        Ok((csv, _)) => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"activity.csv\""),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            (headers, csv).into_response()
        }
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}
