//! Personal API tokens: how a machine (an EHR, an analytics job) reads the
//! FHIR API as one user. A token is made under Account, shown once, kept
//! only as a hash, limited to read-only scopes and an expiry, and checked
//! against its user's standing on every request (`service::resolve`).

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// At most this many tokens a user has that are neither revoked nor expired.
pub const MAX_LIVE_TOKENS: usize = 10;
/// The lifetimes offered, in days; a token never lives longer than a year.
pub const LIFETIMES: [i32; 4] = [7, 30, 90, 365];
/// The longest name a token may have.
pub const MAX_NAME_CHARS: usize = 80;

/// A group of FHIR resources a token may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Referral cases: ServiceRequest, Task, Provenance and their Patient.
    Referrals,
    /// An agency's clients: Appointment and their Patient.
    Care,
    /// Practitioner, PractitionerRole and Organization.
    Directory,
    /// The activity log as AuditEvent (admins).
    Audit,
    /// Bulk export of a practice's referrals (admins).
    Export,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::Referrals,
        Scope::Care,
        Scope::Directory,
        Scope::Audit,
        Scope::Export,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Scope::Referrals => "referrals",
            Scope::Care => "care",
            Scope::Directory => "directory",
            Scope::Audit => "audit",
            Scope::Export => "export",
        }
    }

    pub fn from_key(key: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Scope::Referrals => "Referrals and their patients",
            Scope::Care => "Clients and their appointments",
            Scope::Directory => "Doctors, staff and organisations",
            Scope::Audit => "The activity log",
            Scope::Export => "Bulk export of the practice's referrals",
        }
    }

    /// Stored as one comma-separated column.
    pub fn join(scopes: &[Scope]) -> String {
        scopes.iter().map(|s| s.key()).collect::<Vec<_>>().join(",")
    }

    /// Unknown keys are dropped: a scope that no longer exists grants nothing.
    pub fn split(stored: &str) -> Vec<Scope> {
        stored.split(',').filter_map(Scope::from_key).collect()
    }
}

/// One of the user's tokens, as the account page lists it. The token
/// itself is never shown again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i32,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub created: String,
    pub expires: String,
    /// "Never" until first used.
    pub last_used: String,
    /// "Active", "Expired" or "Revoked".
    pub state: String,
    pub live: bool,
}

/// The account page's token section: the user's tokens and the scopes
/// their role may give one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSettings {
    pub tokens: Vec<TokenRow>,
    pub offered: Vec<Scope>,
}

/// A token just made: the only time its value leaves the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i32,
    pub name: String,
    pub token: String,
}
