//! Opening the database with its schema up to date.
//!
//! Migrations run on a connection of their own, closed before the pool a
//! command works with opens. On SQLite a pooled connection that was open
//! while another changed the schema can go on with the old one: a column
//! just added then reads as missing ("Missing value for column …").

use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

/// Applies pending migrations to the database at `url`.
pub async fn migrate(url: &str) -> Result<(), String> {
    let db = app::db::connect(url, 1)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))?;
    Migrator::up(&db, None)
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    db.close()
        .await
        .map_err(|e| format!("cannot close the migration connection: {e}"))
}

/// Migrates the database at `url`, then opens a pool of `max_connections`.
pub async fn open_migrated(url: &str, max_connections: u32) -> Result<DatabaseConnection, String> {
    migrate(url).await?;
    app::db::connect(url, max_connections)
        .await
        .map_err(|e| format!("cannot open the database: {e}"))
}

/// Closes `db`, migrates, and opens it again: for a command that looked at
/// the database (to ask before changing it) and now needs the new schema.
pub async fn reopen_migrated(
    db: DatabaseConnection,
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, String> {
    db.close()
        .await
        .map_err(|e| format!("cannot close the database: {e}"))?;
    open_migrated(url, max_connections).await
}
