//! Portal messaging: a case manager writes to the agency about one of
//! their clients, staff reply, and both see the conversation. One
//! conversation per client and case manager; plain text only. The agency
//! turns it on and chooses who receives (all admins, the client's team
//! lead, or named staff members). Messages are also shown on the client's
//! record.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// Longest message accepted, in characters.
pub const MAX_MESSAGE: usize = 2000;

/// Who receives case managers' messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Routing {
    AllAdmins,
    TeamLead,
    Specific,
}

impl Routing {
    pub const ALL: [Routing; 3] = [Routing::AllAdmins, Routing::TeamLead, Routing::Specific];

    pub fn key(self) -> &'static str {
        match self {
            Routing::AllAdmins => "all_admins",
            Routing::TeamLead => "team_lead",
            Routing::Specific => "specific",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Routing::AllAdmins => "All admins",
            Routing::TeamLead => "The client's team lead",
            Routing::Specific => "Specific staff members",
        }
    }

    pub fn from_key(key: &str) -> Option<Routing> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// A staff member as the messaging forms list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i32,
    pub name: String,
    pub chosen: bool,
}

/// Settings → Case Manager Portal → Communication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagingView {
    pub enabled: bool,
    pub routing: Routing,
    pub staff: Vec<StaffMember>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageRow {
    pub id: i32,
    /// Written by agency staff (otherwise by the case manager).
    pub from_agency: bool,
    pub author: String,
    pub body: String,
    /// On the reader's organisation's clock, with its zone.
    pub sent_at: String,
}

/// One conversation in the staff inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadRow {
    pub client_id: i32,
    pub client_name: String,
    pub case_manager_id: i32,
    pub case_manager_name: String,
    pub last_at: String,
    pub preview: String,
    /// The case manager's messages no one at the agency has opened yet.
    pub unread: i64,
}
