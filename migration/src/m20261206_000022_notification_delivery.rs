//! How notifications reach people besides the app: a doctor may hand their
//! notifications to their practice's case managers (`notify_case_managers`),
//! and anyone may take a kind of event as one daily digest e-mail at a
//! local hour of their choosing (`digest_hour`). A notification remembers
//! the doctor it was handed on from (`for_user_id`) and whether it waits for
//! a digest (`digest`, until `digested_at`).

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    NotifyCaseManagers,
    DigestHour,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    ForUserId,
    Digest,
    DigestedAt,
}

fn add_column(backend: DbBackend, table: impl IntoIden, column: ColumnDef) -> String {
    let stmt = Table::alter().table(table).add_column(column).to_owned();
    match backend {
        DbBackend::Postgres => stmt.to_string(PostgresQueryBuilder),
        _ => stmt.to_string(SqliteQueryBuilder),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let b = manager.get_database_backend();
        let statements = [
            add_column(
                b,
                Users::Table,
                boolean(Users::NotifyCaseManagers).default(false).to_owned(),
            ),
            add_column(
                b,
                Users::Table,
                integer(Users::DigestHour).default(7).to_owned(),
            ),
            add_column(
                b,
                Notifications::Table,
                integer_null(Notifications::ForUserId),
            ),
            add_column(
                b,
                Notifications::Table,
                boolean(Notifications::Digest).default(false).to_owned(),
            ),
            add_column(
                b,
                Notifications::Table,
                timestamp_with_time_zone_null(Notifications::DigestedAt),
            ),
            // The digest job looks for what still waits, per person.
            "CREATE INDEX idx_notifications_digest ON notifications (digest, digested_at, user_id)"
                .to_string(),
        ];
        manager
            .get_connection()
            .execute_unprepared(&format!("{};\n", statements.join(";\n")))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "DROP INDEX IF EXISTS idx_notifications_digest;\n\
                 ALTER TABLE notifications DROP COLUMN digested_at;\n\
                 ALTER TABLE notifications DROP COLUMN digest;\n\
                 ALTER TABLE notifications DROP COLUMN for_user_id;\n\
                 ALTER TABLE users DROP COLUMN digest_hour;\n\
                 ALTER TABLE users DROP COLUMN notify_case_managers;\n",
            )
            .await?;
        Ok(())
    }
}
