//! Client documents and their sharing with case managers. Upload and
//! download are plain HTTP routes in the server (multipart in, bytes out);
//! both go through the services here.

use serde::{Deserialize, Serialize};

use crate::agency::Sharing;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRow {
    pub id: i32,
    pub name: String,
    pub category: String,
    pub category_sharing: Sharing,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: String,
    /// Marked for sharing by staff.
    pub marked: bool,
    /// What case managers actually get, after the category rule.
    pub shared: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i32,
    pub name: String,
    pub sharing: Sharing,
}
