//! Which external case managers an agency client has, and how (Primary,
//! Secondary, Supervisor), with the client facts the policy decides with.
//! The agency's own client records are `agency::clients`; the care record
//! is `care`; the case manager's view is `portal`.

use serde::{Deserialize, Serialize};

/// How an external case manager relates to a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum Relationship {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "primary"))]
    Primary,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "secondary"))]
    Secondary,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "supervisor"))]
    Supervisor,
}

impl Relationship {
    pub const ALL: [Relationship; 3] = [
        Relationship::Primary,
        Relationship::Secondary,
        Relationship::Supervisor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Relationship::Primary => "primary",
            Relationship::Secondary => "secondary",
            Relationship::Supervisor => "supervisor",
        }
    }

    pub fn from_key(key: &str) -> Option<Relationship> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Relationship::Primary => "Primary",
            Relationship::Secondary => "Secondary",
            Relationship::Supervisor => "Supervisor",
        }
    }
}

/// A client as listed in a case manager's portal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedClient {
    pub id: i32,
    pub full_name: String,
    pub relationship: Relationship,
}

#[cfg(feature = "ssr")]
pub mod service;
