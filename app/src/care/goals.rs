//! Care-plan goals and their progress entries, kept by staff on the
//! client's page; the Progress Report is drawn from them. Like notes, a
//! progress entry is never rewritten: a correction is a new entry.

use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalRow {
    pub id: i32,
    pub title: String,
    pub description: String,
    pub target_date: Option<String>,
    pub status: String,
    /// The newest progress entry's percentage.
    pub latest_percent: Option<i32>,
    pub entries: Vec<ProgressRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressRow {
    pub recorded_on: String,
    pub percent: i32,
    pub note: String,
}
