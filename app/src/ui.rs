//! Pieces every feature's pages share: error and not-found notices,
//! browser-only timers, and query-string helpers. Nothing here knows a
//! feature.

mod colour;
mod dialog;
mod error_summary;
mod field;
mod notice;
mod page;
mod timers;
mod upload;
mod url;

pub use colour::{dark_text_on, ink_on, rgb};
pub use dialog::ConfirmDialog;
pub use error_summary::{ErrorSummary, focus_by_id};
pub use field::{FieldError, FormErrors, reload_unless_invalid};
pub use notice::{ErrorNotice, NotFound, error_for};
pub use page::{Breadcrumbs, FocusOnNavigate, PageTitle, TableScroll};
pub use timers::{debounced, polling};
#[cfg(feature = "hydrate")]
pub use upload::send_form;
pub use upload::{Sent, size_label};
pub use url::{encode, replace_query};
