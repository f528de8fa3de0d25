//! The case-manager portal at `/portal/<agency>`: the branded sign-in page
//! (or the "turned off" page), accepting an invitation, the terms of use,
//! and the case manager's read-only view of their clients.

use serde::{Deserialize, Serialize};

use crate::agency::DataKind;
use crate::assignments::Relationship;
use crate::care::MonthHours;

pub mod api;
pub mod pages;
pub mod preview;
pub mod routes;
#[cfg(feature = "ssr")]
pub mod service;

/// The live filters of "My clients", as they appear in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientsFilter {
    pub name: String,
    /// A relationship key, or empty for any.
    pub relationship: String,
    /// Only clients with an appointment still to come.
    pub upcoming: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalClientRow {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
    /// Only when the agency shows schedules.
    pub next_appointment: Option<String>,
    /// Only when the agency shows the hours summary.
    pub hours_this_month: Option<MonthHours>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub phone: String,
    pub email: String,
    pub address: String,
}

/// A client's portal page: the tabs are the data kinds the agency shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalClientView {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
    pub tabs: Vec<DataKind>,
    pub contact: Option<Contact>,
    /// The agency takes messages through the portal.
    pub messaging: bool,
    /// "Times are in America/Chicago (CST).": the agency's clock, where
    /// the client's visits happen.
    pub zone: String,
}

/// A shared document as the portal lists it: no sharing internals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalDocument {
    pub id: i32,
    pub name: String,
    pub category: String,
    pub size_bytes: i64,
    pub uploaded_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsView {
    pub text: String,
    pub version: i32,
    /// The case manager has not accepted this version yet.
    pub pending: bool,
}
