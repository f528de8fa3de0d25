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

    /// The badge's tone: what the status asks of the reader. The label is
    /// always shown with it, so colour never carries the meaning alone.
    pub fn tone(self) -> &'static str {
        match self {
            CaseStatus::Requested | CaseStatus::Received => "info",
            CaseStatus::Accepted | CaseStatus::InProgress => "success",
            CaseStatus::OnHold => "warning",
            CaseStatus::Rejected => "danger",
            CaseStatus::Completed | CaseStatus::Cancelled => "neutral",
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

    /// The badge's classes: tone and a shape of its own for each level.
    pub fn badge(self) -> &'static str {
        match self {
            Urgency::Routine => "badge neutral",
            Urgency::Urgent => "badge warning urgent",
            Urgency::Emergency => "badge danger emergency",
        }
    }
}

/// Where someone stands on a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum CaseSide {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "to"))]
    ReferredTo,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "by"))]
    ReferredBy,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "associated"))]
    Associated,
}

impl CaseSide {
    pub const ALL: [CaseSide; 3] = [
        CaseSide::ReferredTo,
        CaseSide::ReferredBy,
        CaseSide::Associated,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CaseSide::ReferredTo => "Referred to",
            CaseSide::ReferredBy => "Referred by",
            CaseSide::Associated => "Associated",
        }
    }

    /// The value used in URLs and forms.
    pub fn key(self) -> &'static str {
        match self {
            CaseSide::ReferredTo => "to",
            CaseSide::ReferredBy => "by",
            CaseSide::Associated => "associated",
        }
    }

    pub fn from_key(s: &str) -> Option<CaseSide> {
        CaseSide::ALL.into_iter().find(|c| c.key() == s)
    }
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 8] = [
        CaseStatus::Requested,
        CaseStatus::Received,
        CaseStatus::Accepted,
        CaseStatus::Rejected,
        CaseStatus::InProgress,
        CaseStatus::OnHold,
        CaseStatus::Completed,
        CaseStatus::Cancelled,
    ];

    /// The value used in URLs and forms.
    pub fn key(self) -> &'static str {
        match self {
            CaseStatus::Requested => "requested",
            CaseStatus::Received => "received",
            CaseStatus::Accepted => "accepted",
            CaseStatus::Rejected => "rejected",
            CaseStatus::InProgress => "in_progress",
            CaseStatus::OnHold => "on_hold",
            CaseStatus::Completed => "completed",
            CaseStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_key(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.key() == s)
    }

    /// Still being worked: it can be cancelled, held or referred on.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Requested
                | CaseStatus::Received
                | CaseStatus::Accepted
                | CaseStatus::InProgress
                | CaseStatus::OnHold
        )
    }
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Routine, Urgency::Urgent, Urgency::Emergency];

    pub fn key(self) -> &'static str {
        match self {
            Urgency::Routine => "routine",
            Urgency::Urgent => "urgent",
            Urgency::Emergency => "emergency",
        }
    }

    pub fn from_key(s: &str) -> Option<Urgency> {
        Urgency::ALL.into_iter().find(|c| c.key() == s)
    }
}
