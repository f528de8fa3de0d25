//! Document and logo bytes: multipart uploads in, attachments out. Plain
//! routes (forms work without JavaScript); the rules are in the app's
//! services.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;

use app::agency::documents::service::{self as documents, Upload};
use app::auth::CurrentUser;
use app::auth::caller::Caller;
use app::error::AppError;
use app::server_context::{ClientIp, ServerContext};
use app::storage::{FileKind, attachment_header, sniff};

/// The signed-in user who may use the app, if any (a pending password change
/// or unaccepted terms of use block everything else).
pub(super) fn signed_in(user: Option<Extension<CurrentUser>>) -> Option<CurrentUser> {
    match user {
        Some(Extension(u)) if !u.must_change_password && !u.terms_pending => Some(u),
        _ => None,
    }
}

pub(super) fn please_sign_in() -> Response {
    (StatusCode::UNAUTHORIZED, "Please sign in.").into_response()
}

pub(super) fn problem(e: &AppError) -> String {
    match e {
        AppError::Validation(map) => map
            .values()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

/// The form fields of an upload, read up to the size limit.
pub(super) struct Form {
    pub(super) file_name: String,
    pub(super) bytes: Bytes,
    pub(super) fields: Vec<(String, String)>,
}

pub(super) async fn read_form(
    mut multipart: Multipart,
    file_field: &str,
) -> Result<Form, AppError> {
    let bad = |_| AppError::invalid("file", "The upload could not be read. Try again.");
    let mut form = Form {
        file_name: String::new(),
        bytes: Bytes::new(),
        fields: Vec::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == file_field {
            form.file_name = field.file_name().unwrap_or_default().to_string();
            form.bytes = field.bytes().await.map_err(|_| {
                AppError::invalid("file", "The file is too large or the upload broke off.")
            })?;
        } else {
            let value = field.text().await.map_err(bad)?;
            form.fields.push((name, value.chars().take(100).collect()));
        }
    }
    Ok(form)
}

pub async fn upload(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Path(client_id): Path<i32>,
    multipart: Multipart,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user.clone(), ip.map(|Extension(ip)| ip.0));
    let back = |q: String| Redirect::to(&format!("/clients/{client_id}?{q}")).into_response();
    let result = async {
        let form = read_form(multipart, "file").await?;
        let field = |k: &str| {
            form.fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
        };
        let category_id = field("category_id")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| AppError::invalid("category", "Choose a category."))?;
        documents::upload(
            &ctx,
            &caller,
            Upload {
                client_id,
                file_name: form.file_name.clone(),
                bytes: form.bytes.clone(),
                category_id,
                shared: field("shared").is_some(),
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => back("uploaded=1".into()),
        Err(e @ (AppError::NotFound | AppError::Forbidden)) => {
            (e.status_code(), e.to_string()).into_response()
        }
        Err(AppError::Internal) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Internal.to_string(),
        )
            .into_response(),
        // The field lets the page tie the message to its input.
        Err(e) => {
            let field = match &e {
                AppError::Validation(map) => map.keys().next().cloned().unwrap_or_default(),
                _ => String::new(),
            };
            back(format!(
                "upload_error={}&upload_field={}",
                encode(&problem(&e)),
                encode(&field)
            ))
        }
    }
}

pub(super) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub async fn download(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    Path(document_id): Path<i32>,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user.clone(), ip.map(|Extension(ip)| ip.0));
    match documents::download(&ctx, &caller, document_id).await {
        Ok((name, content_type, bytes)) => file_response(&name, &content_type, bytes),
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}

/// A stored file as a download: never shown inline, never cached.
pub(super) fn file_response(name: &str, content_type: &str, bytes: Bytes) -> Response {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&attachment_header(name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (headers, bytes).into_response()
}

pub async fn upload_logo(
    State(ctx): State<ServerContext>,
    user: Option<Extension<CurrentUser>>,
    ip: Option<Extension<ClientIp>>,
    multipart: Multipart,
) -> Response {
    let Some(user) = signed_in(user) else {
        return please_sign_in();
    };
    let caller = Caller::new(user.clone(), ip.map(|Extension(ip)| ip.0));
    let result = async {
        let form = read_form(multipart, "logo").await?;
        if form.bytes.len() > 1024 * 1024 {
            return Err(AppError::invalid("logo", "The logo may be at most 1 MiB."));
        }
        // Raster images only: an SVG could carry script.
        let kind = match sniff(&form.bytes) {
            Some(k @ (FileKind::Png | FileKind::Jpeg)) => k,
            _ => return Err(AppError::invalid("logo", "Upload the logo as PNG or JPEG.")),
        };
        // Checked before storing anything: only the agency's admins.
        app::auth::policy::can(
            &caller,
            app::auth::policy::Action::Administer,
            &app::auth::policy::Resource::Organisation {
                id: user.organisation_id,
            },
        )?;
        let key = ctx.storage.put(form.bytes).await?;
        match app::agency::settings::service::set_logo(
            &ctx.db,
            &caller,
            key.clone(),
            kind.content_type(),
        )
        .await
        {
            Ok(Some(old)) => ctx.storage.delete(&old).await,
            Ok(None) => {}
            Err(e) => {
                ctx.storage.delete(&key).await;
                return Err(e);
            }
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/settings").into_response(),
        Err(e) => (e.status_code(), problem(&e)).into_response(),
    }
}

pub async fn logo(State(ctx): State<ServerContext>, Path(slug): Path<String>) -> Response {
    let found = async {
        let (key, ct) = app::agency::settings::service::logo(&ctx.db, &slug).await?;
        Ok::<_, AppError>((ct, ctx.storage.get(&key).await?))
    }
    .await;
    match found {
        Ok((ct, bytes)) => {
            let mut headers = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(&ct) {
                headers.insert(header::CONTENT_TYPE, v);
            }
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=300"),
            );
            (headers, bytes).into_response()
        }
        Err(e) => (e.status_code(), e.to_string()).into_response(),
    }
}
