//! Pieces every feature's pages share: error and not-found notices,
//! browser-only timers, and query-string helpers. Nothing here knows a
//! feature.

mod colour;
mod dialog;
mod error_summary;
mod notice;
mod page;
mod timers;
mod url;

pub use colour::{dark_text_on, ink_on};
pub use dialog::ConfirmDialog;
pub use error_summary::{ErrorSummary, focus_by_id};
pub use notice::{ErrorNotice, NotFound, error_for};
pub use page::{FocusOnNavigate, PageTitle, TableScroll};
pub use timers::{debounced, polling};
pub use url::{encode, replace_query};
