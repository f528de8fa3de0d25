//! Caseport's schema, one migration per change. Never edit a migration that
//! has shipped: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_referrals;
mod m20261123_000003_security;
mod m20261123_000004_case_list_indexes;
mod m20261123_000005_portal;
mod m20261123_000006_care_records;
mod m20261123_000007_password_resets;
mod m20261123_000008_reports;
mod m20261123_000009_messages;
mod m20261123_000010_two_factor;
mod m20261202_000011_security_round_two;
mod m20261202_000012_mail_outbox;
mod m20261204_000013_time_zones;
mod m20261205_000014_covering_case_lists;
mod m20261206_000015_activity_log_pages;
mod m20261206_000016_notifications;
mod m20261206_000017_notification_preferences;
mod m20261206_000018_case_owners;
mod m20261206_000019_response_deadlines;
mod m20261206_000020_saved_views;
mod m20261206_000021_case_conversation;
mod m20261206_000022_notification_delivery;
mod m20261206_000023_notification_links;
mod m20261207_000024_api_access;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_referrals::Migration),
            Box::new(m20261123_000003_security::Migration),
            Box::new(m20261123_000004_case_list_indexes::Migration),
            Box::new(m20261123_000005_portal::Migration),
            Box::new(m20261123_000006_care_records::Migration),
            Box::new(m20261123_000007_password_resets::Migration),
            Box::new(m20261123_000008_reports::Migration),
            Box::new(m20261123_000009_messages::Migration),
            Box::new(m20261123_000010_two_factor::Migration),
            Box::new(m20261202_000011_security_round_two::Migration),
            Box::new(m20261202_000012_mail_outbox::Migration),
            Box::new(m20261204_000013_time_zones::Migration),
            Box::new(m20261205_000014_covering_case_lists::Migration),
            Box::new(m20261206_000015_activity_log_pages::Migration),
            Box::new(m20261206_000016_notifications::Migration),
            Box::new(m20261206_000017_notification_preferences::Migration),
            Box::new(m20261206_000018_case_owners::Migration),
            Box::new(m20261206_000019_response_deadlines::Migration),
            Box::new(m20261206_000020_saved_views::Migration),
            Box::new(m20261206_000021_case_conversation::Migration),
            Box::new(m20261206_000022_notification_delivery::Migration),
            Box::new(m20261206_000023_notification_links::Migration),
            Box::new(m20261207_000024_api_access::Migration),
        ]
    }
}
