//! Response deadlines: each practice's days to answer a referral, in
//! business days, and the holidays that are not business days. A case
//! keeps the deadline it was given (`respond_by`, copied into its links for
//! the Overdue queue) and how far its escalation has gone, so each step is
//! taken once however many instances watch.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Id,
    OrganisationId,
    Day,
    Name,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
    DeadlineRoutineDays,
    DeadlineUrgentDays,
    DeadlineEmergencyDays,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    RespondBy,
    EscalationStep,
}

#[derive(DeriveIden)]
enum CaseLinks {
    Table,
    RespondBy,
}

/// One column added to one table, as SQL for `backend`.
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
        let holidays = Table::create()
            .table(Holidays::Table)
            .if_not_exists()
            .col(pk_auto(Holidays::Id))
            .col(integer(Holidays::OrganisationId))
            .col(date(Holidays::Day))
            .col(string_len(Holidays::Name, 100))
            .foreign_key(
                ForeignKey::create()
                    .from(Holidays::Table, Holidays::OrganisationId)
                    .to(Organisations::Table, Organisations::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .to_owned();
        let holiday_days = Index::create()
            .name("idx_holidays_organisation_day")
            .table(Holidays::Table)
            .col(Holidays::OrganisationId)
            .col(Holidays::Day)
            .unique()
            .to_owned();
        let (holidays, holiday_days) = match b {
            DbBackend::Postgres => (
                holidays.to_string(PostgresQueryBuilder),
                holiday_days.to_string(PostgresQueryBuilder),
            ),
            _ => (
                holidays.to_string(SqliteQueryBuilder),
                holiday_days.to_string(SqliteQueryBuilder),
            ),
        };
        // One batch, so one connection: on SQLite a change made on one
        // pooled connection may be unknown to another (see migration 000014).
        let statements = [
            holidays,
            holiday_days,
            add_column(
                b,
                Organisations::Table,
                integer(Organisations::DeadlineRoutineDays)
                    .default(2)
                    .to_owned(),
            ),
            add_column(
                b,
                Organisations::Table,
                integer(Organisations::DeadlineUrgentDays)
                    .default(1)
                    .to_owned(),
            ),
            add_column(
                b,
                Organisations::Table,
                integer(Organisations::DeadlineEmergencyDays)
                    .default(0)
                    .to_owned(),
            ),
            add_column(
                b,
                Cases::Table,
                timestamp_with_time_zone_null(Cases::RespondBy),
            ),
            add_column(
                b,
                Cases::Table,
                integer(Cases::EscalationStep).default(0).to_owned(),
            ),
            add_column(
                b,
                CaseLinks::Table,
                timestamp_with_time_zone_null(CaseLinks::RespondBy),
            ),
            // The deadline watch reads open cases by deadline.
            "CREATE INDEX idx_cases_respond_by ON cases (respond_by)".to_string(),
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
                "DROP INDEX IF EXISTS idx_cases_respond_by;\n\
                 ALTER TABLE case_links DROP COLUMN respond_by;\n\
                 ALTER TABLE cases DROP COLUMN escalation_step;\n\
                 ALTER TABLE cases DROP COLUMN respond_by;\n\
                 ALTER TABLE organisations DROP COLUMN deadline_emergency_days;\n\
                 ALTER TABLE organisations DROP COLUMN deadline_urgent_days;\n\
                 ALTER TABLE organisations DROP COLUMN deadline_routine_days;\n",
            )
            .await?;
        manager
            .drop_table(Table::drop().table(Holidays::Table).to_owned())
            .await?;
        Ok(())
    }
}
