use sea_orm::entity::prelude::*;

use crate::notifications::NotificationKind;

/// One event told to one user (see `notifications::service`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The recipient.
    pub user_id: i32,
    pub kind: NotificationKind,
    pub case_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    /// The doctor a case manager acted for.
    pub on_behalf_of_user_id: Option<i32>,
    /// A label (a rejection reason), never free text.
    pub detail: Option<String>,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    /// The doctor who handed their notifications to the recipient, a case
    /// manager of their practice.
    pub for_user_id: Option<i32>,
    /// Waits for the recipient's daily digest e-mail, until `digested_at`.
    pub digest: bool,
    pub digested_at: Option<DateTimeUtc>,
    /// Where to look when it is not about a case (a portal page).
    pub link: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
