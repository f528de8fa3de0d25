//! Organisation administration: its users, its time zone, and a
//! practice's response deadlines and holidays.

use serde::{Deserialize, Serialize};

use crate::auth::Role;

pub mod api;
#[cfg(feature = "ssr")]
pub mod calendar;
pub mod deadlines_section;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// A user as an administrator sees them. No credentials, ever.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUser {
    pub id: i32,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
}

/// The organisation's time zone and the zones it may choose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeZoneSetting {
    /// An IANA name, e.g. `America/Chicago`.
    pub time_zone: String,
    /// "Times are in America/Chicago (CST)."
    pub statement: String,
    pub choices: Vec<String>,
}

/// A practice's response deadlines and its holidays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineSetting {
    /// Business days to answer a routine, urgent and emergency referral;
    /// 0 is the same day.
    pub routine: i32,
    pub urgent: i32,
    pub emergency: i32,
    /// From a month ago on, soonest first.
    pub holidays: Vec<HolidayRow>,
}

/// A listed holiday.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayRow {
    pub id: i32,
    /// "25 Dec 2026"
    pub day: String,
    pub name: String,
}

/// Most business days a practice may give itself to answer.
pub const MAX_DEADLINE_DAYS: i32 = 30;
