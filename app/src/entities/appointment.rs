use sea_orm::entity::prelude::*;

use crate::care::AppointmentStatus;

/// A visit or service the agency delivers to a client.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub client_id: i32,
    /// The staff member who delivers it.
    pub staff_user_id: Option<i32>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub service_type: String,
    pub status: AppointmentStatus,
    /// Billable length, counted against the client's authorised hours.
    pub minutes: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
