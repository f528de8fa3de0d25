//! The practice case manager's list query at scale: p50 and p95 of the
//! first page (all doctors, one doctor, one status, a text search), at
//! each size, on SQLite and (when reachable) PostgreSQL.
//!
//! `cargo bench -p server --bench case_list`; sizes with
//! `CASEPORT_BENCH_SIZES=10000,1000000` (the default), iterations with
//! `CASEPORT_BENCH_ITERATIONS` (default 200).

use std::time::Instant;

use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;

use app::auth::Role;
use app::auth::policy::Actor;
use app::cases::CaseStatus;
use app::cases::filters::CaseFilter;
use server::bulk::{BulkSize, seed_bulk};

mod common;
use common::{ScratchPostgres, percentile, scratch_sqlite};

async fn measure(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: &CaseFilter,
    iterations: usize,
) -> (f64, f64, u64) {
    let mut times = Vec::with_capacity(iterations);
    let mut total = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        let page = app::cases::service::list_page(db, actor, filter, None, 50)
            .await
            .expect("list");
        times.push(started.elapsed());
        total = page.total;
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95), total)
}

async fn run(label: &str, db: DatabaseConnection, cases: u32, iterations: usize) {
    Migrator::up(&db, None).await.expect("migrate");
    let started = Instant::now();
    let world = seed_bulk(
        &db,
        BulkSize {
            cases,
            doctors: 5000,
            practices: 200,
        },
        42,
    )
    .await
    .expect("seed");
    eprintln!("{label} {cases}: generated in {:.1?}", started.elapsed());
    let (cm_user, org) = world.managers[world.managers.len() / 2];
    let actor = Actor {
        user_id: cm_user,
        organisation_id: org,
        organisation_kind: app::orgs::OrgKind::Practice,
        role: Role::PracticeCaseManager,
        portal_open: false,
        zone: app::zone::Zone::UTC,
    };
    let doctor = world
        .doctors
        .iter()
        .find(|(_, o)| *o == org)
        .map(|(u, _)| *u);
    let filters = [
        ("all doctors", CaseFilter::default()),
        (
            "one doctor",
            CaseFilter {
                doctor,
                ..Default::default()
            },
        ),
        (
            "status",
            CaseFilter {
                status: Some(CaseStatus::Accepted),
                ..Default::default()
            },
        ),
        (
            "text",
            CaseFilter {
                q: Some("knee".into()),
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in filters {
        // Warm the caches once, as a running server would have them.
        let _ = measure(&db, &actor, &filter, 3).await;
        let (p50, p95, total) = measure(&db, &actor, &filter, iterations).await;
        println!(
            "{label:<10} {cases:>8} cases  {name:<12} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  ({total} matching)"
        );
    }
}

fn main() {
    let sizes: Vec<u32> = std::env::var("CASEPORT_BENCH_SIZES")
        .unwrap_or_else(|_| "10000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let iterations: usize = std::env::var("CASEPORT_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let backends =
        std::env::var("CASEPORT_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        for &cases in &sizes {
            if backends.contains("sqlite") {
                let (_dir, db) = scratch_sqlite().await;
                run("sqlite", db, cases, iterations).await;
            }
            if backends.contains("postgres")
                && let Some(pg) = ScratchPostgres::create(&format!("caseport_bench_{cases}")).await
            {
                run("postgres", pg.db.clone(), cases, iterations).await;
                pg.drop().await;
            }
        }
    });
}
