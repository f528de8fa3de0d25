//! The activity log: who did what, for whom, to which record, when and from
//! where. The app only ever inserts rows.

mod action;
pub mod log;
#[cfg(feature = "ssr")]
pub mod redact;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
mod subject;

pub use action::ActivityAction;
#[cfg(feature = "ssr")]
pub use subject::Subject;
