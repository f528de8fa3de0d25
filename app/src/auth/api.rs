//! Sign-in, sign-out and "who am I": the typed API both sides share.

use leptos::prelude::*;

use crate::auth::{LoginStep, Me, SessionInfo};
use crate::error::AppError;

/// Anyone may call this. Signs in with e-mail and password: starts a
/// fresh session (the old one, if any, is destroyed) or asks for the
/// second factor. Every failure gives the same "Invalid credentials"
/// answer.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String) -> Result<LoginStep, AppError> {
    use crate::auth::service::{self, SignedIn};
    use crate::auth::session;
    use crate::auth::two_factor::service::Purpose;
    use crate::server_context as sc;
    crate::server_context::anyone(async move |ctx, ip| {
        let creds = service::Credentials::parse(&email, password)?;
        let origin = service::Origin {
            ip,
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
    use crate::server_context as sc;
    crate::server_context::anyone(async move |ctx, ip| {
        let origin = service::Origin {
            ip,
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
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::auth::service::change_email(&ctx.db, caller, password, &email).await
    })
    .await
}

/// Anyone. Ends the caller's session, if they still have one, and clears
/// the cookie.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth::caller::Caller;
    use crate::auth::{service, session};
    use crate::server_context as sc;
    crate::server_context::anyone(async move |ctx, ip| {
        // The cookie goes whatever the session's state.
        sc::set_header(
            http::header::SET_COOKIE,
            &session::clearing_cookie(&ctx.config),
        );
        // The header's "Sign out" is a plain form: the browser goes on to
        // the sign-in page with a full load, so nothing of the old user's
        // page survives.
        sc::redirect_plain_form_post("/login");
        match sc::current_user() {
            Some(user) => service::sign_out(&ctx.db, &Caller::new(user, ip)).await,
            // The session already ended (it timed out while the page was
            // open): there is nothing left to end.
            None => Ok(()),
        }
    })
    .await
}

/// The signed-in user is active: their session's idle clock restarts.
/// Returns the idle timeout in minutes.
#[server(endpoint = "auth/keep-alive")]
pub async fn keep_alive() -> Result<i32, AppError> {
    crate::server_context::signed_in_changing_password(async move |ctx, caller| {
        crate::auth::session::touch(&ctx.db, &caller.user.session_id).await?;
        Ok(caller.user.idle_timeout_minutes)
    })
    .await
}

/// Seconds left before the session times out, by the server's clock;
/// `None` when signed out. Does not count as activity.
#[server(endpoint = "auth/idle", input = leptos::server_fn::codec::GetUrl)]
pub async fn idle_remaining() -> Result<Option<i64>, AppError> {
    use crate::server_context as sc;
    crate::server_context::anyone(async move |ctx, _ip| {
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
    use crate::server_context as sc;
    crate::server_context::anyone(async move |ctx, ip| {
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
            ip,
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
    crate::server_context::signed_in_changing_password(async move |ctx, caller| {
        if new != confirm {
            return Err(AppError::invalid(
                "confirm",
                "The two new passwords differ.",
            ));
        }
        service::change_password(&ctx.db, caller, current, new).await
    })
    .await
}

/// Any signed-in user: their own sessions, newest first.
#[server(endpoint = "auth/sessions", input = leptos::server_fn::codec::GetUrl)]
pub async fn list_sessions() -> Result<Vec<SessionInfo>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::auth::service::list_sessions(&ctx.db, &caller.user).await
    })
    .await
}

/// Any signed-in user: end one of their own other sessions, or (with no
/// id) all of them but this one.
#[server(endpoint = "auth/sessions/end")]
pub async fn end_sessions(id: Option<String>) -> Result<u64, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::auth::service::end_sessions(&ctx.db, caller, id).await
    })
    .await
}

/// Admins: end every session of one of their organisation's users or case
/// managers (a lost laptop, a shared computer), without deactivating them.
#[server(endpoint = "auth/sessions/end-for-user", input = leptos::server_fn::codec::Json)]
pub async fn end_user_sessions(user_id: i32) -> Result<u64, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        crate::auth::service::end_sessions_of(&ctx.db, caller, user_id).await
    })
    .await
}
