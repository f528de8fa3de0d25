//! Organisation administration.

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
