//! The Caseport server: settings, database start-up, the HTTP stack and the
//! command-line tasks (migrate, seed, create a user).

pub mod backup;
pub mod bulk;
pub mod config;
pub mod database;
pub mod guard;
pub mod http;
pub mod jobs;
pub mod mail;
pub mod seed;
pub mod smtp_sink;
pub mod storage;
pub mod users;
