//! SeaORM entities: table shapes only. Rules and finders live in each
//! feature's `service` module, never here.

pub mod activity_log;
pub mod case;
pub mod case_associate;
pub mod case_link;
pub mod client;
pub mod client_assignment;
pub mod doctor;
pub mod login_throttle;
pub mod organisation;
pub mod session;
pub mod user;
pub mod visibility_setting;
