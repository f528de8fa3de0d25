//! Two agency pages at scale: the portal's "My clients" for a case manager
//! with many assigned clients (each with appointments this month and
//! ahead), and the admins' activity log over a million rows (the first
//! page; one action; a person's name; a fortnight). p50, p95 and the SQL
//! statements per call, on SQLite and (when reachable) PostgreSQL.
//!
//! `cargo bench -p server --bench portal_pages`; clients with
//! `CASEPORT_BENCH_CLIENTS` (default 500), log rows with
//! `CASEPORT_BENCH_LOG_ROWS` (default 1000000), iterations with
//! `CASEPORT_BENCH_ITERATIONS` (default 100).

use std::time::Instant;

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use app::activity::ActivityAction;
use app::activity::log::LogFilter;
use app::care::AppointmentStatus;
use app::entities::{activity_log, appointment, organisation, user};
use app::portal::ClientsFilter;

mod common;
use common::{
    assigned_client, count_statements, env_or, harbour_people, measure_statements, on_each_backend,
    user_by_email,
};

/// `count` clients of Harbour assigned to Erin, each with a visit done
/// earlier this month and two ahead.
async fn clients(db: &DatabaseConnection, harbour: i32, erin: i32, admin: i32, count: usize) {
    let now = Utc::now();
    let txn = app::db::begin_write(db).await.expect("txn");
    for i in 0..count {
        let c = assigned_client(&txn, harbour, erin, format!("Bench Client {i:04}"), 20).await;
        for (days, status) in [
            (-1, AppointmentStatus::Completed),
            (2, AppointmentStatus::Scheduled),
            (9, AppointmentStatus::Scheduled),
        ] {
            let starts = now + Duration::days(days) + Duration::minutes(i as i64);
            appointment::ActiveModel {
                organisation_id: Set(harbour),
                client_id: Set(c.id),
                staff_user_id: Set(None),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(1)),
                service_type: Set("Home visit".into()),
                status: Set(status),
                minutes: Set(60),
                created_by: Set(admin),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .expect("appointment");
        }
    }
    txn.commit().await.expect("commit");
}

/// `rows` activity-log rows for Harbour over the past year: sign-ins,
/// page views and downloads by its people, in multi-row inserts.
async fn log_rows(db: &DatabaseConnection, harbour: i32, people: &[i32], rows: usize) {
    let started = Instant::now();
    let now = Utc::now();
    let actions = [
        ActivityAction::PageViewed,
        ActivityAction::PageViewed,
        ActivityAction::PageViewed,
        ActivityAction::SignIn,
        ActivityAction::DocumentDownloaded,
        ActivityAction::ReportGenerated,
    ];
    let batch = 1000;
    let mut written = 0;
    while written < rows {
        let n = batch.min(rows - written);
        let models = (written..written + n).map(|i| {
            // Oldest first, so ids and times rise together as they do live.
            let at = now - Duration::seconds(((rows - i) * 31) as i64);
            activity_log::ActiveModel {
                organisation_id: Set(Some(harbour)),
                actor_user_id: Set(Some(people[i % people.len()])),
                on_behalf_of_user_id: Set(None),
                action: Set(actions[i % actions.len()]),
                subject_type: Set("client".into()),
                subject_id: Set(Some((i % 500) as i32 + 1)),
                detail: Set(r#"{"page":"schedule"}"#.into()),
                ip: Set(Some("192.0.2.7".into())),
                created_at: Set(at),
                prev_hash: Set(None),
                hash: Set(String::new()),
                ..Default::default()
            }
        });
        activity_log::Entity::insert_many(models)
            .exec(db)
            .await
            .expect("log rows");
        written += n;
    }
    db.execute_unprepared("ANALYZE").await.expect("analyze");
    eprintln!("{rows} log rows written in {:.1?}", started.elapsed());
}

async fn run(
    label: &str,
    mut db: DatabaseConnection,
    count: usize,
    rows: usize,
    iterations: usize,
) {
    server::seed::seed_demo(&db).await.expect("seed");
    let harbour = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("harbour"))
        .one(&db)
        .await
        .expect("query")
        .expect("harbour");
    let erin = user_by_email(&db, "erin@northcounty.example").await;
    let harper = user_by_email(&db, "admin@harbour.example").await;
    clients(&db, harbour.id, erin.id, harper.id, count).await;
    let people: Vec<i32> = user::Entity::find()
        .filter(user::Column::OrganisationId.eq(harbour.id))
        .all(&db)
        .await
        .expect("people")
        .into_iter()
        .map(|u| u.id)
        .chain([erin.id])
        .collect();
    log_rows(&db, harbour.id, &people, rows).await;

    let queries = count_statements(&mut db);
    let (admin, case_manager) = harbour_people(&db).await;
    let db = &db;
    let (p50, p95, per_call) = measure_statements(&queries, iterations, || async {
        let rows = app::portal::service::my_clients(db, &case_manager, &ClientsFilter::default())
            .await
            .expect("my clients");
        assert!(rows.len() >= count, "every assigned client is listed");
        assert!(
            rows.iter()
                .filter(|r| r.id > 0 && r.next_appointment.is_some())
                .count()
                >= count,
            "each bench client has a visit ahead"
        );
    })
    .await;
    println!(
        "{label:<9} my clients ({count} assigned)        p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  {per_call:>5} statements"
    );
    let two_weeks = (
        (Utc::now() - Duration::days(20))
            .format("%Y-%m-%d")
            .to_string(),
        (Utc::now() - Duration::days(7))
            .format("%Y-%m-%d")
            .to_string(),
    );
    let filters = [
        ("first page", LogFilter::default()),
        (
            "one action",
            LogFilter {
                action: ActivityAction::DocumentDownloaded.key(),
                ..Default::default()
            },
        ),
        (
            "a person",
            LogFilter {
                text: harper.display_name.clone(),
                ..Default::default()
            },
        ),
        (
            "a fortnight",
            LogFilter {
                from: two_weeks.0.clone(),
                to: two_weeks.1.clone(),
                ..Default::default()
            },
        ),
    ];
    for (name, filter) in filters {
        let (p50, p95, per_call) = measure_statements(&queries, iterations, || async {
            let page = app::activity::log::service::page(db, &admin, &filter, None)
                .await
                .expect("log page");
            assert!(!page.rows.is_empty(), "{name}: rows");
        })
        .await;
        println!(
            "{label:<9} activity log ({rows} rows) {name:<12} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  {per_call:>5} statements"
        );
    }
}

fn main() {
    let count = env_or("CASEPORT_BENCH_CLIENTS", 500);
    let rows = env_or("CASEPORT_BENCH_LOG_ROWS", 1_000_000);
    let iterations = env_or("CASEPORT_BENCH_ITERATIONS", 100);
    on_each_backend("caseport_bench_portal", async |label, db| {
        run(label, db, count, rows, iterations).await
    });
}
