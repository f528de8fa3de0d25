use sea_orm::entity::prelude::*;

use crate::activity::ActivityAction;

/// One audit row. The app only ever inserts these.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_logs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    pub on_behalf_of_user_id: Option<i32>,
    pub action: ActivityAction,
    pub subject_type: String,
    pub subject_id: Option<i32>,
    /// JSON text, so SQLite and PostgreSQL store it alike.
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
    /// Hash of the row before this one: the chain `caseport audit verify`
    /// checks.
    pub prev_hash: Option<String>,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
