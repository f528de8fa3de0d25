use sea_orm::entity::prelude::*;

/// An automated report: one client, one kind, weekly or monthly.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_schedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub kind: String,
    /// `weekly` or `monthly`.
    pub frequency: String,
    /// Weekly: 1 (Monday) to 7. Monthly: 1 to 28.
    pub day: i32,
    pub next_run_at: DateTimeUtc,
    pub active: bool,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
