//! Machine access to the FHIR API: personal API tokens, kept as hashes, and
//! the bulk exports an admin asked for. A token carries read-only scopes
//! and an expiry; it is checked against its user's standing on every use.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    Scopes,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum FhirExports {
    Table,
    Id,
    OrganisationId,
    RequestedBy,
    Status,
    RequestedAt,
    FinishedAt,
    Output,
    Error,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .if_not_exists()
                    .col(pk_auto(ApiTokens::Id))
                    .col(integer(ApiTokens::UserId))
                    .col(string_len(ApiTokens::Name, 80))
                    // Comma-separated scope keys ("referrals,directory").
                    .col(string_len(ApiTokens::Scopes, 200))
                    .col(string_len_uniq(ApiTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_user")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(FhirExports::Table)
                    .if_not_exists()
                    // A random id: the status URL is not guessable.
                    .col(string_len(FhirExports::Id, 64).primary_key())
                    .col(integer(FhirExports::OrganisationId))
                    .col(integer(FhirExports::RequestedBy))
                    .col(string_len(FhirExports::Status, 16))
                    .col(timestamp_with_time_zone(FhirExports::RequestedAt))
                    .col(timestamp_with_time_zone_null(FhirExports::FinishedAt))
                    // JSON: the files written, by resource type.
                    .col(text_null(FhirExports::Output))
                    .col(text_null(FhirExports::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FhirExports::Table, FhirExports::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(FhirExports::Table, FhirExports::RequestedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(FhirExports::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await
    }
}
