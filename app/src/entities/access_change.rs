use sea_orm::entity::prelude::*;

use crate::agency::AccessStatus;

/// One change of a case manager's portal access, for the history tab.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_manager_user_id: i32,
    pub from_status: AccessStatus,
    pub to_status: AccessStatus,
    pub reason: Option<String>,
    pub changed_by: i32,
    pub changed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
