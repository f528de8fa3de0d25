//! Who is signed in and what they may do.

use serde::{Deserialize, Serialize};

use crate::orgs::OrgKind;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod admission;
pub mod api;
#[cfg(feature = "ssr")]
pub mod caller;
pub mod email;
pub mod grants;
pub mod idle;
pub mod pages;
pub mod password_rules;
mod role;

#[cfg(feature = "ssr")]
mod current_user;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod policy;
pub mod reset;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod totp;
pub mod two_factor;

#[cfg(feature = "ssr")]
pub use current_user::CurrentUser;
pub use role::Role;

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
    /// What the header offers, as the policy decided it.
    pub nav: Navigation,
}

/// The header's links, decided by `auth::policy::navigation`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Navigation {
    /// Clients, case managers and messages of an agency.
    pub agency_desk: bool,
    /// The agency's portal settings and activity log.
    pub agency_settings: bool,
    /// The case manager's portal.
    pub portal: bool,
    /// The notification centre: people who can be on a practice's cases.
    #[serde(default)]
    pub notifications: bool,
}

/// Where signing in stands after the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoginStep {
    /// Signed in: the session cookie is set.
    SignedIn,
    /// Two-factor is on: send a code with this challenge to [`api::login_code`].
    CodeNeeded { challenge: String },
    /// The organisation requires two-factor and the user has none: set up
    /// the app now, then send its first code to [`api::login_code`].
    SetUpNeeded {
        challenge: String,
        enrolment: crate::auth::two_factor::Enrolment,
    },
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
