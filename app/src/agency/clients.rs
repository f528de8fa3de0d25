//! The agency's clients as staff see them: the list, the profile, its
//! case managers, archiving.

use serde::{Deserialize, Serialize};

use crate::agency::AccessStatus;
use crate::assignments::Relationship;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRow {
    pub id: i32,
    pub full_name: String,
    pub archived: bool,
    pub case_managers: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub case_manager_id: i32,
    pub name: String,
    pub email: String,
    pub relationship: Relationship,
    pub access: AccessStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientProfile {
    pub id: i32,
    pub full_name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub authorised_hours_per_month: i32,
    pub archived: bool,
    pub assignments: Vec<AssignmentRow>,
}
