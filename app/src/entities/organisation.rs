use sea_orm::entity::prelude::*;

use crate::orgs::OrgKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    pub kind: OrgKind,
    pub idle_timeout_minutes: i32,
    /// An IANA name; see [`crate::zone::Zone`].
    pub time_zone: String,
    pub created_at: DateTimeUtc,
    /// Business days a practice has to answer a referral, per urgency
    /// (see `cases::deadlines`).
    pub deadline_routine_days: i32,
    pub deadline_urgent_days: i32,
    pub deadline_emergency_days: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The organisation's clock.
    pub fn zone(&self) -> crate::zone::Zone {
        crate::zone::Zone::stored(&self.time_zone)
    }
}
