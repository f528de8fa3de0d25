//! The write path under load: many clients at once, each a doctor editing
//! their own case through the case service (the policy check, the version
//! check, the change and its activity-log row in one transaction), for a
//! fixed time on SQLite and (when reachable) PostgreSQL. Reports
//! successful writes per second, p50 and p95, and how many writes failed.
//!
//! `cargo bench -p server --bench write_path`; clients with
//! `CASEPORT_BENCH_CLIENTS` (default 200), seconds with
//! `CASEPORT_BENCH_SECONDS` (default 60), backends with
//! `CASEPORT_BENCH_BACKENDS` (default `sqlite,postgres`).

use std::time::{Duration, Instant};

use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};

use app::auth::caller::Caller;
use app::cases::{CaseChanges, Urgency};
use app::entities::{case, doctor};
use app::error::AppError;
use app::server_context::RuntimeConfig;
use server::bulk::{BulkSize, seed_bulk};

mod common;
use common::{env_or, on_each_backend, percentile};

/// A signed-in doctor and the case they will keep editing.
async fn client(db: &DatabaseConnection, c: &case::Model) -> Caller {
    let config = RuntimeConfig {
        secure_cookies: false,
        session_absolute_hours: 12,
        public_url: "http://localhost".into(),
        metrics_token_sha256: None,
    };
    let doctor = doctor::Entity::find_by_id(c.referred_to_doctor_id)
        .one(db)
        .await
        .expect("doctor")
        .expect("the case's doctor");
    let token = app::auth::session::create(db, doctor.user_id, None, None, &config)
        .await
        .expect("session");
    let user = app::auth::session::resolve(db, &token, false)
        .await
        .expect("resolve")
        .expect("an open session");
    Caller::new(user, Some("127.0.0.1".into()))
}

struct Outcome {
    writes: usize,
    failed: usize,
    conflicts: usize,
    times: Vec<Duration>,
}

async fn run(label: &str, db: DatabaseConnection, clients: usize, secs: u64) {
    seed_bulk(
        &db,
        BulkSize {
            cases: 20_000,
            doctors: 2_000,
            practices: 100,
        },
        42,
    )
    .await
    .expect("seed");
    // The most recent cases, each edited by its own referred-to doctor;
    // one doctor may have several, which is how a busy practice looks.
    let cases = case::Entity::find()
        .order_by_desc(case::Column::Id)
        .limit(clients as u64)
        .all(&db)
        .await
        .expect("cases");
    let mut callers = Vec::new();
    for c in &cases {
        callers.push(client(&db, c).await);
    }
    let until = Instant::now() + Duration::from_secs(secs);
    let tasks: Vec<_> = cases
        .into_iter()
        .zip(callers)
        .enumerate()
        .map(|(i, (c, caller))| {
            let db = db.clone();
            let label = label.to_string();
            tokio::spawn(async move {
                let mut out = Outcome {
                    writes: 0,
                    failed: 0,
                    conflicts: 0,
                    times: Vec::new(),
                };
                let mut version = c.version;
                let mut n = 0u64;
                while Instant::now() < until {
                    n += 1;
                    let changes = CaseChanges {
                        patient_contact: c.patient_contact.clone(),
                        reason: format!("Review {i}.{n}"),
                        urgency: Urgency::Routine,
                        notes: None,
                    };
                    let started = Instant::now();
                    match app::cases::service::modify(&db, &caller, c.id, version, changes).await {
                        Ok(()) => {
                            out.writes += 1;
                            out.times.push(started.elapsed());
                            version += 1;
                        }
                        Err(AppError::Conflict(_)) => {
                            out.conflicts += 1;
                            version = case::Entity::find_by_id(c.id)
                                .one(&db)
                                .await
                                .ok()
                                .flatten()
                                .map_or(version, |c| c.version);
                        }
                        Err(e) => {
                            if out.failed == 0 {
                                eprintln!("{label}: a write failed: {e}");
                            }
                            out.failed += 1;
                        }
                    }
                }
                out
            })
        })
        .collect();
    let mut writes = 0;
    let mut failed = 0;
    let mut conflicts = 0;
    let mut times = Vec::new();
    for t in tasks {
        let o = t.await.expect("client");
        writes += o.writes;
        failed += o.failed;
        conflicts += o.conflicts;
        times.extend(o.times);
    }
    times.sort();
    let (p50, p95) = if times.is_empty() {
        (0.0, 0.0)
    } else {
        (percentile(&times, 0.5), percentile(&times, 0.95))
    };
    println!(
        "{label:<9} {clients} clients {secs} s: {:>7.0} writes/s  p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  ({writes} written, {failed} failed, {conflicts} conflicts)",
        writes as f64 / secs as f64
    );
    match app::activity::service::verify_chain(&db).await {
        Ok(report) if report.first_broken.is_none() => {
            println!("{label:<9} activity log intact: {} rows", report.rows)
        }
        Ok(report) => println!(
            "{label:<9} activity log BROKEN at {:?}",
            report.first_broken
        ),
        Err(e) => println!("{label:<9} could not verify the activity log: {e}"),
    }
}

fn main() {
    let clients = env_or("CASEPORT_BENCH_CLIENTS", 200);
    let secs = env_or("CASEPORT_BENCH_SECONDS", 60) as u64;
    on_each_backend("caseport_bench_writes", async |label, db| {
        run(label, db, clients, secs).await
    });
}
