//! Case owners: the person on the receiving side who answers for a case.
//! The owner is copied into `case_links` like the status, so work queues
//! ("Unassigned", "Mine") read the same index range as the case list.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Plain SQL: both databases accept a nullable column with a
        // reference added in place, which the schema builder cannot say
        // for SQLite. One batch, so one connection (see migration 000014).
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE cases ADD COLUMN owner_user_id INTEGER NULL REFERENCES users (id);\n\
                 ALTER TABLE case_links ADD COLUMN owner_user_id INTEGER NULL;\n\
                 CREATE INDEX idx_case_links_owner ON case_links (owner_user_id, updated_at, case_id);\n",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .get_connection()
            .execute_unprepared(
                "DROP INDEX IF EXISTS idx_case_links_owner;\n\
                 ALTER TABLE case_links DROP COLUMN owner_user_id;\n\
                 ALTER TABLE cases DROP COLUMN owner_user_id;\n",
            )
            .await?;
        Ok(())
    }
}
