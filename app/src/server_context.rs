//! What every server function and SSR page reaches for on the server: the
//! database, the signed-in user, the client's address, and [`run`], which
//! maps a failed call to its HTTP status in one place.

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use sea_orm::DatabaseConnection;

use crate::auth::CurrentUser;
use crate::auth::caller::Caller;
use crate::error::AppError;

/// Shared state handed to Leptos as context for each request.
#[derive(Clone)]
pub struct ServerContext {
    pub db: DatabaseConnection,
    pub config: Arc<RuntimeConfig>,
    pub mailer: Arc<dyn crate::mail::Mailer>,
    pub storage: crate::storage::Storage,
}

/// The part of the server's settings the app itself needs.
#[derive(Clone, Debug)]
pub struct RuntimeConfig {
    /// Served over https: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// Hard limit on a session's age, whatever its activity.
    pub session_absolute_hours: i64,
    /// The address people reach Caseport at, for links in e-mails
    /// (`https://caseport.example.org`, no trailing slash).
    pub public_url: String,
    /// SHA-256 (hex) of the token that `/metrics` asks for, when one is set;
    /// without one it answers only on the machine itself. Only the digest
    /// is kept, so the settings can be printed.
    pub metrics_token_sha256: Option<String>,
}

impl RuntimeConfig {
    pub fn session_cookie_name(&self) -> &'static str {
        if self.secure_cookies {
            "__Host-caseport_session"
        } else {
            "caseport_session"
        }
    }
}

/// The client's address, put in request extensions by the server.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// This response's Content-Security-Policy nonce, put in request extensions
/// by the server; the page gives it to Leptos, which writes it on its
/// inline scripts.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Hands this request's CSP nonce to Leptos (call it in the per-request
/// context, after Leptos has made its own).
pub fn provide_csp_nonce() {
    if let Some(nonce) = request_parts().and_then(|p| p.extensions.get::<CspNonce>().cloned()) {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The raw session token from the cookie, if any (for logout and rotation).
#[derive(Clone, Debug)]
pub struct SessionToken(pub String);

pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from Leptos context");
        AppError::Internal
    })
}

fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in user, or `Unauthorized`; `PasswordChangeRequired` while
/// they still have the initial password an admin set.
pub fn require_user() -> Result<CurrentUser, AppError> {
    let user = require_user_before_terms()?;
    if user.terms_pending {
        return Err(AppError::TermsNotAccepted);
    }
    Ok(user)
}

/// The signed-in user, even a case manager who has not accepted the terms
/// of use yet (for reading and accepting them).
pub fn require_user_before_terms() -> Result<CurrentUser, AppError> {
    let user = require_user_changing_password()?;
    if user.must_change_password {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(user)
}

/// The signed-in user, even one who must change their password first (for
/// the password change itself, sign-out and "who am I").
pub fn require_user_changing_password() -> Result<CurrentUser, AppError> {
    current_user().ok_or(AppError::Unauthorized)
}

/// The signed-in user, if any.
pub fn current_user() -> Option<CurrentUser> {
    request_parts().and_then(|p| p.extensions.get::<CurrentUser>().cloned())
}

pub fn client_ip() -> Option<String> {
    request_parts().and_then(|p| p.extensions.get::<ClientIp>().map(|ip| ip.0.clone()))
}

pub fn session_token() -> Option<String> {
    request_parts().and_then(|p| p.extensions.get::<SessionToken>().map(|t| t.0.clone()))
}

pub fn user_agent() -> Option<String> {
    request_parts().and_then(|p| {
        p.headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect())
    })
}

/// Runs a server function's body and, if it fails, sets the response status
/// from the error. Every server function goes through here.
pub async fn run<T>(body: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    let result = body.await;
    if let Err(err) = &result {
        set_status(err.status_code());
        if *err == AppError::Busy {
            set_header(http::header::RETRY_AFTER, "5");
        }
    }
    result
}

/// A server function for a signed-in user who has accepted any pending
/// terms: `body` gets the server's context and the [`Caller`]; a failure
/// sets the response status ([`run`]). Every signed-in server function
/// opens with this one line.
pub async fn signed_in<T>(
    body: impl AsyncFnOnce(&ServerContext, &Caller) -> Result<T, AppError>,
) -> Result<T, AppError> {
    run(async move {
        let ctx = server_context()?;
        let caller = Caller::new(require_user()?, client_ip());
        body(&ctx, &caller).await
    })
    .await
}

/// As [`signed_in`], for a case manager who has not accepted the terms of
/// use yet (reading and accepting them).
pub async fn signed_in_before_terms<T>(
    body: impl AsyncFnOnce(&ServerContext, &Caller) -> Result<T, AppError>,
) -> Result<T, AppError> {
    run(async move {
        let ctx = server_context()?;
        let caller = Caller::new(require_user_before_terms()?, client_ip());
        body(&ctx, &caller).await
    })
    .await
}

/// As [`signed_in`], even for a user who must choose a new password first
/// (the password change itself, sign-out, "who am I").
pub async fn signed_in_changing_password<T>(
    body: impl AsyncFnOnce(&ServerContext, &Caller) -> Result<T, AppError>,
) -> Result<T, AppError> {
    run(async move {
        let ctx = server_context()?;
        let caller = Caller::new(require_user_changing_password()?, client_ip());
        body(&ctx, &caller).await
    })
    .await
}

/// A server function anyone may call (sign-in, password reset, an
/// invitation): `body` gets the context and the client's address.
pub async fn anyone<T>(
    body: impl AsyncFnOnce(&ServerContext, Option<String>) -> Result<T, AppError>,
) -> Result<T, AppError> {
    run(async move {
        let ctx = server_context()?;
        body(&ctx, client_ip()).await
    })
    .await
}

/// After a plain HTML form's post (no script ran: the browser posted and
/// waits for a page), sends the browser on to `path`. A post from the
/// page's script gets its answer as usual and goes on by itself.
pub fn redirect_plain_form_post(path: &str) {
    let plain = request_parts().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    });
    if plain {
        set_status(http::StatusCode::SEE_OTHER);
        set_header(http::header::LOCATION, path);
    }
}

pub fn set_status(status: http::StatusCode) {
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.set_status(status);
    }
}

pub fn set_header(name: http::HeaderName, value: &str) {
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(value),
    ) {
        options.append_header(name, value);
    }
}
