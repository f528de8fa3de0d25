//! What the benchmarks share: percentiles, and scratch databases on both
//! backends.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection};

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The `p` quantile of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// An empty SQLite file that lives as long as the returned folder.
pub async fn scratch_sqlite() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let db = app::db::connect(&url, 4).await.expect("sqlite");
    (dir, db)
}

/// An empty PostgreSQL database named `name`, or `None` when no server
/// answers.
pub struct ScratchPostgres {
    admin: DatabaseConnection,
    name: String,
    pub db: DatabaseConnection,
}

impl ScratchPostgres {
    pub async fn create(name: &str) -> Option<ScratchPostgres> {
        let Ok(admin) = app::db::connect(PG_ADMIN_URL, 2).await else {
            eprintln!("PostgreSQL not reachable: skipped");
            return None;
        };
        let _ = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create");
        let db = app::db::connect(&format!("postgres://postgres@127.0.0.1:5432/{name}"), 4)
            .await
            .expect("pg");
        Some(ScratchPostgres {
            admin,
            name: name.to_string(),
            db,
        })
    }

    pub async fn drop(self) {
        let _ = self.db.close().await;
        let _ = self
            .admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .await;
    }
}
