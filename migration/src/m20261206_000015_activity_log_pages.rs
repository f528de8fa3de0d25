//! The activity log pages newest first (`ORDER BY id DESC`) within one
//! organisation, optionally one action. With only (organisation,
//! created_at) to go on, SQLite read and sorted every row of the
//! organisation for each page: 630 ms for the first page of a million rows
//! (`cargo bench -p server --bench portal_pages`; PostgreSQL walked its
//! primary key backwards and took 1 ms). These indexes give the rows in
//! page order, so a page reads about as many rows as it shows.

use sea_orm::ConnectionTrait;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str); 2] = [
    ("idx_activity_logs_org_id", "organisation_id, id"),
    (
        "idx_activity_logs_org_action_id",
        "organisation_id, action, id",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql: String = INDEXES
            .iter()
            .map(|(name, keys)| {
                format!("CREATE INDEX IF NOT EXISTS {name} ON activity_logs ({keys});\n")
            })
            .collect();
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let sql: String = INDEXES
            .iter()
            .map(|(name, _)| format!("DROP INDEX IF EXISTS {name};\n"))
            .collect();
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }
}
