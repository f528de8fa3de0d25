//! What the benchmarks share: percentiles, and scratch databases on both
//! backends, the statement counter, and the rows several of them seed.
#![allow(dead_code, reason = "each bench uses a part of it")]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use app::assignments::Relationship;
use app::auth::policy::Actor;
use app::entities::{client, client_assignment, user};

const PG_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The `p` quantile of sorted durations, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// A migrated, empty SQLite file that lives as long as the returned folder.
pub async fn scratch_sqlite() -> (tempfile::TempDir, DatabaseConnection) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.sqlite").display()
    );
    let db = server::database::open_migrated(&url, 4)
        .await
        .expect("sqlite");
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
        let db = server::database::open_migrated(
            &format!("postgres://postgres@127.0.0.1:5432/{name}"),
            4,
        )
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

/// A number from the environment, or `default`.
pub fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Runs `run` on a scratch SQLite file and on a scratch PostgreSQL
/// database named `pg_name`, as `CASEPORT_BENCH_BACKENDS` (default both)
/// chooses.
pub fn on_each_backend(pg_name: &str, run: impl AsyncFn(&'static str, DatabaseConnection)) {
    let backends =
        std::env::var("CASEPORT_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        if backends.contains("sqlite") {
            let (_dir, db) = scratch_sqlite().await;
            run("sqlite", db).await;
        }
        if backends.contains("postgres")
            && let Some(pg) = ScratchPostgres::create(pg_name).await
        {
            run("postgres", pg.db.clone()).await;
            pg.drop().await;
        }
    });
}

/// Counts the SQL statements `db` runs from now on.
pub fn count_statements(db: &mut DatabaseConnection) -> Arc<AtomicUsize> {
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    queries
}

/// Times `call`: p50 and p95 in milliseconds, and the statements one call
/// makes as `queries` (from [`count_statements`]) counts them.
pub async fn measure_statements<F, Fut>(
    queries: &AtomicUsize,
    iterations: usize,
    call: F,
) -> (f64, f64, usize)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    call().await;
    let before = queries.load(Ordering::Relaxed);
    call().await;
    let per_call = queries.load(Ordering::Relaxed) - before;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let started = Instant::now();
        call().await;
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), per_call)
}

pub async fn user_by_email(db: &DatabaseConnection, email: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
        .expect("query")
        .expect(email)
}

/// A client of `organisation` with `case_manager` as its primary.
pub async fn assigned_client(
    conn: &impl ConnectionTrait,
    organisation: i32,
    case_manager: i32,
    name: String,
    hours_per_month: i32,
) -> client::Model {
    let now = Utc::now();
    let c = client::ActiveModel {
        organisation_id: Set(organisation),
        full_name: Set(name),
        date_of_birth: Set(None),
        phone: Set(None),
        email: Set(None),
        address: Set(None),
        authorised_hours_per_month: Set(hours_per_month),
        archived_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .expect("client");
    client_assignment::ActiveModel {
        client_id: Set(c.id),
        case_manager_user_id: Set(case_manager),
        relationship: Set(Relationship::Primary),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .expect("assignment");
    c
}

/// Generates, in the migrated `db`, a referral network of `cases` cases among
/// 5,000 doctors in 200 practices; returns it with the case manager of the
/// middle practice, as whom the list benches read.
pub async fn case_network(
    label: &str,
    db: &DatabaseConnection,
    cases: u32,
) -> (server::bulk::BulkWorld, Actor) {
    let started = Instant::now();
    let world = server::bulk::seed_bulk(
        db,
        server::bulk::BulkSize {
            cases,
            doctors: 5000,
            practices: 200,
        },
        42,
    )
    .await
    .expect("seed");
    eprintln!("{label} {cases}: generated in {:.1?}", started.elapsed());
    let (user_id, organisation_id) = world.managers[world.managers.len() / 2];
    let actor = Actor {
        user_id,
        organisation_id,
        organisation_kind: app::orgs::OrgKind::Practice,
        role: app::auth::Role::PracticeCaseManager,
        portal_open: false,
        zone: app::zone::Zone::UTC,
    };
    (world, actor)
}

/// The release server on `port` over `db_url`, its files in `dir`, with
/// the background jobs off so that only the bench's requests load it.
pub fn server_command(
    dir: &std::path::Path,
    db_url: &str,
    port: u16,
    seed_demo: bool,
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_caseport"));
    cmd.arg("serve")
        .env("DATABASE_URL", db_url)
        .env("CASEPORT_SEED_DEMO", seed_demo.to_string())
        .env("CASEPORT_LISTEN", format!("127.0.0.1:{port}"))
        .env("CASEPORT_SCHEDULER_SECONDS", "0")
        .env("CASEPORT_OUTBOX_SECONDS", "0")
        .env("CASEPORT_STORAGE_DIR", dir.join("files"))
        .env("CASEPORT_OUTBOX_DIR", dir.join("outbox"))
        .env(
            "CASEPORT_SECRET_KEY",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        )
        .env("RUST_LOG", "warn")
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    cmd
}

/// Harbour's admin (Harper) and its case manager Erin from the demo data,
/// as the policy sees them.
pub async fn harbour_people(db: &DatabaseConnection) -> (Actor, Actor) {
    let harper = user_by_email(db, "admin@harbour.example").await;
    let erin = user_by_email(db, "erin@northcounty.example").await;
    let admin = Actor {
        user_id: harper.id,
        organisation_id: harper.organisation_id,
        organisation_kind: app::orgs::OrgKind::Agency,
        role: harper.role,
        portal_open: true,
        zone: app::zone::Zone::parse("America/Chicago").expect("zone"),
    };
    let case_manager = Actor {
        user_id: erin.id,
        role: erin.role,
        ..admin.clone()
    };
    (admin, case_manager)
}
