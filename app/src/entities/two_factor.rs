use sea_orm::entity::prelude::*;

/// A user's TOTP secret. `enabled_at` is empty until the first code
/// confirms the enrolment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "two_factor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub secret: String,
    pub created_at: DateTimeUtc,
    pub enabled_at: Option<DateTimeUtc>,
    /// The last time step a code was accepted for.
    pub last_step: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
