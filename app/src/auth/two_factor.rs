//! Two-factor sign-in with an authenticator app (TOTP) and one-time
//! recovery codes: the typed API both sides share.

use serde::{Deserialize, Serialize};

pub mod api;
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
