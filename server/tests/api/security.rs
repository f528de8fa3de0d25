//! The activity log is append-only and tamper-evident; sign-in is
//! throttled without locking anyone out for good.

use http::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder};

use app::activity::service::verify_chain;
use app::entities::{activity_log, login_throttle};

use crate::helpers::{PASSWORD, TestApp, on_both};

async fn exec(app: &TestApp, sql: &str) -> Result<(), sea_orm::DbErr> {
    app.db.execute_unprepared(sql).await.map(|_| ())
}

#[tokio::test]
async fn the_log_refuses_changes_and_a_tampered_row_breaks_the_chain() {
    on_both(|app| async move {
        app.sign_in("casey@riverside.example").await;
        let report = verify_chain(&app.db).await.expect("verify");
        assert!(report.rows > 10, "{report:?}");
        assert_eq!(report.first_broken, None);

        // The database itself refuses to change or remove log rows.
        assert!(
            exec(&app, "UPDATE activity_logs SET detail = '{}'")
                .await
                .is_err()
        );
        assert!(exec(&app, "DELETE FROM activity_logs").await.is_err());

        // Someone with the power to bypass that is still caught.
        let target = activity_log::Entity::find()
            .order_by_asc(activity_log::Column::Id)
            .one(&app.db)
            .await
            .expect("q")
            .expect("row")
            .id
            + 3;
        let (off, on) = match app.db.get_database_backend() {
            DbBackend::Postgres => (
                "ALTER TABLE activity_logs DISABLE TRIGGER activity_logs_append_only".to_string(),
                "ALTER TABLE activity_logs ENABLE TRIGGER activity_logs_append_only".to_string(),
            ),
            _ => (
                "DROP TRIGGER activity_logs_no_update".to_string(),
                String::new(),
            ),
        };
        exec(&app, &off).await.expect("bypass");
        exec(
            &app,
            &format!("UPDATE activity_logs SET ip = '10.0.0.1' WHERE id = {target}"),
        )
        .await
        .expect("tamper");
        if !on.is_empty() {
            exec(&app, &on).await.expect("restore");
        }
        let report = verify_chain(&app.db).await.expect("verify");
        assert_eq!(report.first_broken, Some(target));
        app
    })
    .await;
}

async fn login(app: &TestApp, email: &str, password: &str) -> crate::helpers::Reply {
    app.post(
        "/api/auth/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}

#[tokio::test]
async fn repeated_failures_slow_sign_in_down_for_known_and_unknown_accounts_alike() {
    on_both(|app| async move {
        for _ in 0..4 {
            assert_eq!(
                login(&app, "casey@riverside.example", "wrong password!")
                    .await
                    .status,
                StatusCode::UNAUTHORIZED
            );
            assert_eq!(
                login(&app, "ghost@riverside.example", "wrong password!")
                    .await
                    .status,
                StatusCode::UNAUTHORIZED
            );
        }
        // Now even the right password waits, and the answer is the same
        // for an account that does not exist.
        let known = login(&app, "casey@riverside.example", PASSWORD).await;
        let unknown = login(&app, "ghost@riverside.example", PASSWORD).await;
        assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(unknown.status, known.status);
        assert_eq!(unknown.body, known.body);
        assert!(known.body.contains("TooManyRequests"), "{}", known.body);
        assert!(known.session_cookie().is_none());

        // The delay runs out; then the right password works and clears the count.
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::LockedUntil,
                sea_orm::sea_query::Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
            )
            .exec(&app.db)
            .await
            .expect("expire");
        let ok = login(&app, "casey@riverside.example", PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
        assert!(
            login_throttle::Entity::find_by_id("email:casey@riverside.example".to_string())
                .one(&app.db)
                .await
                .expect("q")
                .is_none()
        );
        app
    })
    .await;
}

/// Scripts run by a per-response nonce, never by `'unsafe-inline'`: every
/// script the page carries holds this response's nonce, and the next
/// response gets another.
#[tokio::test]
async fn pages_allow_only_their_own_nonced_scripts() {
    let app = TestApp::sqlite().await;
    let nonce_of = |r: &crate::helpers::Reply| -> String {
        let csp = r
            .headers
            .get(http::header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .expect("a CSP header")
            .to_string();
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("script-src")
            .to_string();
        assert!(!script_src.contains("unsafe-inline"), "{csp}");
        let at = script_src.find("'nonce-").expect("a nonce") + 7;
        script_src[at..]
            .split('\'')
            .next()
            .expect("nonce")
            .to_string()
    };
    let first = app.get("/login", None).await;
    assert_eq!(first.status, StatusCode::OK);
    let nonce = nonce_of(&first);
    assert!(nonce.len() >= 22, "{nonce}");
    let scripts: Vec<&str> = first.body.split("<script").skip(1).collect();
    assert!(!scripts.is_empty(), "the page hydrates with a script");
    for script in scripts {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "a script without this response's nonce: <script{tag}>"
        );
    }
    let second = app.get("/login", None).await;
    assert_ne!(nonce_of(&second), nonce, "a nonce was reused");
    app.teardown().await;
}

/// Thirty guesses at one account at once: each attempt is claimed before
/// its password is checked, so only the free attempts (and the one that
/// starts the delay) are checked at all, and the refusals are one log row
/// per lock, not one per request. Before, every guess got a full check.
#[tokio::test]
async fn parallel_guesses_get_no_more_checks_than_serial_ones() {
    on_both(|app| async move {
        let replies = futures::future::join_all(
            (0..30).map(|_| login(&app, "casey@riverside.example", "wrong password!")),
        )
        .await;
        let checked = replies
            .iter()
            .filter(|r| r.status == StatusCode::UNAUTHORIZED)
            .count();
        let refused = replies
            .iter()
            .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!(
            checked + refused,
            30,
            "other answers: {:?}",
            replies.iter().map(|r| r.status).collect::<Vec<_>>()
        );
        // Three free attempts, then each delay lets one more through.
        assert!(checked <= 6, "{checked} guesses were checked");
        let failures = activity_log::Entity::find()
            .filter(activity_log::Column::Action.eq(app::activity::ActivityAction::SignInFailed))
            .all(&app.db)
            .await
            .expect("log");
        let throttled = failures
            .iter()
            .filter(|r| r.detail.contains("throttled"))
            .count();
        let wrong = failures
            .iter()
            .filter(|r| r.detail.contains("wrong_password"))
            .count();
        assert_eq!(wrong, checked);
        assert!(throttled >= 1, "no refusal was logged");
        assert!(
            throttled <= checked - 2,
            "{throttled} log rows for {refused} refusals under {} locks",
            checked - 3
        );
        app
    })
    .await;
}

/// The current password on the change-password form is throttled like
/// a sign-in: a stolen session cannot guess it without limit.
#[tokio::test]
async fn guessing_the_current_password_is_throttled() {
    on_both(|app| async move {
        let cookie = app.sign_in("okafor@riverside.example").await;
        let mut statuses = Vec::new();
        for i in 0..6 {
            let r = app
                .post(
                    "/api/auth/change-password",
                    &[
                        ("current", format!("guess number {i}").as_str()),
                        ("new", "quiet harbour lantern 7"),
                        ("confirm", "quiet harbour lantern 7"),
                    ],
                    Some(&cookie),
                )
                .await;
            statuses.push(r.status);
        }
        assert!(
            statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
            "never throttled: {statuses:?}"
        );
        // It is the account's one count: sign-in waits too.
        assert_eq!(
            login(&app, "okafor@riverside.example", PASSWORD)
                .await
                .status,
            StatusCode::TOO_MANY_REQUESTS
        );
        app
    })
    .await;
}

/// Behind the trusted proxy (10.0.0.1 in the tests) the log and the
/// throttle see each client's own address; anyone else's forwarding
/// header is ignored.
#[tokio::test]
async fn client_addresses_come_through_a_trusted_proxy_only() {
    on_both(|app| async move {
        let sign_in_from = |peer: &str, forwarded: &str| {
            let mut req = http::Request::post("/api/auth/login")
                .header(
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .header(http::header::ACCEPT, "application/json")
                .header("x-forwarded-for", forwarded)
                .body(axum::body::Body::from(format!(
                    "email=pat%40riverside.example&password={}",
                    crate::helpers::urlencode(PASSWORD)
                )))
                .expect("request");
            let addr: std::net::SocketAddr = format!("{peer}:40000").parse().expect("addr");
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
            req
        };
        let r = app
            .send(sign_in_from("10.0.0.1", "1.1.1.1, 203.0.113.5"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            crate::helpers::last_log(&app).await.ip.as_deref(),
            Some("203.0.113.5")
        );
        let r = app.send(sign_in_from("198.51.100.7", "203.0.113.5")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            crate::helpers::last_log(&app).await.ip.as_deref(),
            Some("198.51.100.7")
        );
        app
    })
    .await;
}

/// The server's own log never holds what a user typed about a patient:
/// spans carry ids, not arguments.
#[tokio::test]
async fn server_logs_carry_ids_not_patient_text() {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("log buffer").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("app=trace,server=trace")
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // This test's thread only: the other tests keep their own output.
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::sqlite().await;
    let casey = app.sign_in("casey@riverside.example").await;
    let maria = crate::referrals::case_of(&app, "Maria Gonzalez").await;
    let r = app
        .post_json(
            "/api/cases/modify",
            serde_json::json!({ "id": maria.id, "version": maria.version, "changes": {
                "patient_contact": "zebra-contact 555", "reason": "zebra-reason",
                "urgency": "Routine", "notes": "zebra-notes" } }),
            Some(&casey),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .post_json(
            "/api/cases/list",
            serde_json::json!({ "filter": { "q": "zebra-search" } }),
            Some(&casey),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let text = String::from_utf8_lossy(&captured.0.lock().expect("log buffer")).into_owned();
    assert!(text.contains("case_id"), "spans were not captured: {text}");
    assert!(
        !text.contains("zebra"),
        "patient text in the server log: {text}"
    );
    app.teardown().await;
}
