//! Referral cases between doctors.

pub mod api;
pub mod filters;
pub mod pages;
mod status;
pub mod workflow;

#[cfg(feature = "ssr")]
pub mod service;

pub use status::{CaseSide, CaseStatus, Urgency};
