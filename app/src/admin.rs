//! Organisation administration: its users, and its time zone.

use serde::{Deserialize, Serialize};

use crate::auth::Role;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// A user as an administrator sees them. No credentials, ever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUser {
    pub id: i32,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// The organisation's time zone and the zones it may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeZoneSetting {
    /// An IANA name, e.g. `America/Chicago`.
    pub time_zone: String,
    /// "Times are in America/Chicago (CST)."
    pub statement: String,
    pub choices: Vec<String>,
}
