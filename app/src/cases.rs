//! Referral cases between doctors.

pub mod api;
pub mod pages;
mod status;

#[cfg(feature = "ssr")]
pub mod service;

pub use status::{CaseStatus, Urgency};
