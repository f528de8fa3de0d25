//! The practice case manager's list query at scale: p50 and p95 of the
//! first page (all doctors, one doctor, one status, a text search), at
//! each size, on SQLite and (when reachable) PostgreSQL.
//!
//! `cargo bench -p server --bench case_list`; sizes with
//! `CASEPORT_BENCH_SIZES=10000,1000000` (the default), iterations with
//! `CASEPORT_BENCH_ITERATIONS` (default 200).

use std::time::Instant;

use sea_orm::DatabaseConnection;

use app::auth::policy::Actor;
use app::cases::CaseStatus;
use app::cases::filters::CaseFilter;

mod common;
use common::{case_network, env_or, on_each_backend, percentile};

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
    let (world, actor) = case_network(label, &db, cases).await;
    let org = actor.organisation_id;
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
    let iterations = env_or("CASEPORT_BENCH_ITERATIONS", 200);
    for cases in sizes {
        on_each_backend(&format!("caseport_bench_{cases}"), async |label, db| {
            run(label, db, cases, iterations).await
        });
    }
}
