//! Referral cases between doctors.

use serde::{Deserialize, Serialize};

use crate::cases::workflow::Transition;

pub mod api;
pub mod conversation;
pub mod deadlines;
pub mod filters;
pub mod pages;
pub mod queues;
mod status;
pub mod views;
pub mod workflow;

#[cfg(feature = "ssr")]
pub mod audit;

#[cfg(feature = "ssr")]
pub mod service;

pub use deadlines::Due;
pub use status::{CaseSide, CaseStatus, Urgency};

/// Rows per page of a case list.
pub const PAGE_SIZE: u64 = 50;

/// One line of a case list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i32,
    pub version: i32,
    pub patient_name: String,
    pub reason: String,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    /// The owner's name, when the case has one.
    #[serde(default)]
    pub owner: Option<String>,
    pub updated_at: String,
    /// The response deadline while the case waits for an answer.
    #[serde(default)]
    pub due: Option<Due>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// Cursor for the next page, when there is one.
    pub next: Option<String>,
    /// Cases matching the filter, all pages together.
    pub total: u64,
    /// Cases per status for the same filter without its status: what each
    /// link of the status summary would list.
    #[serde(default)]
    pub by_status: Vec<(CaseStatus, u64)>,
}

/// One line of a case's history timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: String,
    pub text: String,
}

/// A case as its participants see it, with what the viewer may do to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub id: i32,
    pub version: i32,
    pub patient_name: String,
    pub patient_date_of_birth: Option<String>,
    pub patient_contact: Option<String>,
    pub reason: String,
    pub notes: Option<String>,
    pub status: CaseStatus,
    pub urgency: Urgency,
    pub referred_by: String,
    pub referred_to: String,
    pub associates: Vec<String>,
    pub rejection: Option<String>,
    pub parent_case_id: Option<i32>,
    /// Status changes the viewer may make now.
    pub allowed: Vec<Transition>,
    pub can_modify: bool,
    /// A new case the viewer's side has just opened: the page records
    /// receipt with [`acknowledge_case`].
    pub can_receive: bool,
    pub can_refer: bool,
    /// Who on the receiving side answers for the case.
    pub owner: Option<OwnerChoice>,
    /// Whether the viewer may choose the owner, and whom they may choose.
    pub can_assign: bool,
    pub owner_choices: Vec<OwnerChoice>,
    /// The viewer's user id when they may own the case and do not yet:
    /// the "Assign to me" button.
    pub take_as: Option<i32>,
    /// The response deadline while the case waits for an answer.
    pub due: Option<Due>,
    pub history: Vec<HistoryEntry>,
}

/// Someone who owns, or may own, a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerChoice {
    pub user_id: i32,
    pub name: String,
}

/// A doctor in the cross-practice directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorEntry {
    pub user_id: i32,
    pub name: String,
    pub practice: String,
    pub specialty: String,
}

/// The editable fields of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChanges {
    pub patient_contact: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCase {
    pub patient_name: String,
    /// `YYYY-MM-DD`
    pub patient_date_of_birth: Option<String>,
    pub patient_contact: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub notes: Option<String>,
    /// The referring doctor (a case manager picks one of their practice's).
    pub referred_by_user_id: i32,
    pub referred_to_user_id: i32,
    pub associated_user_ids: Vec<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkOutcome {
    pub id: i32,
    pub ok: bool,
    pub message: String,
}
