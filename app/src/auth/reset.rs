//! Password reset by e-mailed link: asked for by the user ("Forgot your
//! password?") or sent by an admin (the portal's troubleshooting). The
//! token is random, kept only as its SHA-256, single use, and expires after
//! an hour; using it ends every session of the account.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// How long a link works.
pub const VALID_MINUTES: i64 = 60;

/// What the "choose a new password" page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetView {
    pub email: String,
    pub password_min_length: usize,
    pub password_require_classes: bool,
}
