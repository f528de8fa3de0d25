//! Security, second round:
//! - sign-in attempts are claimed before the password is checked, and a
//!   refused attempt is logged once per lock, not once per request:
//!   `logged_until` remembers which lock was logged;
//! - TOTP keys are stored sealed (`enc:v1:<key id>:<nonce and
//!   ciphertext>`), longer than the 64 characters base32 needed.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    LoggedUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LoginThrottles::Table)
                    .add_column(timestamp_with_time_zone_null(LoginThrottles::LoggedUntil))
                    .to_owned(),
            )
            .await?;
        // SQLite does not enforce a text length; PostgreSQL does.
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("ALTER TABLE two_factor ALTER COLUMN secret TYPE varchar(255)")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if db.get_database_backend() == DbBackend::Postgres {
            // Sealed keys do not fit back: they go, and their owners set
            // two-factor up again (safer than putting them back in the clear).
            db.execute_unprepared("DELETE FROM two_factor WHERE length(secret) > 64")
                .await?;
            db.execute_unprepared("ALTER TABLE two_factor ALTER COLUMN secret TYPE varchar(64)")
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LoginThrottles::Table)
                    .drop_column(LoginThrottles::LoggedUntil)
                    .to_owned(),
            )
            .await
    }
}
