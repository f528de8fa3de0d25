//! Reports for case managers: care-plan goals with their progress entries
//! (the Progress Report's data), every report made (a snapshot, so what was
//! sent can be shown again unchanged), and automated report schedules with
//! one delivery row per due run — the unique (schedule, due time) pair is
//! what makes a run happen once even with several app instances.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Clients {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Goals {
    Table,
    Id,
    OrganisationId,
    ClientId,
    Title,
    Description,
    TargetDate,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum GoalProgress {
    Table,
    Id,
    GoalId,
    RecordedOn,
    Percent,
    Note,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    OrganisationId,
    ClientId,
    Kind,
    PeriodFrom,
    PeriodTo,
    Content,
    GeneratedBy,
    CaseManagerUserId,
    Delivery,
    ScheduleId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportSchedules {
    Table,
    Id,
    OrganisationId,
    ClientId,
    Kind,
    Frequency,
    Day,
    NextRunAt,
    Active,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportScheduleRecipients {
    Table,
    ScheduleId,
    CaseManagerUserId,
}

#[derive(DeriveIden)]
enum ReportDeliveries {
    Table,
    Id,
    ScheduleId,
    DueAt,
    DeliveredAt,
    Instance,
    Reports,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Goals::Table)
                    .if_not_exists()
                    .col(pk_auto(Goals::Id))
                    .col(integer(Goals::OrganisationId))
                    .col(integer(Goals::ClientId))
                    .col(string_len(Goals::Title, 200))
                    .col(text(Goals::Description))
                    .col(date_null(Goals::TargetDate))
                    .col(string_len(Goals::Status, 16))
                    .col(integer(Goals::CreatedBy))
                    .col(timestamp_with_time_zone(Goals::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_goals_organisation",
                        (Goals::Table, Goals::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_goals_client",
                        (Goals::Table, Goals::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_goals_created_by",
                        (Goals::Table, Goals::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_goals_client")
                    .table(Goals::Table)
                    .col(Goals::ClientId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GoalProgress::Table)
                    .if_not_exists()
                    .col(pk_auto(GoalProgress::Id))
                    .col(integer(GoalProgress::GoalId))
                    .col(date(GoalProgress::RecordedOn))
                    .col(integer(GoalProgress::Percent))
                    .col(text(GoalProgress::Note))
                    .col(integer(GoalProgress::RecordedBy))
                    .col(timestamp_with_time_zone(GoalProgress::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_goal_progress_goal",
                        (GoalProgress::Table, GoalProgress::GoalId),
                        (Goals::Table, Goals::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_goal_progress_recorded_by",
                        (GoalProgress::Table, GoalProgress::RecordedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_goal_progress_goal_recorded")
                    .table(GoalProgress::Table)
                    .col(GoalProgress::GoalId)
                    .col(GoalProgress::RecordedOn)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportSchedules::Table)
                    .if_not_exists()
                    .col(pk_auto(ReportSchedules::Id))
                    .col(integer(ReportSchedules::OrganisationId))
                    .col(integer(ReportSchedules::ClientId))
                    .col(string_len(ReportSchedules::Kind, 24))
                    .col(string_len(ReportSchedules::Frequency, 16))
                    // Weekly: 1 (Monday) to 7; monthly: day 1 to 28.
                    .col(integer(ReportSchedules::Day))
                    .col(timestamp_with_time_zone(ReportSchedules::NextRunAt))
                    .col(boolean(ReportSchedules::Active))
                    .col(integer(ReportSchedules::CreatedBy))
                    .col(timestamp_with_time_zone(ReportSchedules::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_report_schedules_organisation",
                        (ReportSchedules::Table, ReportSchedules::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_report_schedules_client",
                        (ReportSchedules::Table, ReportSchedules::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_report_schedules_created_by",
                        (ReportSchedules::Table, ReportSchedules::CreatedBy),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_report_schedules_due")
                    .table(ReportSchedules::Table)
                    .col(ReportSchedules::Active)
                    .col(ReportSchedules::NextRunAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportScheduleRecipients::Table)
                    .if_not_exists()
                    .col(integer(ReportScheduleRecipients::ScheduleId))
                    .col(integer(ReportScheduleRecipients::CaseManagerUserId))
                    .primary_key(
                        Index::create()
                            .col(ReportScheduleRecipients::ScheduleId)
                            .col(ReportScheduleRecipients::CaseManagerUserId),
                    )
                    .foreign_key(&mut fk(
                        "fk_report_schedule_recipients_schedule",
                        (
                            ReportScheduleRecipients::Table,
                            ReportScheduleRecipients::ScheduleId,
                        ),
                        (ReportSchedules::Table, ReportSchedules::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_report_schedule_recipients_user",
                        (
                            ReportScheduleRecipients::Table,
                            ReportScheduleRecipients::CaseManagerUserId,
                        ),
                        (Users::Table, Users::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ReportDeliveries::Table)
                    .if_not_exists()
                    .col(pk_auto(ReportDeliveries::Id))
                    .col(integer(ReportDeliveries::ScheduleId))
                    .col(timestamp_with_time_zone(ReportDeliveries::DueAt))
                    .col(timestamp_with_time_zone(ReportDeliveries::DeliveredAt))
                    .col(string_len(ReportDeliveries::Instance, 80))
                    .col(integer(ReportDeliveries::Reports))
                    .foreign_key(&mut fk(
                        "fk_report_deliveries_schedule",
                        (ReportDeliveries::Table, ReportDeliveries::ScheduleId),
                        (ReportSchedules::Table, ReportSchedules::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_report_deliveries_run")
                    .table(ReportDeliveries::Table)
                    .col(ReportDeliveries::ScheduleId)
                    .col(ReportDeliveries::DueAt)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .if_not_exists()
                    .col(pk_auto(Reports::Id))
                    .col(integer(Reports::OrganisationId))
                    .col(integer(Reports::ClientId))
                    .col(string_len(Reports::Kind, 24))
                    .col(date(Reports::PeriodFrom))
                    .col(date(Reports::PeriodTo))
                    // The report as made, JSON: PDF and CSV are both drawn
                    // from it, so a sent report never changes afterwards.
                    .col(text(Reports::Content))
                    // Null for the scheduler.
                    .col(integer_null(Reports::GeneratedBy))
                    // Whose portal it is in (and whose visibility built it);
                    // null for a staff member's own copy.
                    .col(integer_null(Reports::CaseManagerUserId))
                    .col(string_len(Reports::Delivery, 16))
                    .col(integer_null(Reports::ScheduleId))
                    .col(timestamp_with_time_zone(Reports::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_reports_organisation",
                        (Reports::Table, Reports::OrganisationId),
                        (Organisations::Table, Organisations::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_reports_client",
                        (Reports::Table, Reports::ClientId),
                        (Clients::Table, Clients::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_reports_generated_by",
                        (Reports::Table, Reports::GeneratedBy),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_reports_case_manager",
                        (Reports::Table, Reports::CaseManagerUserId),
                        (Users::Table, Users::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_reports_schedule",
                        (Reports::Table, Reports::ScheduleId),
                        (ReportSchedules::Table, ReportSchedules::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_case_manager_created")
                    .table(Reports::Table)
                    .col(Reports::CaseManagerUserId)
                    .col(Reports::CreatedAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Reports::Table.into_iden(),
            ReportDeliveries::Table.into_iden(),
            ReportScheduleRecipients::Table.into_iden(),
            ReportSchedules::Table.into_iden(),
            GoalProgress::Table.into_iden(),
            Goals::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
