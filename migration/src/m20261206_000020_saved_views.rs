//! Saved views: a person's own named case-list filters, stored as the
//! query string the list reads, so a view is a link like any other.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SavedViews {
    Table,
    Id,
    UserId,
    Name,
    Query,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SavedViews::Table)
                    .if_not_exists()
                    .col(pk_auto(SavedViews::Id))
                    .col(integer(SavedViews::UserId))
                    .col(string_len(SavedViews::Name, 60))
                    .col(string_len(SavedViews::Query, 500))
                    .col(timestamp_with_time_zone(SavedViews::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SavedViews::Table, SavedViews::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One name once per person; their views listed by name.
        manager
            .create_index(
                Index::create()
                    .name("idx_saved_views_user_name")
                    .table(SavedViews::Table)
                    .col(SavedViews::UserId)
                    .col(SavedViews::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SavedViews::Table).to_owned())
            .await
    }
}
