use sea_orm::entity::prelude::*;

/// A staff member's note about a client or one appointment. The general
/// content may reach case managers; the internal content never does.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "service_notes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub appointment_id: Option<i32>,
    pub author_user_id: i32,
    pub written_at: DateTimeUtc,
    pub general_content: String,
    pub internal_content: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
