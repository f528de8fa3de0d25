//! `caseport backup` and `caseport restore`: a consistent copy of the
//! database and of every stored document, taken while the app runs, and
//! its way back into an empty target.
//!
//! A backup is a folder:
//! - `caseport.sqlite` (SQLite: `VACUUM INTO`, one consistent snapshot) or
//!   `caseport.pgdump` (PostgreSQL: `pg_dump` of an exported snapshot);
//! - `files/`: every document and logo, by storage key;
//! - `manifest.json`: when, from which kind of database, and the row count
//!   of every table *in that snapshot*, which a restore checks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use serde::{Deserialize, Serialize};

use app::storage::Storage;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub created_at: String,
    pub backend: String,
    /// Rows per table, counted in the same snapshot as the copy.
    pub rows: BTreeMap<String, i64>,
    pub files: usize,
}

const SQLITE_FILE: &str = "caseport.sqlite";
const PG_FILE: &str = "caseport.pgdump";

async fn tables(conn: &impl ConnectionTrait) -> Result<Vec<String>, String> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY 1"
        }
    };
    Ok(conn
        .query_all_raw(Statement::from_string(backend, sql))
        .await
        .map_err(|e| e.to_string())?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "name").ok())
        .collect())
}

/// Row counts of every table, as this connection sees them.
pub async fn row_counts(conn: &impl ConnectionTrait) -> Result<BTreeMap<String, i64>, String> {
    let backend = conn.get_database_backend();
    let mut rows = BTreeMap::new();
    for table in tables(conn).await? {
        let n = conn
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{table}\""),
            ))
            .await
            .map_err(|e| e.to_string())?
            .and_then(|r| r.try_get::<i64>("", "n").ok())
            .unwrap_or(0);
        rows.insert(table, n);
    }
    Ok(rows)
}

/// Takes a backup of `db` and `storage` into the folder `to`, which must
/// not exist yet or be empty.
pub async fn backup(
    db: &DatabaseConnection,
    database_url: &str,
    storage: &Storage,
    to: &Path,
) -> Result<Manifest, String> {
    if to.exists()
        && std::fs::read_dir(to)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} is not empty: choose a new folder",
            to.display()
        ));
    }
    std::fs::create_dir_all(to.join("files")).map_err(|e| e.to_string())?;
    let backend = db.get_database_backend();
    let rows = match backend {
        DbBackend::Postgres => backup_postgres(db, database_url, &to.join(PG_FILE)).await?,
        _ => {
            let file = to.join(SQLITE_FILE);
            let target = file.to_string_lossy().replace('\'', "''");
            // One consistent snapshot, made while writers go on.
            db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
                .await
                .map_err(|e| format!("VACUUM INTO failed: {e}"))?;
            let copy = app::db::connect(&format!("sqlite://{}?mode=rw", file.display()), 1)
                .await
                .map_err(|e| e.to_string())?;
            let rows = row_counts(&copy).await?;
            copy.close().await.map_err(|e| e.to_string())?;
            rows
        }
    };
    let files = copy_files_out(storage, &to.join("files")).await?;
    let manifest = Manifest {
        created_at: chrono::Utc::now().to_rfc3339(),
        backend: match backend {
            DbBackend::Postgres => "postgres".into(),
            _ => "sqlite".into(),
        },
        rows,
        files,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(to.join("manifest.json"), json).map_err(|e| e.to_string())?;
    Ok(manifest)
}

/// `pg_dump` of a snapshot exported by a transaction that counts the rows
/// in the same snapshot, so the manifest matches the dump exactly.
async fn backup_postgres(
    db: &DatabaseConnection,
    database_url: &str,
    file: &Path,
) -> Result<BTreeMap<String, i64>, String> {
    let txn = db
        .begin_with_config(
            Some(sea_orm::IsolationLevel::RepeatableRead),
            Some(sea_orm::AccessMode::ReadOnly),
        )
        .await
        .map_err(|e| e.to_string())?;
    let snapshot: String = txn
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pg_export_snapshot() AS s",
        ))
        .await
        .map_err(|e| e.to_string())?
        .and_then(|r| r.try_get::<String>("", "s").ok())
        .ok_or("no snapshot")?;
    let rows = row_counts(&txn).await?;
    let out = tokio::process::Command::new("pg_dump")
        .arg("--format=custom")
        .arg("--no-owner")
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--file={}", file.display()))
        .arg(format!("--dbname={database_url}"))
        .output()
        .await
        .map_err(|e| format!("cannot run pg_dump (install the PostgreSQL client): {e}"))?;
    txn.rollback().await.map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(rows)
}

async fn copy_files_out(storage: &Storage, dir: &Path) -> Result<usize, String> {
    let keys = storage.keys().await?;
    for key in &keys {
        let bytes = storage.get(key).await.map_err(|e| e.to_string())?;
        let path = dir.join(key);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, &bytes).map_err(|e| e.to_string())?;
    }
    Ok(keys.len())
}

/// Restores the backup in `from` into the database at `database_url` and
/// into `storage`. The database must be empty (no tables): a restore never
/// overwrites a live one. The restored row counts must equal the
/// manifest's.
pub async fn restore(
    database_url: &str,
    storage: &Storage,
    from: &Path,
) -> Result<Manifest, String> {
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(from.join("manifest.json"))
            .map_err(|e| format!("no manifest.json in {}: {e}", from.display()))?,
    )
    .map_err(|e| format!("manifest.json: {e}"))?;
    let refuse = |n: usize| {
        format!(
            "refusing to restore into a database that has {n} table(s): restore into an empty one"
        )
    };
    match (sqlite_path(database_url), manifest.backend.as_str()) {
        (Some(target), "sqlite") => {
            // Never open (and so create) the target before it is checked.
            if target.exists() {
                let existing = app::db::connect(database_url, 1)
                    .await
                    .map_err(|e| e.to_string())?;
                let present = tables(&existing).await?;
                existing.close().await.map_err(|e| e.to_string())?;
                if !present.is_empty() {
                    return Err(refuse(present.len()));
                }
            }
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
            }
            std::fs::copy(from.join(SQLITE_FILE), &target).map_err(|e| e.to_string())?;
        }
        (None, "postgres") => {
            let existing = app::db::connect(database_url, 1)
                .await
                .map_err(|e| e.to_string())?;
            let present = tables(&existing).await?;
            existing.close().await.map_err(|e| e.to_string())?;
            if !present.is_empty() {
                return Err(refuse(present.len()));
            }
            let out = tokio::process::Command::new("pg_restore")
                .arg("--no-owner")
                .arg("--exit-on-error")
                .arg(format!("--dbname={database_url}"))
                .arg(from.join(PG_FILE))
                .output()
                .await
                .map_err(|e| format!("cannot run pg_restore: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "pg_restore failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ));
            }
        }
        (_, other) => {
            return Err(format!(
                "this backup is of a {other} database; restore it into the same kind"
            ));
        }
    }
    let restored = app::db::connect(database_url, 2)
        .await
        .map_err(|e| e.to_string())?;
    let rows = row_counts(&restored).await?;
    restored.close().await.map_err(|e| e.to_string())?;
    if rows != manifest.rows {
        return Err(format!(
            "the restored row counts differ from the backup's manifest: {rows:?} vs {:?}",
            manifest.rows
        ));
    }
    copy_files_in(storage, &from.join("files")).await?;
    Ok(manifest)
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

async fn copy_files_in(storage: &Storage, dir: &Path) -> Result<(), String> {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let key = path
                .strip_prefix(dir)
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .into_owned();
            let bytes = Bytes::from(std::fs::read(&path).map_err(|e| e.to_string())?);
            storage
                .put_at(&key, bytes)
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
