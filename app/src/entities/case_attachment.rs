use sea_orm::entity::prelude::*;

/// A file attached to a case, for everyone on it. The bytes live in object
/// storage under `storage_key`, a random name; `original_name` is only
/// shown or sent as an encoded download name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    pub uploaded_by: i32,
    /// The doctor a case manager attached it for.
    pub on_behalf_of_user_id: Option<i32>,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[sea_orm(unique)]
    pub storage_key: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
