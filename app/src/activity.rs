//! The activity log: who did what, for whom, to which record, when and from
//! where. The app only ever inserts rows.

mod action;
pub mod log;
#[cfg(feature = "ssr")]
pub mod redact;
#[cfg(feature = "ssr")]
pub mod service;

pub use action::ActivityAction;
