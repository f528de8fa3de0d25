use sea_orm::entity::prelude::*;

/// A care-plan goal for a client; its progress entries make the Progress
/// Report.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub title: String,
    pub description: String,
    pub target_date: Option<Date>,
    /// `active`, `achieved` or `discontinued`.
    pub status: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
