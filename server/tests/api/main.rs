//! Integration tests: the real router against a real database. Every test
//! runs on SQLite and, when a server is reachable, on PostgreSQL.

mod helpers;

mod admin;
mod auth;
mod cases;
mod csrf;
mod database;
mod referrals;
mod security;
mod sessions;
mod surface;
mod visibility_property;
