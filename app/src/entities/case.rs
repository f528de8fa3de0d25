use sea_orm::entity::prelude::*;

use crate::cases::{CaseStatus, Urgency};

/// A referral from one doctor to another.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub patient_name: String,
    pub patient_date_of_birth: Option<Date>,
    pub patient_contact: Option<String>,
    pub reason: String,
    pub urgency: Urgency,
    pub notes: Option<String>,
    pub referred_by_doctor_id: i32,
    pub referred_to_doctor_id: i32,
    pub status: CaseStatus,
    /// Optimistic concurrency: every write bumps it.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The case this one was referred on from.
    pub parent_case_id: Option<i32>,
    pub rejection_code: Option<String>,
    pub rejection_note: Option<String>,
    /// Where an on-hold case returns to.
    pub status_before_hold: Option<CaseStatus>,
    /// Lower-cased patient name and reason, for the text filter.
    pub search_text: String,
    /// Who on the receiving side answers for the case: a doctor or case
    /// manager of the referred-to doctor's practice.
    pub owner_user_id: Option<i32>,
    /// When the receiving practice should have accepted or rejected the
    /// referral: the end of its last business day to do so.
    pub respond_by: Option<DateTimeUtc>,
    /// How far the escalation of a missed deadline has gone (see
    /// `cases::deadlines::Step`); each step is taken once.
    pub escalation_step: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
