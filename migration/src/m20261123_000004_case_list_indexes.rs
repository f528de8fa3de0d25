//! Case lists at a million cases: the practice-wide indexes also cover
//! `is_doctor`, and links carry the search text, so the count and the text
//! filter read one index or table instead of joining `cases` per row
//! (measured by `cargo bench -p server --bench case_list`).

use sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CaseLinks {
    Table,
    OrganisationId,
    IsDoctor,
    Status,
    UpdatedAt,
    CaseId,
    SearchText,
}

fn index(name: &str, cols: Vec<CaseLinks>) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(CaseLinks::Table).if_not_exists();
    for c in cols {
        i.col(c);
    }
    i.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(CaseLinks::Table)
                    .add_column(string_len(CaseLinks::SearchText, 800).default("").take())
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE case_links SET search_text = \
                 (SELECT search_text FROM cases WHERE cases.id = case_links.case_id)",
            )
            .await?;
        for name in ["idx_case_links_org", "idx_case_links_org_status"] {
            manager
                .drop_index(Index::drop().name(name).table(CaseLinks::Table).to_owned())
                .await?;
        }
        manager
            .create_index(index(
                "idx_case_links_org_doctor",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::IsDoctor,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_case_links_org_doctor_status",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::IsDoctor,
                    CaseLinks::Status,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "idx_case_links_org_doctor",
            "idx_case_links_org_doctor_status",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(CaseLinks::Table).to_owned())
                .await?;
        }
        manager
            .create_index(index(
                "idx_case_links_org",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_case_links_org_status",
                vec![
                    CaseLinks::OrganisationId,
                    CaseLinks::Status,
                    CaseLinks::UpdatedAt,
                    CaseLinks::CaseId,
                ],
            ))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CaseLinks::Table)
                    .drop_column(CaseLinks::SearchText)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
