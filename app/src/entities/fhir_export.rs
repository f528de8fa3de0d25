use sea_orm::entity::prelude::*;

/// A bulk export of a practice's referrals, asked for by one admin and
/// fetched by them alone.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fhir_exports")]
pub struct Model {
    /// Random, so a status URL cannot be guessed.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organisation_id: i32,
    pub requested_by: i32,
    /// "running", "done" or "failed".
    pub status: String,
    pub requested_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    /// JSON list of `{ "type", "key", "count" }`.
    pub output: Option<String>,
    pub error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
