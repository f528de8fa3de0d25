//! Notifications: people hear of what happens on their cases without
//! having to look. Each event writes one in-app notification per recipient
//! and, for e-mail, one outbox row, in the transaction of the change itself
//! (see `service`); the header's bell shows them and follows new ones while
//! the page is open (`bell`).

use serde::{Deserialize, Serialize};

pub mod api;
pub mod bell;
#[cfg(feature = "ssr")]
pub mod digest;
mod kind;
#[cfg(feature = "ssr")]
pub mod service;
pub mod settings;

pub use kind::{Delivery, NotificationKind};

/// How many of the newest notifications the bell lists.
pub const LISTED: u64 = 20;

/// One notification as its recipient sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i32,
    pub kind: NotificationKind,
    /// "Dr Bo Brown rejected referral #12 (No capacity)."
    pub text: String,
    /// Where to look: the case, when there is one.
    pub href: Option<String>,
    /// When, on the recipient's clock.
    pub at: String,
    pub unread: bool,
}

/// One line of a user's notification settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preference {
    pub kind: NotificationKind,
    pub delivery: Delivery,
    /// Mailed whatever the choice (see [`NotificationKind::always_mailed`]).
    pub locked: bool,
}

/// The bell's content: the newest notifications and how many are unread
/// in all (the unread may be more than are listed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    pub unread: u64,
    pub items: Vec<NotificationView>,
}

/// How the user's notifications travel: their digest hour, and for a
/// doctor, whether their practice's case managers receive them instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverySettings {
    /// 0–23, on the user's clock.
    pub digest_hour: i32,
    /// The user is a doctor, who may hand their notifications on.
    pub may_hand_on: bool,
    pub hand_on: bool,
    /// The case managers who would receive them, by name.
    pub case_managers: Vec<String>,
}
