use sea_orm::entity::prelude::*;

/// An annual assessment of a client's needs.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    pub assessed_on: Date,
    pub title: String,
    pub summary: String,
    pub next_due: Option<Date>,
    pub author_user_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
