//! What an operator's tools ask of a running instance.

use http::StatusCode;
use migration::{Migrator, MigratorTrait};

use crate::helpers::on_both;

/// One value from a Prometheus text page: the series named `name` whose
/// labels include every one of `labels` (0 when there is none yet).
fn metric(page: &str, name: &str, labels: &[&str]) -> f64 {
    page.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.split(['{', ' ']).next() == Some(name))
        .filter(|l| labels.iter().all(|want| l.contains(want)))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn scrape(app: &crate::helpers::TestApp) -> String {
    let req = http::Request::get("/metrics")
        .header(
            http::header::AUTHORIZATION,
            format!("Bearer {}", crate::helpers::METRICS_TOKEN),
        )
        .body(axum::body::Body::empty())
        .expect("request");
    let reply = app.send(req).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// `/metrics` shows what an operator watches: requests by route template
/// (never by record id), failed and throttled sign-ins, the database pool
/// and the outbox backlog; and only to a scraper that brings the token.
#[tokio::test]
async fn metrics_count_by_route_and_need_the_token() {
    on_both(|app| async move {
        assert_eq!(
            app.get("/metrics", None).await.status,
            StatusCode::NOT_FOUND
        );
        let wrong = http::Request::get("/metrics")
            .header(http::header::AUTHORIZATION, "Bearer not the token")
            .body(axum::body::Body::empty())
            .expect("request");
        assert_eq!(app.send(wrong).await.status, StatusCode::NOT_FOUND);

        // Other tests in this process count too: compare before and after.
        let before = scrape(&app).await;
        let cookie = app.sign_in("okafor@riverside.example").await;
        for id in [1, 2] {
            app.get(&format!("/cases/{id}"), Some(&cookie)).await;
        }
        let failed = app
            .post(
                "/api/auth/login",
                &[
                    ("email", "okafor@riverside.example"),
                    ("password", "not it"),
                ],
                None,
            )
            .await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED, "{}", failed.body);
        let after = scrape(&app).await;

        let case_pages = |page: &str| {
            metric(
                page,
                "caseport_http_requests_total",
                &[r#"route="/cases/{id}""#, r#"method="GET""#],
            )
        };
        assert!(case_pages(&after) >= case_pages(&before) + 2.0, "{after}");
        let sign_ins = |page: &str| {
            metric(
                page,
                "caseport_http_requests_total",
                &[r#"route="/api/auth/login""#],
            )
        };
        assert!(sign_ins(&after) >= sign_ins(&before) + 2.0, "{after}");
        let wrong_passwords = |page: &str| {
            metric(
                page,
                "caseport_sign_in_failures_total",
                &[r#"reason="wrong_password""#],
            )
        };
        assert!(wrong_passwords(&after) >= wrong_passwords(&before) + 1.0);
        assert!(
            metric(
                &after,
                "caseport_http_request_duration_seconds_count",
                &[r#"route="/cases/{id}""#]
            ) >= 2.0
        );
        // Ids never become labels.
        assert!(!after.contains(r#"route="/cases/1""#), "{after}");
        assert!(
            after.contains("caseport_db_pool_connections{state=\"idle\"}"),
            "{after}"
        );
        assert!(after.contains("caseport_mail_outbox_backlog "), "{after}");
        app
    })
    .await;
}

/// `/healthz` answers while the process runs; `/readyz` only while the
/// database answers with a current schema and the storage is reachable,
/// and says which part is not ready.
#[tokio::test]
async fn readiness_names_what_is_not_ready() {
    on_both(|app| async move {
        let health = app.get("/healthz", None).await;
        assert_eq!(health.status, StatusCode::OK);
        let ready = app.get("/readyz", None).await;
        assert_eq!(ready.status, StatusCode::OK, "{}", ready.body);
        assert_eq!(
            ready.body,
            r#"{"database":"ok","migrations":"ok","storage":"ok"}"#
        );
        // A newer schema is not in place: not ready, and the probe says why.
        Migrator::down(&app.db, Some(1))
            .await
            .expect("roll back one");
        let ready = app.get("/readyz", None).await;
        assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            ready.body.contains(r#""migrations":"pending""#),
            "{}",
            ready.body
        );
        assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
        Migrator::up(&app.db, None).await.expect("back up");
        assert_eq!(app.get("/readyz", None).await.status, StatusCode::OK);
        app
    })
    .await;
}

/// The commands that write demo data or undo the schema refuse a database
/// with real accounts unless told `--yes`; on a demo database they run.
#[tokio::test]
async fn dangerous_commands_refuse_real_data_without_yes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("ops.sqlite").display()
    );
    let caseport = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_caseport"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("CASEPORT_NEW_USER_PASSWORD", "harbour lights forty two")
            .env("RUST_LOG", "error")
            .current_dir(dir.path())
            .output()
            .expect("run caseport")
    };
    let demo = caseport(&["seed-demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let made = caseport(&[
        "create-user",
        "--org",
        "real-practice",
        "--org-name",
        "Real Practice",
        "--email",
        "gp@real-practice.org",
        "--name",
        "Real Doctor",
        "--role",
        "admin",
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    for args in [
        &["seed-demo"][..],
        &[
            "seed-bulk",
            "--cases",
            "10",
            "--doctors",
            "2",
            "--practices",
            "1",
        ][..],
        &["migrate", "--down", "1"][..],
    ] {
        let refused = caseport(args);
        assert!(!refused.status.success(), "{args:?} ran on real data");
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(said.contains("--yes"), "{args:?}: {said}");
    }
    let weak = caseport(&[
        "create-user",
        "--org",
        "real-practice",
        "--email",
        "second@real-practice.org",
        "--name",
        "Second",
        "--role",
        "staff",
        "--password",
        "password1234",
    ]);
    assert!(!weak.status.success(), "a common password was accepted");
    let forced = caseport(&["seed-demo", "--yes"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let bulk = caseport(&[
        "seed-bulk",
        "--cases",
        "10",
        "--doctors",
        "2",
        "--practices",
        "1",
        "--yes",
    ]);
    assert!(
        bulk.status.success(),
        "{}",
        String::from_utf8_lossy(&bulk.stderr)
    );
    assert!(String::from_utf8_lossy(&bulk.stdout).contains("generated 10 cases"));
}

/// The sweep removes expired sessions, challenges, links past their grace
/// period, forgotten throttle rows and old delivered mail, and leaves
/// everything still in use.
#[tokio::test]
async fn housekeeping_removes_only_what_has_no_use() {
    use app::entities::{login_throttle, password_reset, session, sign_in_challenge};
    use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
    on_both(|app| async move {
        let now = chrono::Utc::now();
        let long_ago = now - chrono::Duration::days(40);
        let live = app.sign_in("okafor@riverside.example").await;
        let okafor = crate::referrals::user_id(&app, "okafor@riverside.example").await;
        for (id, seen, expires) in [
            (
                "a".repeat(64),
                now - chrono::Duration::hours(9),
                now + chrono::Duration::hours(3),
            ),
            (
                "b".repeat(64),
                now - chrono::Duration::minutes(1),
                now - chrono::Duration::minutes(1),
            ),
        ] {
            session::ActiveModel {
                id: Set(id),
                user_id: Set(okafor),
                created_at: Set(now - chrono::Duration::hours(11)),
                last_seen_at: Set(seen),
                expires_at: Set(expires),
                ip: Set(None),
                user_agent: Set(None),
            }
            .insert(&app.db)
            .await
            .expect("stale session");
        }
        sign_in_challenge::ActiveModel {
            id: Set("c".repeat(64)),
            user_id: Set(okafor),
            purpose: Set("code".into()),
            created_at: Set(now - chrono::Duration::minutes(10)),
            expires_at: Set(now - chrono::Duration::minutes(5)),
            attempts: Set(0),
        }
        .insert(&app.db)
        .await
        .expect("stale challenge");
        for (hash, expires) in [
            ("d".repeat(64), long_ago),
            ("e".repeat(64), now + chrono::Duration::minutes(30)),
        ] {
            password_reset::ActiveModel {
                user_id: Set(okafor),
                token_hash: Set(hash),
                requested_by: Set(None),
                created_at: Set(expires - chrono::Duration::hours(1)),
                expires_at: Set(expires),
                used_at: Set(None),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .expect("link");
        }
        login_throttle::ActiveModel {
            key: Set("ip:192.0.2.9".into()),
            failures: Set(2),
            last_failure_at: Set(now - chrono::Duration::hours(2)),
            locked_until: Set(None),
            logged_until: Set(None),
        }
        .insert(&app.db)
        .await
        .expect("old throttle");

        let swept = app::housekeeping::sweep(&app.db, Default::default(), now)
            .await
            .expect("sweep");
        assert_eq!(swept.sessions, 2, "{swept:?}");
        assert_eq!(swept.challenges, 1, "{swept:?}");
        assert_eq!(swept.reset_links, 1, "{swept:?}");
        assert_eq!(swept.throttles, 1, "{swept:?}");
        // What is still in use stays.
        assert_eq!(
            app.get("/api/auth/me", Some(&live)).await.status,
            StatusCode::OK
        );
        assert!(
            app.get("/api/auth/me", Some(&live))
                .await
                .body
                .contains("okafor")
        );
        assert_eq!(
            password_reset::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            1
        );
        let again = app::housekeeping::sweep(&app.db, Default::default(), now)
            .await
            .expect("sweep");
        assert_eq!(again.total(), 0, "{again:?}");
        app
    })
    .await;
}

/// A backup taken while people sign in (every sign-in writes a session and
/// a log row) restores into an empty database with exactly the rows of its
/// snapshot, an intact audit chain, and every document; a restore into a
/// database in use is refused.
#[tokio::test]
async fn a_backup_taken_during_writes_restores_whole() {
    use sea_orm::EntityTrait;
    on_both(|app| async move {
        let (url, empty_url) = app.database_urls().await;
        let sam = app.sign_in("sam@harbour.example").await;
        let alice = crate::portal_leaks::client_id(&app, "Alice Brown").await;
        let care_plans = crate::portal::category(&app, "Care Plans").await;
        let pdf: &[u8] = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
        let r = crate::portal::upload(&app, &sam, alice, care_plans, true, ("plan.pdf", pdf)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

        let files = tempfile::tempdir().expect("tempdir");
        let storage =
            app::storage::Storage::local(&files.path().join("live"), 1 << 20).expect("storage");
        // The app's storage is its own temp folder: copy the one document
        // into a storage this test can see, as the server's would be.
        let doc = app::entities::document::Entity::find()
            .one(&app.db)
            .await
            .expect("q")
            .expect("a document");
        storage
            .put_at(&doc.storage_key, bytes::Bytes::from_static(pdf))
            .await
            .expect("put");
        let to = files.path().join("backup");
        // Sign-ins by different people (parallel ones for one account would
        // be throttled as guesses).
        let writers = futures::future::join_all(
            [
                "casey@riverside.example",
                "okafor@riverside.example",
                "ortiz@riverside.example",
                "chen@hillside.example",
                "fischer@hillside.example",
                "morgan@hillside.example",
                "admin@harbour.example",
                "erin@northcounty.example",
            ]
            .map(|email| app.sign_in(email)),
        );
        let (_, taken) = tokio::join!(
            writers,
            server::backup::backup(&app.db, &url, &storage, &to)
        );
        let manifest = taken.expect("backup");
        assert_eq!(manifest.files, 1);
        assert!(manifest.rows["activity_logs"] > 10);

        // Not into the live database.
        let refused = server::backup::restore(&url, &storage, &to).await;
        assert!(
            refused
                .expect_err("restored over live data")
                .contains("refusing")
        );

        let restored_files =
            app::storage::Storage::local(&files.path().join("restored"), 1 << 20).expect("storage");
        let back = server::backup::restore(&empty_url, &restored_files, &to)
            .await
            .expect("restore");
        assert_eq!(back, manifest);
        let restored = app::db::connect(&empty_url, 2).await.expect("connect");
        assert_eq!(
            server::backup::row_counts(&restored).await.expect("counts"),
            manifest.rows
        );
        let chain = app::activity::service::verify_chain(&restored)
            .await
            .expect("verify");
        assert_eq!(chain.first_broken, None);
        assert_eq!(
            restored_files
                .get(&doc.storage_key)
                .await
                .expect("document")
                .as_ref(),
            pdf
        );
        restored.close().await.expect("close");
        app.drop_database(&empty_url).await;
        app
    })
    .await;
}
