//! Caseport: components, pages and the typed server functions that the
//! server (`ssr`) and the browser (`hydrate`) share.
#![recursion_limit = "256"]

pub mod activity;
pub mod admin;
pub mod agency;
pub mod api_tokens;
pub mod assignments;
pub mod auth;
pub mod care;
pub mod cases;
pub mod error;
#[cfg(feature = "ssr")]
pub mod fhir;
pub mod home;
pub mod layout;
pub mod messages;
pub mod notifications;
pub mod orgs;
pub mod portal;
pub mod reports;
pub mod routes;
pub mod shell;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod counters;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod entities;
#[cfg(feature = "ssr")]
pub mod housekeeping;
#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod server_context;
#[cfg(feature = "ssr")]
pub mod storage;
#[cfg(feature = "ssr")]
pub mod zone;

pub use shell::{App, shell};
