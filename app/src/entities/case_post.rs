use sea_orm::entity::prelude::*;

/// One post in a case's conversation. `internal_to` set: an internal note,
/// seen only within that practice.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_posts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub author_user_id: i32,
    /// The doctor a case manager wrote for.
    pub on_behalf_of_user_id: Option<i32>,
    pub internal_to: Option<i32>,
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
