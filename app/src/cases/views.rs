//! Saved views: a person's own named filters of the case list. A view is
//! stored as the list's query string, so opening one is following a link.

use serde::{Deserialize, Serialize};

/// Most views one person keeps.
pub const MAX_VIEWS: usize = 20;
/// Longest view name.
pub const MAX_NAME_CHARS: usize = 60;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i32,
    pub name: String,
    /// `/?status=requested&…`
    pub href: String,
}
