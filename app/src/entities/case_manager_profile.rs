use sea_orm::entity::prelude::*;

use crate::agency::AccessStatus;

/// The agency's directory entry for an external case manager. The person's
/// name, e-mail and sign-in live on their `users` row (role
/// `external_case_manager`, organisation = the agency).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_manager_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub phone: Option<String>,
    pub employer: Option<String>,
    pub notes: Option<String>,
    pub access_status: AccessStatus,
    pub access_reason: Option<String>,
    pub invited_at: Option<DateTimeUtc>,
    /// Set when they accepted an invitation and chose a password.
    pub accepted_at: Option<DateTimeUtc>,
    pub terms_version_accepted: Option<i32>,
}

/// Reached from `user` (see its `CaseManagerProfile` relation).
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
