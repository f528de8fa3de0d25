use serde::{Deserialize, Serialize};

/// A case's workflow state, named after the FHIR Task statuses so an
/// export maps one to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum CaseStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "requested"))]
    Requested,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "received"))]
    Received,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "accepted"))]
    Accepted,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "rejected"))]
    Rejected,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "in_progress"))]
    InProgress,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "on_hold"))]
    OnHold,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "completed"))]
    Completed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
}

impl CaseStatus {
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Requested => "Requested",
            CaseStatus::Received => "Received",
            CaseStatus::Accepted => "Accepted",
            CaseStatus::Rejected => "Rejected",
            CaseStatus::InProgress => "In progress",
            CaseStatus::OnHold => "On hold",
            CaseStatus::Completed => "Completed",
            CaseStatus::Cancelled => "Cancelled",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum Urgency {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "routine"))]
    Routine,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "urgent"))]
    Urgent,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "emergency"))]
    Emergency,
}

impl Urgency {
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Routine => "Routine",
            Urgency::Urgent => "Urgent",
            Urgency::Emergency => "Emergency",
        }
    }
}
