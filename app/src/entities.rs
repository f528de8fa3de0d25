//! SeaORM entities: table shapes only. Rules and finders live in each
//! feature's `service` module, never here.

pub mod access_change;
pub mod activity_log;
pub mod appointment;
pub mod assessment;
pub mod case;
pub mod case_associate;
pub mod case_link;
pub mod case_manager_profile;
pub mod client;
pub mod client_assignment;
pub mod client_team_lead;
pub mod doctor;
pub mod document;
pub mod document_category;
pub mod goal;
pub mod goal_progress;
pub mod invitation;
pub mod login_throttle;
pub mod message;
pub mod message_recipient;
pub mod messaging_setting;
pub mod organisation;
pub mod password_reset;
pub mod portal_setting;
pub mod recovery_code;
pub mod report;
pub mod report_delivery;
pub mod report_schedule;
pub mod report_schedule_recipient;
pub mod service_note;
pub mod session;
pub mod sign_in_challenge;
pub mod two_factor;
pub mod user;
pub mod visibility_setting;
