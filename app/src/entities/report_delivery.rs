use sea_orm::entity::prelude::*;

/// One run of a schedule. (schedule, due time) is unique: the second
/// instance to finish the same run fails to insert and rolls back.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub schedule_id: i32,
    pub due_at: DateTimeUtc,
    pub delivered_at: DateTimeUtc,
    /// Which app instance sent it, for the record.
    pub instance: String,
    /// How many reports (one per recipient) it made.
    pub reports: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
