use sea_orm::entity::prelude::*;

/// A report as it was made: `content` is the JSON both the PDF and the CSV
/// are drawn from, so a sent report never changes afterwards.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub kind: String,
    pub period_from: Date,
    pub period_to: Date,
    #[sea_orm(column_type = "Text")]
    pub content: String,
    /// `None` when the scheduler made it.
    pub generated_by: Option<i32>,
    /// Whose portal holds it; `None` for a staff member's own copy.
    pub case_manager_user_id: Option<i32>,
    /// `on_demand`, `sent` or `scheduled`.
    pub delivery: String,
    pub schedule_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
