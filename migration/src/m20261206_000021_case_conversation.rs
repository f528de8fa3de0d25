//! A conversation on each case and files attached to it. A post is either
//! for everyone on the case or an internal note, kept to one practice
//! (`internal_to`); attachments are for everyone on the case and keep their
//! bytes in the document store under a random key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CasePosts {
    Table,
    Id,
    CaseId,
    AuthorUserId,
    OnBehalfOfUserId,
    InternalTo,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CaseAttachments {
    Table,
    Id,
    CaseId,
    UploadedBy,
    OnBehalfOfUserId,
    OriginalName,
    ContentType,
    SizeBytes,
    Sha256,
    StorageKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
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
                    .table(CasePosts::Table)
                    .if_not_exists()
                    .col(pk_auto(CasePosts::Id))
                    .col(integer(CasePosts::CaseId))
                    .col(integer(CasePosts::AuthorUserId))
                    .col(integer_null(CasePosts::OnBehalfOfUserId))
                    .col(integer_null(CasePosts::InternalTo))
                    .col(text(CasePosts::Body))
                    .col(timestamp_with_time_zone(CasePosts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CasePosts::Table, CasePosts::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CasePosts::Table, CasePosts::AuthorUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CasePosts::Table, CasePosts::OnBehalfOfUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CasePosts::Table, CasePosts::InternalTo)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_posts_case")
                    .table(CasePosts::Table)
                    .col(CasePosts::CaseId)
                    .col(CasePosts::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CaseAttachments::Table)
                    .if_not_exists()
                    .col(pk_auto(CaseAttachments::Id))
                    .col(integer(CaseAttachments::CaseId))
                    .col(integer(CaseAttachments::UploadedBy))
                    .col(integer_null(CaseAttachments::OnBehalfOfUserId))
                    .col(string_len(CaseAttachments::OriginalName, 255))
                    .col(string_len(CaseAttachments::ContentType, 100))
                    .col(big_integer(CaseAttachments::SizeBytes))
                    .col(string_len(CaseAttachments::Sha256, 64))
                    .col(string_len_uniq(CaseAttachments::StorageKey, 100))
                    .col(timestamp_with_time_zone(CaseAttachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseAttachments::Table, CaseAttachments::CaseId)
                            .to(Cases::Table, Cases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseAttachments::Table, CaseAttachments::UploadedBy)
                            .to(Users::Table, Users::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CaseAttachments::Table, CaseAttachments::OnBehalfOfUserId)
                            .to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_case_attachments_case")
                    .table(CaseAttachments::Table)
                    .col(CaseAttachments::CaseId)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CaseAttachments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CasePosts::Table).to_owned())
            .await
    }
}
