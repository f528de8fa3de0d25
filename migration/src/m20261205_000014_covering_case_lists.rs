//! Case lists read only their index. The practice-wide indexes also carry
//! each link's side and search text, so a text search counts and pages a
//! practice's cases without visiting the table: at a million cases a
//! search's p95 went from 56 ms to 5 ms on SQLite and from 27 ms to 8 ms on
//! PostgreSQL (`cargo bench -p server --bench case_list`). A trigram index (FTS5, pg_trgm) was not used: the
//! list always searches within one practice or doctor, whose links are
//! few next to the whole table, and a common word ("knee" is in a tenth of
//! all cases) would make a global text index return far more rows than the
//! practice has.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, key columns, carried columns) after this migration.
const COVERING: [(&str, &str, &str); 3] = [
    (
        "idx_case_links_org_doctor",
        "organisation_id, is_doctor, updated_at, case_id",
        "status, side, search_text",
    ),
    (
        "idx_case_links_org_doctor_status",
        "organisation_id, is_doctor, status, updated_at, case_id",
        "side, search_text",
    ),
    (
        "idx_case_links_user",
        "user_id, updated_at, case_id",
        "status, side, search_text",
    ),
];

/// The same indexes before it.
const PLAIN: [(&str, &str); 3] = [
    (
        "idx_case_links_org_doctor",
        "organisation_id, is_doctor, updated_at, case_id",
    ),
    (
        "idx_case_links_org_doctor_status",
        "organisation_id, is_doctor, status, updated_at, case_id",
    ),
    ("idx_case_links_user", "user_id, updated_at, case_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let mut sql = String::new();
        for (name, keys, carried) in COVERING {
            sql.push_str(&format!("DROP INDEX IF EXISTS {name};\n"));
            // PostgreSQL keeps carried columns out of the key's ordering
            // (they still count toward its entry size; search text is cut
            // to 800 bytes); SQLite has no INCLUDE, so they trail the key.
            sql.push_str(&match db.get_database_backend() {
                DbBackend::Postgres => {
                    format!("CREATE INDEX {name} ON case_links ({keys}) INCLUDE ({carried});\n")
                }
                _ => format!("CREATE INDEX {name} ON case_links ({keys}, {carried});\n"),
            });
        }
        // One batch, so one connection: on SQLite the migrator takes a
        // pooled connection per statement, and a second connection could
        // still see the index the first one dropped.
        db.execute_unprepared(&sql).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut sql = String::new();
        for (name, keys) in PLAIN {
            sql.push_str(&format!(
                "DROP INDEX IF EXISTS {name};\nCREATE INDEX {name} ON case_links ({keys});\n"
            ));
        }
        manager.get_connection().execute_unprepared(&sql).await?;
        Ok(())
    }
}
