//! Case screens: the dashboard with live filters, one case with its
//! actions and history, and the new-referral form.

mod conversation;
mod dashboard;
mod detail;
mod new_case;
mod saved_views;

pub use dashboard::CaseDashboard;
pub use detail::CasePage;
pub use new_case::NewCasePage;
