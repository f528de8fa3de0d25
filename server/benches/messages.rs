//! The agency's message badge and inbox with many conversations: p50 and
//! p95 of the unread count (asked every few seconds by every open page)
//! and of the inbox, and how many SQL statements each call makes, with
//! messages routed to all admins and to each client's team lead; on
//! SQLite and (when reachable) PostgreSQL.
//!
//! `cargo bench -p server --bench messages`; conversations with
//! `CASEPORT_BENCH_CONVERSATIONS` (default 1000), iterations with
//! `CASEPORT_BENCH_ITERATIONS` (default 100).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use app::auth::policy::Actor;
use app::entities::{client_team_lead, message, messaging_setting, organisation};
use app::messages::Routing;
use app::messages::service::{inbox, unread};

mod common;
use common::{
    assigned_client, count_statements, env_or, harbour_people, measure_statements, on_each_backend,
    user_by_email,
};

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
        let c = assigned_client(
            &txn,
            harbour.id,
            erin.id,
            format!("Bench Client {i:04}"),
            10,
        )
        .await;
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
    server::seed::seed_demo(&db).await.expect("seed");
    conversations(&db, count).await;
    let queries = count_statements(&mut db);
    let (admin, case_manager) = harbour_people(&db).await;
    for routing in [Routing::AllAdmins, Routing::TeamLead] {
        route(&db, routing).await;
        let checks: [(&str, &Actor); 3] = [
            ("unread (admin)", &admin),
            ("inbox (admin)", &admin),
            ("unread (case manager)", &case_manager),
        ];
        for (name, actor) in checks {
            let db = &db;
            let (p50, p95, per_call) = measure_statements(&queries, iterations, || async move {
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
    let count = env_or("CASEPORT_BENCH_CONVERSATIONS", 1000);
    let iterations = env_or("CASEPORT_BENCH_ITERATIONS", 100);
    on_each_backend("caseport_bench_messages", async |label, db| {
        run(label, db, count, iterations).await
    });
}
