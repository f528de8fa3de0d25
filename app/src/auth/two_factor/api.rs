//! The server functions of `auth::two_factor`: each authenticates, asks the policy
//! (in the service) and maps the result.

use leptos::prelude::*;

use crate::auth::two_factor::{Enrolment, TwoFactorState};
use crate::error::AppError;

/// The signed-in user: whether two-factor is on for them.
#[server(endpoint = "auth/two-factor/status", input = leptos::server_fn::codec::GetUrl)]
pub async fn two_factor_status() -> Result<TwoFactorState, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::status(&ctx.db, &caller.user).await
    })
    .await
}

/// The signed-in user, with their password: a new secret to scan.
/// Two-factor is not on until [`confirm_two_factor`] gets a right code.
#[server(endpoint = "auth/two-factor/begin")]
pub async fn begin_two_factor(password: String) -> Result<Enrolment, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::begin(&ctx.db, caller, password).await
    })
    .await
}

/// The signed-in user: the first code from the app turns two-factor on.
/// Returns the recovery codes, shown this once.
#[server(endpoint = "auth/two-factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::confirm(&ctx.db, caller, code).await
    })
    .await
}

/// The signed-in user, with their password: new recovery codes replace
/// the old ones.
#[server(endpoint = "auth/two-factor/recovery-codes")]
pub async fn renew_recovery_codes(password: String) -> Result<Vec<String>, AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::renew(&ctx.db, caller, password).await
    })
    .await
}

/// The signed-in user, with their password: turns two-factor off, unless
/// their organisation requires it.
#[server(endpoint = "auth/two-factor/off")]
pub async fn turn_off_two_factor(password: String) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::turn_off(&ctx.db, caller, password).await
    })
    .await
}

/// Admins: clear a user's two-factor in their organisation (lost phone).
#[server(endpoint = "auth/two-factor/reset", input = leptos::server_fn::codec::Json)]
pub async fn reset_two_factor(user_id: i32) -> Result<(), AppError> {
    crate::server_context::signed_in(async move |ctx, caller| {
        super::service::reset_by_admin(&ctx.db, caller, user_id).await
    })
    .await
}
