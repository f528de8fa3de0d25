//! The agency's message badge and inbox with many conversations: p50 and
//! p95 of the unread count (asked every few seconds by every open page)
//! and of the inbox, and how many SQL statements each call makes, with
//! messages routed to all admins and to each client's team lead; on
//! SQLite and (when reachable) PostgreSQL.
//!
//! `cargo bench -p server --bench messages`; conversations with
//! `CASEPORT_BENCH_CONVERSATIONS` (default 1000), iterations with
//! `CASEPORT_BENCH_ITERATIONS` (default 100).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::Utc;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use app::assignments::Relationship;
use app::auth::policy::Actor;
use app::entities::{
    client, client_assignment, client_team_lead, message, messaging_setting, organisation, user,
};
use app::messages::Routing;
use app::messages::service::{inbox, unread};

mod common;
use common::{ScratchPostgres, percentile, scratch_sqlite};

/// Times `call` and counts the statements one call makes.
async fn measure<F, Fut>(queries: &AtomicUsize, iterations: usize, call: F) -> (f64, f64, usize)
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

async fn user_by_email(db: &DatabaseConnection, email: &str) -> user::Model {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(db)
        .await
        .expect("query")
        .expect(email)
}

/// `count` clients of Harbour, each assigned to Erin, with Harper as team
/// lead and an unread message each way.
async fn conversations(db: &DatabaseConnection, count: usize) {
    let harbour = organisation::Entity::find()
        .filter(organisation::Column::Slug.eq("harbour"))
        .one(db)
        .await
        .expect("query")
        .expect("harbour");
    let erin = user_by_email(db, "erin@northcounty.example").await;
    let harper = user_by_email(db, "admin@harbour.example").await;
    let now = Utc::now();
    let txn = app::db::begin_write(db).await.expect("txn");
    for i in 0..count {
        let c = client::ActiveModel {
            organisation_id: Set(harbour.id),
            full_name: Set(format!("Bench Client {i:04}")),
            date_of_birth: Set(None),
            phone: Set(None),
            email: Set(None),
            address: Set(None),
            authorised_hours_per_month: Set(10),
            archived_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .expect("client");
        client_assignment::ActiveModel {
            client_id: Set(c.id),
            case_manager_user_id: Set(erin.id),
            relationship: Set(Relationship::Primary),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .expect("assignment");
        client_team_lead::ActiveModel {
            client_id: Set(c.id),
            user_id: Set(harper.id),
        }
        .insert(&txn)
        .await
        .expect("team lead");
        for (author, body) in [
            (erin.id, "Could the visit move to Thursday?"),
            (harper.id, "Yes."),
        ] {
            message::ActiveModel {
                organisation_id: Set(harbour.id),
                client_id: Set(c.id),
                case_manager_user_id: Set(erin.id),
                author_user_id: Set(author),
                body: Set(body.into()),
                created_at: Set(now),
                read_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .expect("message");
        }
    }
    txn.commit().await.expect("commit");
}

async fn route(db: &DatabaseConnection, routing: Routing) {
    messaging_setting::Entity::update_many()
        .col_expr(
            messaging_setting::Column::Recipients,
            sea_orm::sea_query::Expr::value(routing.key()),
        )
        .exec(db)
        .await
        .expect("routing");
}

async fn run(label: &str, mut db: DatabaseConnection, count: usize, iterations: usize) {
    Migrator::up(&db, None).await.expect("migrate");
    server::seed::seed_demo(&db).await.expect("seed");
    conversations(&db, count).await;
    let queries = Arc::new(AtomicUsize::new(0));
    let counter = queries.clone();
    db.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let harper = user_by_email(&db, "admin@harbour.example").await;
    let erin = user_by_email(&db, "erin@northcounty.example").await;
    let zone = app::zone::Zone::parse("America/Chicago").expect("zone");
    let admin = Actor {
        user_id: harper.id,
        organisation_id: harper.organisation_id,
        organisation_kind: app::orgs::OrgKind::Agency,
        role: harper.role,
        portal_open: true,
        zone,
    };
    let case_manager = Actor {
        user_id: erin.id,
        role: erin.role,
        ..admin.clone()
    };
    for routing in [Routing::AllAdmins, Routing::TeamLead] {
        route(&db, routing).await;
        let checks: [(&str, &Actor); 3] = [
            ("unread (admin)", &admin),
            ("inbox (admin)", &admin),
            ("unread (case manager)", &case_manager),
        ];
        for (name, actor) in checks {
            let db = &db;
            let (p50, p95, per_call) = measure(&queries, iterations, || async move {
                if name.starts_with("inbox") {
                    let rows = inbox(db, actor, None, None, true).await.expect("inbox");
                    assert_eq!(rows.len(), count, "every conversation is listed");
                } else {
                    let n = unread(db, actor).await.expect("unread").unwrap_or(0);
                    assert!(n as usize >= count, "every message counts: {n}");
                }
            })
            .await;
            println!(
                "{label:<9} {count:>5} conversations  {:<10} {name:<22} p50 {p50:>8.2} ms  p95 {p95:>8.2} ms  {per_call:>5} statements",
                routing.key()
            );
        }
    }
}

fn main() {
    let count: usize = std::env::var("CASEPORT_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let iterations: usize = std::env::var("CASEPORT_BENCH_ITERATIONS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let backends =
        std::env::var("CASEPORT_BENCH_BACKENDS").unwrap_or_else(|_| "sqlite,postgres".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        if backends.contains("sqlite") {
            let (_dir, db) = scratch_sqlite().await;
            run("sqlite", db, count, iterations).await;
        }
        if backends.contains("postgres")
            && let Some(pg) = ScratchPostgres::create("caseport_bench_messages").await
        {
            run("postgres", pg.db.clone(), count, iterations).await;
            pg.drop().await;
        }
    });
}
