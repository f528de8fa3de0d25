//! Referral workflow: rejection reasons, refer-on links, a search column,
//! the `case_links` index table that case lists read, and must-change
//! password for accounts an admin creates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    ParentCaseId,
    RejectionCode,
    RejectionNote,
    StatusBeforeHold,
    SearchText,
    UpdatedAt,
}

/// One row per person on a case (referred-by, referred-to or associated),
/// with the case's status and `updated_at` copied in, so every case list
/// (a doctor's, a practice's, one doctor's within a practice) is a range
/// scan on one index, newest first.
#[derive(DeriveIden)]
enum CaseLinks {
    Table,
    Id,
    CaseId,
    UserId,
    OrganisationId,
    Side,
    IsDoctor,
    Status,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityLogs {
    Table,
    SubjectType,
    SubjectId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for col in [
            integer_null(Cases::ParentCaseId),
            string_len_null(Cases::RejectionCode, 32),
            text_null(Cases::RejectionNote),
            string_len_null(Cases::StatusBeforeHold, 16),
            string_len(Cases::SearchText, 800).default("").take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Cases::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_cases_updated")
                    .table(Cases::Table)
                    .col(Cases::UpdatedAt)
                    .col(Cases::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CaseLinks::Table)
                    .if_not_exists()
                    .col(pk_auto(CaseLinks::Id))
                    .col(integer(CaseLinks::CaseId))
                    .col(integer(CaseLinks::UserId))
                    .col(integer(CaseLinks::OrganisationId))
                    .col(string_len(CaseLinks::Side, 16))
                    .col(boolean(CaseLinks::IsDoctor))
                    .col(string_len(CaseLinks::Status, 16))
                    .col(timestamp_with_time_zone(CaseLinks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_case_links_case")
                            .from(CaseLinks::Table, CaseLinks::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes: [(&str, Vec<CaseLinks>, bool); 5] = [
            (
                "uq_case_links_case_user_side",
                vec![CaseLinks::CaseId, CaseLinks::UserId, CaseLinks::Side],
                true,
            ),
            (
                "idx_case_links_org",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
                false,
            ),
            (
                "idx_case_links_org_status",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::Status,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
                false,
            ),
            (
                "idx_case_links_user",
                vec![CaseLinks::UserId, CaseLinks::UpdatedAt, CaseLinks::CaseId],
                false,
            ),
            (
                "idx_case_links_user_status",
                vec![
                    CaseLinks::UserId,
                    CaseLinks::Status,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
                false,
            ),
        ];
        for (name, cols, unique) in indexes {
            let mut index = Index::create();
            index.name(name).table(CaseLinks::Table).if_not_exists();
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_logs_subject")
                    .table(ActivityLogs::Table)
                    .col(ActivityLogs::SubjectType)
                    .col(ActivityLogs::SubjectId)
                    .col(ActivityLogs::Id)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_activity_logs_subject")
                    .table(ActivityLogs::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CaseLinks::Table).if_exists().to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_cases_updated")
                    .table(Cases::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            Cases::SearchText,
            Cases::StatusBeforeHold,
            Cases::RejectionNote,
            Cases::RejectionCode,
            Cases::ParentCaseId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Cases::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
