//! Two-factor sign-in with an authenticator app (TOTP) and one-time
//! recovery codes: the typed API both sides share.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// What setting up an authenticator app needs: the QR code, and the same
/// secret as text for typing in by hand.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    /// Base32, grouped in fours.
    pub secret: String,
    pub otpauth_uri: String,
    /// An SVG document drawn by the server.
    pub qr_svg: String,
}

/// Which second factor a sign-in used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecondFactor {
    Authenticator,
    RecoveryCode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorState {
    pub enabled: bool,
    /// The organisation requires it of this user's role.
    pub required: bool,
    pub recovery_codes_left: u64,
}

/// The signed-in user: whether two-factor is on for them.
#[server(endpoint = "auth/two-factor/status", input = leptos::server_fn::codec::GetUrl)]
pub async fn two_factor_status() -> Result<TwoFactorState, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::status(&ctx.db, &user).await
    })
    .await
}

/// The signed-in user, with their password: a new secret to scan.
/// Two-factor is not on until [`confirm_two_factor`] gets a right code.
#[server(endpoint = "auth/two-factor/begin")]
pub async fn begin_two_factor(password: String) -> Result<Enrolment, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::begin(&ctx.db, &user, password, sc::client_ip()).await
    })
    .await
}

/// The signed-in user: the first code from the app turns two-factor on.
/// Returns the recovery codes, shown this once.
#[server(endpoint = "auth/two-factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<Vec<String>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::confirm(&ctx.db, &user, code, sc::client_ip()).await
    })
    .await
}

/// The signed-in user, with their password: new recovery codes replace
/// the old ones.
#[server(endpoint = "auth/two-factor/recovery-codes")]
pub async fn renew_recovery_codes(password: String) -> Result<Vec<String>, AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::renew(&ctx.db, &user, password, sc::client_ip()).await
    })
    .await
}

/// The signed-in user, with their password: turns two-factor off, unless
/// their organisation requires it.
#[server(endpoint = "auth/two-factor/off")]
pub async fn turn_off_two_factor(password: String) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::turn_off(&ctx.db, &user, password, sc::client_ip()).await
    })
    .await
}

/// Admins: clear a user's two-factor in their organisation (lost phone).
#[server(endpoint = "auth/two-factor/reset", input = leptos::server_fn::codec::Json)]
pub async fn reset_two_factor(user_id: i32) -> Result<(), AppError> {
    use crate::server_context::{self as sc, run};
    run(async move {
        let ctx = sc::server_context()?;
        let user = sc::require_user()?;
        service::reset_by_admin(&ctx.db, &user, user_id, sc::client_ip()).await
    })
    .await
}
