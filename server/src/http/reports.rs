//! Report downloads: a plain GET link per format, so the browser saves the
//! file. Who may open which report is decided in the reports service.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

use app::auth::CurrentUser;
use app::auth::caller::Caller;
use app::reports::service::{self as reports, Format};
use app::server_context::{ClientIp, ServerContext};
use app::storage::attachment_header;

use super::documents::{please_sign_in, signed_in};

pub async fn download(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Path(report_id): Path<i32>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user.clone(), ip.map(|Extension(ip)| ip.0));
    let format = match params.get("format").map(String::as_str) {
        Some("pdf") | None => Format::Pdf,
        Some("csv") => Format::Csv,
        Some(_) => {
            return (StatusCode::BAD_REQUEST, "Choose the PDF or the CSV format.").into_response();
        }
    };
    match reports::open(&ctx.db, &caller, report_id, format).await {
        Ok(file) => {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            if let Ok(v) = HeaderValue::from_str(&attachment_header(&file.file_name)) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            (headers, file.bytes).into_response()
        }
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}
