//! The agency side of the case-manager portal: who the agency lets in, to
//! which clients, and what they may see.

use serde::{Deserialize, Serialize};

pub mod case_managers;
pub mod clients;
pub mod documents;
pub mod settings;

pub use crate::auth::grants::{AccessStatus, DataKind, Visibility};

/// A document category's default sharing with case managers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum Sharing {
    /// Always private, even when a document is marked for sharing.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "never"))]
    Never,
    /// Shared automatically.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "always"))]
    Always,
    /// Shared when the document is marked.
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "manual"))]
    Manual,
}

impl Sharing {
    pub const ALL: [Sharing; 3] = [Sharing::Never, Sharing::Always, Sharing::Manual];

    pub fn key(self) -> &'static str {
        match self {
            Sharing::Never => "never",
            Sharing::Always => "always",
            Sharing::Manual => "manual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sharing::Never => "Never",
            Sharing::Always => "Always",
            Sharing::Manual => "Manual",
        }
    }

    pub fn from_key(key: &str) -> Option<Sharing> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Whether a document of this category reaches case managers.
    pub fn shares(self, marked: bool) -> bool {
        match self {
            Sharing::Never => false,
            Sharing::Always => true,
            Sharing::Manual => marked,
        }
    }
}

/// The product's recommended categories, given to every new agency.
pub const DEFAULT_CATEGORIES: [(&str, Sharing); 6] = [
    ("Care Plans", Sharing::Always),
    ("Assessments", Sharing::Always),
    ("Progress Reports", Sharing::Always),
    ("Internal Notes", Sharing::Never),
    ("Financial Documents", Sharing::Never),
    ("Medical Records", Sharing::Manual),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_rules_decide_sharing() {
        assert!(
            !Sharing::Never.shares(true),
            "never beats a marked document"
        );
        assert!(Sharing::Always.shares(false));
        assert!(Sharing::Manual.shares(true));
        assert!(!Sharing::Manual.shares(false));
    }
}
