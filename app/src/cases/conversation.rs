//! A case's conversation and attachments, as the page shows them. The two
//! practices on a case talk in one thread; an internal note is a post only
//! the author's own practice sees.

use serde::{Deserialize, Serialize};

/// The longest post, in characters: a message, not a letter (attach those).
pub const MAX_POST_CHARS: usize = 4000;

/// One post, oldest first in the thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    /// "Casey Staff (case manager, for Dr. Ana Ortiz)" or "Dr. Li Chen".
    pub author: String,
    /// The author's practice.
    pub practice: String,
    /// Seen only within the author's practice.
    pub internal: bool,
    pub body: String,
    /// When, on the reader's clock.
    pub at: String,
}

/// One attached file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentView {
    pub id: i32,
    pub name: String,
    /// "84 KB".
    pub size: String,
    /// Who attached it, naming the doctor a case manager acted for.
    pub by: String,
    pub at: String,
}

/// What the case page's conversation panel shows, with what the reader may
/// add to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub posts: Vec<PostView>,
    pub attachments: Vec<AttachmentView>,
    /// Whether the reader may post and attach (everyone who may change the
    /// case; plain staff only read).
    pub can_post: bool,
    /// The reader's practice, which an internal note stays within.
    pub own_practice: String,
    /// The largest file the server takes, in bytes.
    pub max_upload_bytes: u64,
}
