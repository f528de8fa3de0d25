use sea_orm::entity::prelude::*;

use crate::cases::{CaseSide, CaseStatus};

/// One person on a case, with the case's status and time copied in so case
/// lists read one index. Kept in step with `cases` in the same transaction.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub user_id: i32,
    pub organisation_id: i32,
    pub side: CaseSide,
    pub is_doctor: bool,
    pub status: CaseStatus,
    pub updated_at: DateTimeUtc,
    /// The case's search text, copied like status and time.
    pub search_text: String,
    /// The case's owner, copied like status and time (work queues).
    pub owner_user_id: Option<i32>,
    /// The case's response deadline, copied like status (Overdue queue).
    pub respond_by: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::case::Entity",
        from = "Column::CaseId",
        to = "super::case::Column::Id"
    )]
    Case,
}

impl Related<super::case::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Case.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
