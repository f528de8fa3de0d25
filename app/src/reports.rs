//! Reports about one client over a date range: Monthly Summary, Service
//! Notes, Progress (care-plan goals) and Schedule. A report is made once
//! into a [`ReportContent`] snapshot and stored; its PDF and CSV are both
//! drawn from that snapshot, so what a case manager was sent never changes.
//!
//! A report for a case manager holds only the data kinds the agency lets
//! case managers see: each report kind needs its own kind of data, and the
//! optional parts (staff names) follow their own toggle.

use serde::{Deserialize, Serialize};

use crate::agency::DataKind;

pub mod api;
#[cfg(feature = "ssr")]
pub mod content;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod schedule;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    MonthlySummary,
    ServiceNotes,
    Progress,
    Schedule,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::MonthlySummary,
        ReportKind::ServiceNotes,
        ReportKind::Progress,
        ReportKind::Schedule,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ReportKind::MonthlySummary => "monthly_summary",
            ReportKind::ServiceNotes => "service_notes",
            ReportKind::Progress => "progress",
            ReportKind::Schedule => "schedule",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportKind::MonthlySummary => "Monthly Summary",
            ReportKind::ServiceNotes => "Service Notes",
            ReportKind::Progress => "Progress Report",
            ReportKind::Schedule => "Schedule Report",
        }
    }

    pub fn from_key(key: &str) -> Option<ReportKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The data kind a case manager must be allowed to see for this report.
    /// Goals and their progress are part of the care plan, which the agency
    /// shares together with its assessments.
    pub fn needs(self) -> DataKind {
        match self {
            ReportKind::MonthlySummary => DataKind::HoursSummary,
            ReportKind::ServiceNotes => DataKind::Notes,
            ReportKind::Progress => DataKind::Assessments,
            ReportKind::Schedule => DataKind::Schedules,
        }
    }
}

/// One table of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Shown instead of an empty table.
    pub empty: String,
}

/// A report as made: everything its PDF and CSV show.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContent {
    pub kind: ReportKind,
    pub agency: String,
    /// `#rrggbb`, the agency's brand colour.
    pub brand_colour: String,
    pub client_name: String,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// "2 Dec 2026, 06:00 CST", on the agency's clock.
    pub generated_at: String,
    /// "Times are in America/Chicago (CST)." Reports stored before time
    /// zones were all in UTC.
    #[serde(default = "stored_in_utc")]
    pub zone: String,
    /// The case manager it was made for, if any.
    pub prepared_for: Option<String>,
    pub sections: Vec<Section>,
}

fn stored_in_utc() -> String {
    "Times are in UTC.".into()
}

/// A stored report as lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    pub id: i32,
    pub client_id: i32,
    pub client_name: String,
    pub kind: ReportKind,
    pub from: String,
    pub to: String,
    pub created_at: String,
    /// "On demand", "Sent by …", "Automated".
    pub origin: String,
    /// The case manager's name, for staff lists.
    pub prepared_for: Option<String>,
}

/// An automated report schedule as the settings page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    pub id: i32,
    pub client_id: i32,
    pub client_name: String,
    pub kind: ReportKind,
    /// "Weekly on Monday", "Monthly on day 1".
    pub when: String,
    pub recipients: Vec<String>,
    pub next_run_at: String,
    pub last_delivered_at: Option<String>,
}

/// How often a schedule runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Frequency {
    Weekly,
    Monthly,
}

impl Frequency {
    pub fn key(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    pub fn from_key(key: &str) -> Option<Frequency> {
        match key {
            "weekly" => Some(Frequency::Weekly),
            "monthly" => Some(Frequency::Monthly),
            _ => None,
        }
    }
}

pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Longest period one report covers.
pub const MAX_DAYS: i64 = 366;

/// A client the schedule form offers, with its case managers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleClient {
    pub id: i32,
    pub name: String,
    pub case_managers: Vec<(i32, String)>,
}
