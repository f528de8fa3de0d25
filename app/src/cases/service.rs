//! Case rules and queries, free of HTTP. Every query is scoped by the actor
//! and every change asks the policy first, inside the transaction that
//! makes it and writes its activity-log row.

mod changes;
pub mod conversation;
pub mod deadlines;
mod detail;
mod directory;
pub(crate) mod links;
pub(crate) mod listing;
mod owner;
pub mod views;

pub use changes::{StatusChange, bulk, create, modify, refer, transition};
pub use detail::{acknowledge, history, open_case};
pub use directory::directory;
pub use links::{facts, rebuild as rebuild_links};
pub use listing::{export_csv, list_page, queue_counts};
pub use owner::assign;
