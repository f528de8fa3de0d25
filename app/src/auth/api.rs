//! Sign-in, sign-out and "who am I": the typed API both sides share.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Role;
use crate::error::AppError;
use crate::orgs::OrgKind;

/// What the UI knows about the signed-in user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: i32,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub organisation_name: String,
    pub organisation_kind: OrgKind,
    pub must_change_password: bool,
    /// The organisation's slug: a case manager's portal is `/portal/<slug>`.
    pub organisation_slug: String,
    /// A case manager who has not accepted the current terms of use.
    pub terms_pending: bool,
    /// The organisation's idle timeout.
    pub idle_timeout_minutes: i32,
}

#[cfg(feature = "ssr")]
impl From<&crate::auth::CurrentUser> for Me {
    fn from(u: &crate::auth::CurrentUser) -> Self {
        Me {
            user_id: u.user_id,
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            role: u.role,
            organisation_name: u.organisation_name.clone(),
            organisation_kind: u.organisation_kind,
            must_change_password: u.must_change_password,
            organisation_slug: u.organisation_slug.clone(),
            terms_pending: u.terms_pending,
            idle_timeout_minutes: u.idle_timeout_minutes,
        }
    }
}

/// Where signing in stands after the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginStep {
    /// Signed in: the session cookie is set.
    SignedIn,
    /// Two-factor is on: send a code with this challenge to [`login_code`].
    CodeNeeded { challenge: String },
    /// The organisation requires two-factor and the user has none: set up
    /// the app now, then send its first code to [`login_code`].
    SetUpNeeded {
        challenge: String,
        enrolment: crate::auth::two_factor::Enrolment,
    },
}

/// Anyone may call this. Signs in with e-mail and password: starts a
/// fresh session (the old one, if any, is destroyed) or asks for the
/// second factor. Every failure gives the same "Invalid credentials"
/// answer.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<LoginStep, AppError> {
    use crate::auth::service::{self, SignedIn};
    use crate::auth::session;
    use crate::auth::two_factor::service::Purpose;
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let creds = service::Credentials::parse(&email, password)?;
        let origin = service::Origin {
            ip: sc::client_ip(),
            user_agent: sc::user_agent(),
            previous_session_id: sc::session_token().map(|t| session::token_id(&t)),
        };
        Ok(
            match service::sign_in(&ctx.db, &ctx.config, creds, origin).await? {
                SignedIn::Session { token, .. } => {
                    sc::set_header(
                        http::header::SET_COOKIE,
                        &session::cookie(&ctx.config, &token),
                    );
                    LoginStep::SignedIn
                }
                SignedIn::Challenge {
                    token,
                    purpose: Purpose::Code,
                    ..
                } => LoginStep::CodeNeeded { challenge: token },
                SignedIn::Challenge {
                    token,
                    purpose: Purpose::Enrol,
                    enrolment,
                } => LoginStep::SetUpNeeded {
                    challenge: token,
                    enrolment: enrolment.ok_or(AppError::Internal)?,
                },
            },
        )
    })
    .await
}

/// Anyone holding a sign-in challenge: the code from the authenticator
/// app, or a recovery code. Sets the session cookie. Returns recovery
/// codes when two-factor was set up during this sign-in, to show once.
#[server(endpoint = "auth/login/code")]
pub async fn login_code(challenge: String, code: String) -> Result<Vec<String>, AppError> {
    use crate::auth::{service, session};
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let origin = service::Origin {
            ip: sc::client_ip(),
            user_agent: sc::user_agent(),
            previous_session_id: sc::session_token().map(|t| session::token_id(&t)),
        };
        let (_user, token, recovery_codes) =
            service::complete_sign_in(&ctx.db, &ctx.config, &challenge, &code, origin).await?;
        sc::set_header(
            http::header::SET_COOKIE,
            &session::cookie(&ctx.config, &token),
        );
        Ok(recovery_codes)
    })
    .await
}

/// Any signed-in user, with their password: a new e-mail address to sign
/// in with. Their other sessions end.
#[server(endpoint = "auth/change-email")]
pub async fn change_email(password: String, email: String) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::auth::service::change_email(&ctx.db, &user, password, &email, sc::client_ip()).await
    })
    .await
}

/// Any signed-in user. Ends their session and clears the cookie.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth::{service, session};
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        sc::set_header(
            http::header::SET_COOKIE,
            &session::clearing_cookie(&ctx.config),
        );
        let user = sc::require_user_changing_password()?;
        service::sign_out(&ctx.db, &user, sc::client_ip()).await
    })
    .await
}

/// The signed-in user is active: their session's idle clock restarts.
/// Returns the idle timeout in minutes.
#[server(endpoint = "auth/keep-alive")]
pub async fn keep_alive() -> Result<i32, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user_changing_password()?;
        crate::auth::session::touch(&ctx.db, &user.session_id).await?;
        Ok(user.idle_timeout_minutes)
    })
    .await
}

/// Seconds left before the session times out, by the server's clock;
/// `None` when signed out. Does not count as activity.
#[server(endpoint = "auth/idle", input = leptos::server_fn::codec::GetUrl)]
pub async fn idle_remaining() -> Result<Option<i64>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let Some(user) = sc::current_user() else {
            return Ok(None);
        };
        Ok(crate::auth::session::idle_seconds_left(
            &ctx.db,
            &user.session_id,
            user.idle_timeout_minutes,
        )
        .await?)
    })
    .await
}

/// The page's countdown ran out: the session ends and the timeout is
/// logged (unless the server got there first).
#[server(endpoint = "auth/idle-sign-out")]
pub async fn idle_sign_out() -> Result<(), AppError> {
    use crate::auth::session;
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        sc::set_header(
            http::header::SET_COOKIE,
            &session::clearing_cookie(&ctx.config),
        );
        let Some(user) = sc::current_user() else {
            return Ok(());
        };
        session::end_idle(
            &ctx.db,
            &user.session_id,
            user.user_id,
            user.organisation_id,
            "browser",
            sc::client_ip(),
        )
        .await?;
        Ok(())
    })
    .await
}

/// Anyone may call this: the signed-in user, or `None`. Read-only, so a GET.
#[server(endpoint = "auth/me", input = leptos::server_fn::codec::GetUrl)]
pub async fn who_am_i() -> Result<Option<Me>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move { Ok(sc::current_user().as_ref().map(Me::from)) }).await
}

/// Any signed-in user: replaces their password. Needs the current one;
/// the new one must meet the password rules. Other sessions of the user
/// end.
#[server(endpoint = "auth/change-password")]
pub async fn change_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::auth::service;
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user_changing_password()?;
        if new != confirm {
            return Err(AppError::invalid(
                "confirm",
                "The two new passwords differ.",
            ));
        }
        service::change_password(&ctx.db, &user, current, new, sc::client_ip()).await
    })
    .await
}

/// One of the signed-in user's sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session row's id (a hash of the cookie token, never the token).
    pub id: String,
    pub started: String,
    pub last_seen: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

/// Any signed-in user: their own sessions, newest first.
#[server(endpoint = "auth/sessions", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::auth::service::list_sessions(&ctx.db, &user).await
    })
    .await
}

/// Any signed-in user: end one of their own other sessions, or (with no
/// id) all of them but this one.
#[server(endpoint = "auth/sessions/end")]
pub async fn end_sessions(id: Option<String>) -> Result<u64, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::auth::service::end_sessions(&ctx.db, &user, id, sc::client_ip()).await
    })
    .await
}

/// Admins: end every session of one of their organisation's users or case
/// managers (a lost laptop, a shared computer), without deactivating them.
#[server(endpoint = "auth/sessions/end-for-user", input = leptos::server_fn::codec::Json)]
pub async fn end_user_sessions(user_id: i32) -> Result<u64, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        crate::auth::service::end_sessions_of(&ctx.db, &user, user_id, sc::client_ip()).await
    })
    .await
}
