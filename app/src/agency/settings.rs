//! An agency's portal settings: the feature switch, what case managers
//! see, branding, terms of use and the security rules its users meet.

use serde::{Deserialize, Serialize};

use crate::agency::Visibility;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// Everything on the settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalSettings {
    pub slug: String,
    pub portal_enabled: bool,
    pub visibility: Visibility,
    pub brand_name: String,
    pub brand_colour: String,
    pub has_logo: bool,
    pub welcome_message: String,
    pub contact_details: String,
    pub terms_text: String,
    pub terms_version: i32,
    pub terms_require_acceptance: bool,
    pub idle_timeout_minutes: i32,
    pub password_min_length: i32,
    pub password_require_classes: bool,
    pub require_two_factor_staff: bool,
    pub require_two_factor_case_managers: bool,
    pub invitation_valid_days: i32,
}

impl PortalSettings {
    /// Where the agency's case managers sign in.
    pub fn portal_path(&self) -> String {
        format!("/portal/{}", self.slug)
    }
}

/// What anyone may know about a portal before signing in: its sign-in
/// page's branding, and whether it is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalFace {
    pub slug: String,
    pub enabled: bool,
    pub brand_name: String,
    pub brand_colour: String,
    pub has_logo: bool,
    pub welcome_message: String,
    pub contact_details: String,
}

/// A change to one section of the settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SettingsChange {
    Enabled(bool),
    Visibility(Visibility),
    Appearance {
        brand_name: String,
        brand_colour: String,
        welcome_message: String,
        contact_details: String,
    },
    Terms {
        text: String,
        require_acceptance: bool,
    },
    Security {
        idle_timeout_minutes: i32,
        password_min_length: i32,
        password_require_classes: bool,
        require_two_factor_staff: bool,
        require_two_factor_case_managers: bool,
        invitation_valid_days: i32,
    },
}
