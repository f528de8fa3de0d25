//! The activity log as an organisation's admins read it: newest first, a
//! page at a time (keyset on the row id), narrowed by action and by text
//! that matches the acting user or the row's details (a client's or a
//! case manager's name, an e-mail address). It answers the portal's
//! troubleshooting questions: why could they not sign in, what did they
//! see, who changed what.

use serde::{Deserialize, Serialize};

use crate::activity::ActivityAction;

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

/// Rows per page.
pub const PAGE: u64 = 50;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    pub id: i64,
    /// On the organisation's clock, with its zone.
    pub at: String,
    pub who: String,
    pub action: ActivityAction,
    pub subject: String,
    pub detail: String,
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// Pass as `before` for the next (older) page.
    pub next_before: Option<i64>,
}

/// What the log is narrowed to, as the URL carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogFilter {
    /// An action's stored key, or empty for any.
    pub action: String,
    /// A person's name or e-mail, or a client's name.
    pub text: String,
    /// `YYYY-MM-DD`, inclusive; empty for open-ended.
    pub from: String,
    pub to: String,
}

impl LogFilter {
    /// The query string of the page and of the CSV export.
    pub fn query(&self) -> String {
        use crate::ui::encode;
        format!(
            "action={}&q={}&from={}&to={}",
            encode(&self.action),
            encode(&self.text),
            encode(&self.from),
            encode(&self.to)
        )
    }
}
