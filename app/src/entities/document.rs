use sea_orm::entity::prelude::*;

/// A client document. The bytes live in object storage under
/// `storage_key`, a random name; `original_name` is only ever shown or sent
/// as an encoded download name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub category_id: i32,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[sea_orm(unique)]
    pub storage_key: String,
    /// Marked for sharing; what the category says decides in the end.
    pub shared: bool,
    pub uploaded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::document_category::Entity",
        from = "Column::CategoryId",
        to = "super::document_category::Column::Id"
    )]
    Category,
}

impl Related<super::document_category::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Category.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
