use sea_orm::entity::prelude::*;

use crate::auth::Role;

/// Never serialised: it holds the password hash. DTOs are built from it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: DateTimeUtc,
    /// A doctor's choice: their notifications go to their practice's case
    /// managers instead of them.
    pub notify_case_managers: bool,
    /// The hour, on the user's clock, their daily digest e-mail leaves.
    pub digest_hour: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
    /// A case manager's profile, keyed by the user's id. Declared from this
    /// side alone, so the profile entity need not know this one.
    #[sea_orm(
        belongs_to = "super::case_manager_profile::Entity",
        from = "Column::Id",
        to = "super::case_manager_profile::Column::UserId"
    )]
    CaseManagerProfile,
}

impl Related<super::case_manager_profile::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CaseManagerProfile.def()
    }
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
