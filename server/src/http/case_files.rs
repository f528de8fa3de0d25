//! Files attached to cases: a multipart upload in (a plain form, so it
//! works before the page hydrates), the bytes out. The rules are in
//! `app::cases::service::conversation`.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use app::auth::CurrentUser;
use app::auth::caller::Caller;
use app::cases::service::conversation::{self, NewAttachment};
use app::error::AppError;
use app::server_context::{ClientIp, ServerContext};

use super::documents::{encode, file_response, please_sign_in, problem, read_form, signed_in};

/// Attaches the posted file and goes back to the case, with `attached` or
/// `attach_error` in the query for the page to announce.
pub async fn attach(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Path(case_id): Path<i32>,
    multipart: Multipart,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user, ip.map(|Extension(ip)| ip.0));
    let result = async {
        let form = read_form(multipart, "file").await?;
        conversation::attach(
            &ctx,
            &caller,
            NewAttachment {
                case_id,
                file_name: form.file_name,
                bytes: form.bytes,
            },
        )
        .await
    }
    .await;
    let back = |q: String| Redirect::to(&format!("/cases/{case_id}?{q}")).into_response();
    match result {
        Ok(_) => back("attached=1".into()),
        Err(e @ AppError::Validation(_)) => back(format!("attach_error={}", encode(&problem(&e)))),
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}

pub async fn download(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Path(attachment_id): Path<i32>,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user, ip.map(|Extension(ip)| ip.0));
    match conversation::download(&ctx, &caller, attachment_id).await {
        Ok((name, content_type, bytes)) => file_response(&name, &content_type, bytes),
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}
