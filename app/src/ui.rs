//! Pieces every feature's pages share: error and not-found notices,
//! browser-only timers, and query-string helpers. Nothing here knows a
//! feature.

mod notice;
mod timers;
mod url;

pub use notice::{ErrorNotice, NotFound, error_for};
pub use timers::{debounced, polling};
pub use url::{encode, replace_query};
