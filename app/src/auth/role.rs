//! Who a user is to Caseport. Every access decision starts from this.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum Role {
    /// Administers their organisation (practice or agency).
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "admin"))]
    Admin,
    /// Plain staff of a practice or agency.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "staff"))]
    Staff,
    /// A doctor of a practice; refers and receives cases.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "doctor"))]
    Doctor,
    /// Practice staff with the Case Manager role: works every case of the
    /// practice's doctors, under their own name.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "practice_case_manager"))]
    PracticeCaseManager,
    /// An outside case manager using an agency's read-only portal.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "external_case_manager"))]
    ExternalCaseManager,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Staff => "Staff",
            Role::Doctor => "Doctor",
            Role::PracticeCaseManager => "Case manager",
            Role::ExternalCaseManager => "External case manager",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            "doctor" => Some(Role::Doctor),
            "practice_case_manager" => Some(Role::PracticeCaseManager),
            "external_case_manager" => Some(Role::ExternalCaseManager),
            _ => None,
        }
    }
}
