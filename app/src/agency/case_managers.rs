//! The agency's directory of external case managers: profiles, portal
//! invitations and portal access.

use serde::{Deserialize, Serialize};

use crate::agency::AccessStatus;
use crate::assignments::Relationship;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// A directory row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerRow {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub employer: String,
    pub access: AccessStatus,
    /// Has an account (accepted an invitation).
    pub has_account: bool,
}

/// The editable part of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseManagerInput {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub employer: String,
    pub notes: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessChangeRow {
    pub from: AccessStatus,
    pub to: AccessStatus,
    pub reason: String,
    pub by: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationState {
    pub sent_at: String,
    pub expires_at: String,
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedClientRow {
    pub client_id: i32,
    pub client_name: String,
    pub relationship: Relationship,
    pub archived: bool,
}

/// A profile with its tabs: details, portal access, clients.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerProfile {
    pub row: CaseManagerRow,
    pub details: CaseManagerInput,
    pub access_reason: String,
    pub history: Vec<AccessChangeRow>,
    pub invitation: Option<InvitationState>,
    pub clients: Vec<AssignedClientRow>,
}

/// What the invitation page shows before the password is chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub name: String,
    pub email: String,
    pub agency: String,
    pub password_min_length: i32,
    pub password_require_classes: bool,
}
