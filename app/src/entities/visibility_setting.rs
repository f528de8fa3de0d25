use sea_orm::entity::prelude::*;

/// What an agency lets external case managers see.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "visibility_settings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub organisation_id: i32,
    pub schedules: bool,
    pub notes: bool,
    pub hours_summary: bool,
    pub documents: bool,
    pub staff_info: bool,
    pub contact_info: bool,
    pub assessments: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
