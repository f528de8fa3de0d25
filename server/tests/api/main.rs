//! Integration tests: the real router against a real database. Every test
//! runs on SQLite and, when a server is reachable, on PostgreSQL.

mod helpers;

mod activity_log;
mod admin;
mod auth;
mod case_conversation;
mod case_list_property;
mod cases;
mod csrf;
mod database;
mod deadlines;
mod fhir;
mod hostile_input;
mod idle;
mod messages;
mod notification_delivery;
mod notifications;
mod operations;
mod outbox;
mod owners;
mod password_reset;
mod portal;
mod portal_leaks;
mod referrals;
mod reports;
mod s3_storage;
mod saved_views;
mod security;
mod sessions;
mod surface;
mod time_zones;
mod two_factor;
