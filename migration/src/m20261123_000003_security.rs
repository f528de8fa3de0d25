//! Security: a hash chain over the activity log, triggers that make it
//! append-only in the database itself, and sign-in throttling state.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ActivityLogs {
    Table,
    PrevHash,
    Hash,
}

/// Failed sign-ins per key ("email:…" or "ip:…"): delays grow with each
/// failure and reset on success, so nobody can lock an account for good.
#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Key,
    Failures,
    LastFailureAt,
    LockedUntil,
}

const PG_UP: &str = r#"
CREATE OR REPLACE FUNCTION caseport_activity_logs_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'activity_logs is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_logs_append_only
    BEFORE UPDATE OR DELETE ON activity_logs
    FOR EACH ROW EXECUTE FUNCTION caseport_activity_logs_append_only();
"#;

const PG_DOWN: &str = r#"
DROP TRIGGER IF EXISTS activity_logs_append_only ON activity_logs;
DROP FUNCTION IF EXISTS caseport_activity_logs_append_only();
"#;

const SQLITE_UP: [&str; 2] = [
    "CREATE TRIGGER IF NOT EXISTS activity_logs_no_update BEFORE UPDATE ON activity_logs \
     BEGIN SELECT RAISE(ABORT, 'activity_logs is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS activity_logs_no_delete BEFORE DELETE ON activity_logs \
     BEGIN SELECT RAISE(ABORT, 'activity_logs is append-only'); END",
];

const SQLITE_DOWN: [&str; 2] = [
    "DROP TRIGGER IF EXISTS activity_logs_no_update",
    "DROP TRIGGER IF EXISTS activity_logs_no_delete",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            string_len_null(ActivityLogs::PrevHash, 64),
            string_len(ActivityLogs::Hash, 64).default("").take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ActivityLogs::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottles::Table)
                    .if_not_exists()
                    .col(string_len(LoginThrottles::Key, 300).primary_key())
                    .col(integer(LoginThrottles::Failures))
                    .col(timestamp_with_time_zone(LoginThrottles::LastFailureAt))
                    .col(timestamp_with_time_zone_null(LoginThrottles::LockedUntil))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_UP).await?;
            }
            _ => {
                for sql in SQLITE_UP {
                    db.execute_unprepared(sql).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match db.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_DOWN).await?;
            }
            _ => {
                for sql in SQLITE_DOWN {
                    db.execute_unprepared(sql).await?;
                }
            }
        }
        manager
            .drop_table(
                Table::drop()
                    .table(LoginThrottles::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        for col in [ActivityLogs::Hash, ActivityLogs::PrevHash] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ActivityLogs::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
