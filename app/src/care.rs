//! The agency's care records: appointments, service notes, annual
//! assessments, and the monthly hours they add up to. Staff keep them in
//! the staff app; the portal shows what the agency lets case managers see.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod goals;
pub mod hours;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// Where an appointment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "ssr",
    derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum),
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(16))"
    )
)]
pub enum AppointmentStatus {
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "scheduled"))]
    Scheduled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "completed"))]
    Completed,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "cancelled"))]
    Cancelled,
    #[cfg_attr(feature = "ssr", sea_orm(string_value = "no_show"))]
    NoShow,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 4] = [
        AppointmentStatus::Scheduled,
        AppointmentStatus::Completed,
        AppointmentStatus::Cancelled,
        AppointmentStatus::NoShow,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "scheduled",
            AppointmentStatus::Completed => "completed",
            AppointmentStatus::Cancelled => "cancelled",
            AppointmentStatus::NoShow => "no_show",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "Scheduled",
            AppointmentStatus::Completed => "Completed",
            AppointmentStatus::Cancelled => "Cancelled",
            AppointmentStatus::NoShow => "No-show",
        }
    }

    /// The badge's tone; the label always goes with it.
    pub fn tone(self) -> &'static str {
        match self {
            AppointmentStatus::Scheduled => "info",
            AppointmentStatus::Completed => "success",
            AppointmentStatus::Cancelled => "neutral",
            AppointmentStatus::NoShow => "warning",
        }
    }

    pub fn from_key(key: &str) -> Option<AppointmentStatus> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// One appointment as a list shows it. `staff` is `None` when the viewer
/// may not see staff names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentRow {
    pub id: i32,
    /// "2 Dec 2026, 09:00 CST": the start on the agency's clock.
    pub starts: String,
    /// "10:00 CST".
    pub ends: String,
    /// The same start and end as the form takes them back: local
    /// `YYYY-MM-DD` and `HH:MM`.
    pub date: String,
    pub start: String,
    pub end: String,
    pub service_type: String,
    pub status: AppointmentStatus,
    pub minutes: i32,
    pub staff: Option<String>,
    /// Only with `staff`: the same visibility rule.
    pub staff_user_id: Option<i32>,
}

/// A service note. `internal` is only ever filled for agency staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteRow {
    pub id: i32,
    pub written_at: String,
    pub author: Option<String>,
    pub content: String,
    pub internal: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentRow {
    pub id: i32,
    pub assessed_on: String,
    pub title: String,
    pub summary: String,
    pub next_due: Option<String>,
}

/// A new appointment, as the staff form sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub service_type: String,
    pub staff_user_id: Option<i32>,
}

/// An appointment saved; `notice` says which time was kept when the
/// clocks went back over the one entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentSaved {
    pub id: i32,
    pub notice: Option<String>,
}

/// A new service note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteInput {
    pub content: String,
    pub internal: String,
}

/// A new assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentInput {
    pub assessed_on: String,
    pub title: String,
    pub summary: String,
    pub next_due: String,
}

/// Longest note body or assessment summary accepted.
pub const MAX_TEXT: usize = 10_000;

/// A client's care record as agency staff see it, internal notes included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareRecordView {
    pub appointments: Vec<AppointmentRow>,
    pub notes: Vec<NoteRow>,
    pub assessments: Vec<AssessmentRow>,
    pub hours: Vec<MonthHours>,
    /// "Times are in America/Chicago (CST).", said once above the record.
    pub zone: String,
}

/// One month of a client's hours, in minutes so nothing is lost to
/// rounding; the UI shows hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthHours {
    /// `YYYY-MM`.
    pub month: String,
    pub authorised_minutes: i64,
    /// Everything booked that was not cancelled: scheduled, completed and
    /// no-shows (a no-show still used the slot).
    pub scheduled_minutes: i64,
    pub completed_minutes: i64,
    /// Authorised minus completed; negative when over the authorisation.
    pub remaining_minutes: i64,
}
